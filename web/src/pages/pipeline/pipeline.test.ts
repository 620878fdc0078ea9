import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import {
  boardColumns, canDrop, daysOfSeconds, deliveredBeforeRequested, forecastChart, funnelChart, percentOfBp, planStepChanges, planStepValues,
  resetsSignOff, sampleChanges, sampleValues, unmetItems, usefulDetail,
} from './pipeline';
import type { GateCheck, Opportunity, OpportunitySample, PlanStep } from './types';

const opp = (id: number, stage: number, status = 'open') => ({ id, stage, status }) as unknown as Opportunity;

describe('board', () => {
  it('groups open opportunities by stage and leaves closed ones out', () => {
    const columns = boardColumns([opp(1, 1), opp(2, 3), opp(3, 3), opp(4, 5, 'won'), opp(5, 2, 'terminated')]);
    expect(columns[1].map((o) => o.id)).toEqual([1]);
    expect(columns[3].map((o) => o.id)).toEqual([2, 3]);
    expect(columns[5]).toEqual([]);
    expect(columns[2]).toEqual([]);
  });

  it('allows a drop on the next stage only', () => {
    expect(canDrop(1, 2)).toBe(true);
    expect(canDrop(4, 5)).toBe(true);
    expect(canDrop(1, 3)).toBe(false);
    expect(canDrop(3, 2)).toBe(false);
    expect(canDrop(5, 6)).toBe(false);
    expect(canDrop(2, 2)).toBe(false);
  });
});

describe('unmet items', () => {
  const gate = {
    stages: [{ stage: 1, met: false, items: [{ code: 's1_go', label_zh: '已作出开发决定', label_en: 'A go decision', met: false, detail: 'go_decision must be go' }] }],
  } as GateCheck;
  const refused = new ApiError({ status: 422, errors: [{ field: 's1_go', message: 'A go decision (x)' }, { field: 'odd', message: 'Odd item' }] });

  it('labels codes from the checklist in the user language, else the server message', () => {
    expect(unmetItems(refused, gate, 'zh-CN')).toEqual([
      { code: 's1_go', label: '已作出开发决定', detail: undefined },
      { code: 'odd', label: 'Odd item' },
    ]);
    expect(unmetItems(refused, gate, 'en')[0].label).toBe('A go decision');
  });

  it('keeps only details that say more than the label, in the user language', () => {
    const below = { detail: 'relationship level below 3: 王总', detail_zh: '关系等级低于 3：王总' };
    expect(usefulDetail(below, 'en')).toBe('relationship level below 3: 王总');
    expect(usefulDetail(below, 'zh-CN')).toBe('关系等级低于 3：王总');
    expect(usefulDetail({ detail: 'insiders: 0 of at least 1' }, 'zh-CN')).toBe('insiders: 0 of at least 1'); // an older server
    expect(usefulDetail({ detail: 'requirements is not recorded', detail_zh: '尚未填写' }, 'zh-CN')).toBeUndefined();
    expect(usefulDetail({ detail: null }, 'en')).toBeUndefined();
  });

  it('is empty for other errors', () => {
    expect(unmetItems(new ApiError({ status: 403 }), gate, 'zh-CN')).toEqual([]);
    expect(unmetItems(new Error('x'), gate, 'zh-CN')).toEqual([]);
  });
});

describe('formatting and charts', () => {
  it('formats basis points and durations with integers', () => {
    expect(percentOfBp(3333)).toBe('33.33%');
    expect(percentOfBp(10000)).toBe('100.00%');
    expect(percentOfBp(5)).toBe('0.05%');
    expect(percentOfBp(undefined)).toBe('0.00%');
    expect(daysOfSeconds(86400 * 2.5)).toBe('2.5');
    expect(daysOfSeconds(0)).toBe('0.0');
  });

  it('turns the funnel and forecast into chart series in yuan', () => {
    const f = funnelChart({ stages: [{ stage: 1, count: 2, reached: 3, value_fen: 123456 }] } as never, (s) => `S${s}`);
    expect(f).toEqual({ categories: ['S1'], counts: [2], reached: [3], values: [1234.56] });
    const c = forecastChart({ months: [{ month: '2031-01', weighted_value_fen: 35109, expected_value_fen: 100333, won_value_fen: 0 }] } as never);
    expect(c).toEqual({ months: ['2031-01'], weighted: [351.09], expected: [1003.33], won: [0] });
  });
});

describe('editing samples and plan steps', () => {
  const sample = {
    id: 3, version: 2, specification: 'A4 80g', quantity: 10, requested_on: '2026-11-01', delivered_on: null, note: null, result: 'passed',
  } as OpportunitySample;
  const step = { id: 4, version: 1, title: '技术交流会', owner_id: 7, owner_name: '张专员', due_date: '2026-12-10', done: false } as PlanStep;

  it('sends only what changed, so a delivery date keeps the sign-off', () => {
    const values = { ...sampleValues(sample), delivered_on: '2026-11-05' };
    const changes = sampleChanges(values, sample);
    expect(changes).toEqual({ delivered_on: '2026-11-05' });
    expect(resetsSignOff(changes)).toBe(false);
    expect(sampleChanges(sampleValues(sample), sample)).toEqual({});
  });

  it('says when the sign-off will be cleared', () => {
    expect(resetsSignOff(sampleChanges({ ...sampleValues(sample), quantity: 12 }, sample))).toBe(true);
    expect(resetsSignOff(sampleChanges({ ...sampleValues(sample), specification: ' A4 80g ' }, sample))).toBe(false);
    expect(resetsSignOff(sampleChanges({ ...sampleValues(sample), specification: 'A4 90g' }, sample))).toBe(true);
  });

  it('clears an emptied date or note with null', () => {
    const delivered = { ...sample, delivered_on: '2026-11-05', note: '加急' };
    expect(sampleChanges({ ...sampleValues(delivered), delivered_on: '', note: '  ' }, delivered)).toEqual({ delivered_on: null, note: null });
  });

  it('edits a plan step title, owner and due date', () => {
    expect(planStepValues(step)).toEqual({ title: '技术交流会', owner_id: 7, due_date: '2026-12-10' });
    expect(planStepChanges({ title: '技术交流会（第二次）', owner_id: 9, due_date: '' }, step)).toEqual({ title: '技术交流会（第二次）', owner_id: 9, due_date: null });
    expect(planStepChanges(planStepValues(step), step)).toEqual({});
  });

  it('refuses a delivery before the request only when both dates are there', () => {
    expect(deliveredBeforeRequested('2026-11-01', '2026-10-31')).toBe(true);
    expect(deliveredBeforeRequested('2026-11-01', '2026-11-01')).toBe(false);
    expect(deliveredBeforeRequested('2026-11-01', '')).toBe(false);
    expect(deliveredBeforeRequested(undefined, '2026-10-31')).toBe(false);
  });
});
