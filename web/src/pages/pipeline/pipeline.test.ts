import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { boardColumns, canDrop, daysOfSeconds, forecastChart, funnelChart, percentOfBp, unmetItems, usefulDetail } from './pipeline';
import type { GateCheck, Opportunity } from './types';

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

  it('keeps only details that say more than the label', () => {
    expect(usefulDetail('relationship level below 3: 王总')).toBe('relationship level below 3: 王总');
    expect(usefulDetail('requirements is not recorded')).toBeUndefined();
    expect(usefulDetail(null)).toBeUndefined();
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
