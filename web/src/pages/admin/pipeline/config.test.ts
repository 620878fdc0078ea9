import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client';
import { translate } from '../../../i18n';
import type { GateItem } from '../../pipeline/types';
import {
  EVIDENCE_COUNTS,
  EVIDENCE_FIELDS,
  GATE_KINDS,
  codeBase,
  defaultParams,
  gateDrafts,
  gateProblem,
  gateProblems,
  gatesBody,
  gatesFingerprint,
  moveGate,
  moveRow,
  paramsOfKind,
  reasonDrafts,
  reasonProblems,
  reasonsBody,
  rowErrors,
  serverProblem,
  setParam,
  settingsBody,
  stageItems,
  stalledDays,
  suggestCode,
  suggestLabels,
  updateRow,
  type GateDraft,
} from './config';

const item = (id: number, stage: number, position: number, code: string, extra: Partial<GateItem> = {}): GateItem => ({
  id,
  stage,
  position,
  code,
  kind: 'field',
  params: { field: 'customer_scale' },
  label_zh: `标签${code}`,
  label_en: `Label ${code}`,
  enabled: true,
  ...extra,
});

const SERVER: GateItem[] = [
  item(5, 2, 1, 's2_a', { kind: 'count', params: { count: 'insiders', min: 1 } }),
  item(2, 1, 2, 's1_b'),
  item(1, 1, 1, 's1_a'),
  item(9, 1, 3, 's1_c', { enabled: false }),
  item(7, 4, 1, 's4_level', { kind: 'decision_makers_level', params: { min_level: 3 } }),
];

describe('gate drafts', () => {
  it('orders the server items by stage and position, keyed by id', () => {
    const drafts = gateDrafts(SERVER);
    expect(drafts.map((d) => d.code)).toEqual(['s1_a', 's1_b', 's1_c', 's2_a', 's4_level']);
    expect(drafts[0].key).toBe('id-1');
    expect(drafts[2].enabled).toBe(false);
    expect(stageItems(drafts, 1).map((d) => d.code)).toEqual(['s1_a', 's1_b', 's1_c']);
    expect(stageItems(drafts, 5)).toEqual([]);
  });

  it('moves an item within its stage only, and not past either end', () => {
    const drafts = gateDrafts(SERVER);
    expect(stageItems(moveGate(drafts, 'id-2', -1), 1).map((d) => d.code)).toEqual(['s1_b', 's1_a', 's1_c']);
    expect(stageItems(moveGate(drafts, 'id-2', 1), 1).map((d) => d.code)).toEqual(['s1_a', 's1_c', 's1_b']);
    // the last of stage 1 does not jump into stage 2, the only one of stage 2 stays
    expect(moveGate(drafts, 'id-9', 1).map((d) => d.code)).toEqual(drafts.map((d) => d.code));
    expect(moveGate(drafts, 'id-5', -1).map((d) => d.code)).toEqual(drafts.map((d) => d.code));
    expect(moveGate(drafts, 'id-1', -1).map((d) => d.code)).toEqual(drafts.map((d) => d.code));
  });

  it('moves over rows of other groups between two of the same group', () => {
    const rows = [
      { key: 'a', g: 1 },
      { key: 'x', g: 2 },
      { key: 'b', g: 1 },
    ];
    expect(moveRow(rows, 'b', -1, (p, q) => p.g === q.g).map((r) => r.key)).toEqual(['b', 'x', 'a']);
    expect(moveRow(rows, 'nope', 1).map((r) => r.key)).toEqual(['a', 'x', 'b']);
  });

  it('builds the PUT body stage by stage with positions 1..n and the row key of each entry', () => {
    let drafts = gateDrafts(SERVER);
    drafts = moveGate(drafts, 'id-9', -1);
    drafts = updateRow(drafts, 'id-1', { enabled: false, label_zh: '  新标签 ' });
    drafts = setParam(drafts, 'id-7', 'min_level', 4);
    drafts = [
      ...drafts,
      {
        key: 'new-1',
        stage: 1,
        code: 's1_new',
        kind: 'count',
        params: { count: 'samples', min: 2, field: 'x' },
        label_zh: '样品',
        label_en: 'Samples',
        enabled: true,
        added: true,
      },
    ];
    const { body, keys } = gatesBody(drafts);
    expect(keys).toEqual(['id-1', 'id-9', 'id-2', 'new-1', 'id-5', 'id-7']);
    expect(body.items.map((i) => [i.stage, i.code, i.position])).toEqual([
      [1, 's1_a', 1],
      [1, 's1_c', 2],
      [1, 's1_b', 3],
      [1, 's1_new', 4],
      [2, 's2_a', 1],
      [4, 's4_level', 1],
    ]);
    expect(body.items[0]).toMatchObject({ enabled: false, label_zh: '新标签' });
    // only the parameters of the kind are sent; no ids (the server renumbers)
    expect(body.items[3].params).toEqual({ count: 'samples', min: 2 });
    expect(body.items[5].params).toEqual({ min_level: 4 });
    expect(body.items.some((i) => 'id' in i)).toBe(false);
  });

  it('notices a change through the fingerprint, not a round trip', () => {
    const drafts = gateDrafts(SERVER);
    const print = gatesFingerprint(drafts);
    const changed = updateRow(drafts, 'id-2', { enabled: false });
    expect(gatesFingerprint(changed)).not.toBe(print);
    expect(gatesFingerprint(updateRow(changed, 'id-2', { enabled: true }))).toBe(print);
  });

  it('clears a parameter set to nothing', () => {
    const drafts = setParam(gateDrafts(SERVER), 'id-5', 'min', null);
    expect(drafts.find((d) => d.key === 'id-5')!.params).toEqual({ count: 'insiders' });
  });
});

describe('gate checks (as the server: src/pipeline/gates.cpp)', () => {
  const base: Pick<GateDraft, 'code' | 'kind' | 'params' | 'label_zh' | 'label_en'> = {
    code: 'x',
    kind: 'field',
    params: { field: 'customer_scale' },
    label_zh: '中',
    label_en: 'en',
  };

  it('accepts the defaults of every kind', () => {
    for (const kind of GATE_KINDS) expect(gateProblem({ ...base, kind, params: defaultParams(kind) })).toBeNull();
  });

  it('names what is wrong', () => {
    expect(gateProblem({ ...base, code: ' ' })).toBe('code');
    expect(gateProblem({ ...base, code: 'x'.repeat(65) })).toBe('code');
    expect(gateProblem({ ...base, label_en: '  ' })).toBe('labels');
    expect(gateProblem({ ...base, params: {} })).toBe('field');
    expect(gateProblem({ ...base, kind: 'equals', params: { field: 'go_decision' } })).toBe('value');
    expect(gateProblem({ ...base, kind: 'count', params: { count: 'bananas' } })).toBe('count');
    expect(gateProblem({ ...base, kind: 'count', params: { count: 'samples', min: -1 } })).toBe('min');
    expect(gateProblem({ ...base, kind: 'count', params: { count: 'samples', min: 1.5 } })).toBe('min');
    expect(gateProblem({ ...base, kind: 'decision_makers_level', params: { min_level: 6 } })).toBe('minLevel');
    expect(gateProblem({ ...base, kind: 'decision_makers_level', params: {} })).toBe('minLevel');
    expect(gateProblem({ ...base, kind: 'decision_makers_touched', params: {} })).toBeNull();
  });

  it('flags every repeat of a code after its first use', () => {
    const drafts = gateDrafts(SERVER);
    const twice = [...drafts, { ...drafts[0], key: 'dup' }, { ...drafts[1], key: 'bad', label_zh: '' }];
    const problems = gateProblems(twice);
    expect([...problems]).toEqual([
      ['dup', 'codeDuplicate'],
      ['bad', 'labels'],
    ]);
  });

  it('keeps only the parameters of a kind', () => {
    expect(paramsOfKind('equals', { field: 'go_decision', value: 'go', min: 3 })).toEqual({ field: 'go_decision', value: 'go' });
    expect(paramsOfKind('decision_makers_touched', { min: 2, min_level: 3 })).toEqual({ min: 2 });
    expect(paramsOfKind('count', { count: 'samples', min: '' })).toEqual({ count: 'samples' });
  });
});

describe('new items', () => {
  it('suggests a free code from the stage and what is checked', () => {
    const drafts = [{ code: 's2_samples' }, { code: 's2_samples_2' }];
    expect(suggestCode(drafts, 2, 'samples')).toBe('s2_samples_3');
    expect(suggestCode(drafts, 3, 'samples')).toBe('s3_samples');
    expect(codeBase('count', { count: 'insiders' })).toBe('insiders');
    expect(codeBase('field', { field: 'customer_scale' })).toBe('customer_scale');
    expect(codeBase('decision_makers_level', {})).toBe('relationship');
    expect(codeBase('decision_makers_touched', {})).toBe('touchpoints');
  });

  it('suggests labels in both languages', () => {
    expect(suggestLabels('field', { field: 'customer_scale' })).toEqual({
      label_zh: '已记录客户规模',
      label_en: 'Scale of the customer recorded',
    });
    expect(suggestLabels('count', { count: 'insiders', min: 2 })).toEqual({ label_zh: '内线至少 2 个', label_en: 'At least 2: insiders' });
    expect(suggestLabels('decision_makers_level', { min_level: 4 }).label_zh).toContain('4');
  });

  it('has a name in both dictionaries for every field and count', () => {
    for (const f of EVIDENCE_FIELDS) {
      for (const locale of ['zh-CN', 'en'] as const)
        expect(translate(locale, `pipeline.admin.field.${f}` as never)).not.toContain('pipeline.');
    }
    for (const c of EVIDENCE_COUNTS) {
      for (const locale of ['zh-CN', 'en'] as const)
        expect(translate(locale, `pipeline.admin.count.${c}` as never)).not.toContain('pipeline.');
    }
  });
});

describe('lost reasons', () => {
  const drafts = reasonDrafts([
    { code: 'quality', label_zh: '质量', label_en: 'Quality', enabled: true, position: 2 },
    { code: 'price', label_zh: '价格', label_en: 'Price', enabled: false, position: 1 },
  ]);

  it('orders by position, moves, and numbers the body by order', () => {
    expect(drafts.map((r) => r.code)).toEqual(['price', 'quality']);
    const moved = moveRow(drafts, 'code-quality', -1);
    const added = [...moved, { key: 'n', code: ' late ', label_zh: ' 延误 ', label_en: 'Late', enabled: true, added: true }];
    const { body, keys } = reasonsBody(added);
    expect(keys).toEqual(['code-quality', 'code-price', 'n']);
    expect(body.items).toEqual([
      { code: 'quality', label_zh: '质量', label_en: 'Quality', enabled: true, position: 1 },
      { code: 'price', label_zh: '价格', label_en: 'Price', enabled: false, position: 2 },
      { code: 'late', label_zh: '延误', label_en: 'Late', enabled: true, position: 3 },
    ]);
  });

  it('needs a code and both labels, each code once', () => {
    const rows = [
      ...drafts,
      { key: 'a', code: '', label_zh: 'x', label_en: 'x', enabled: true },
      { key: 'b', code: 'price', label_zh: 'x', label_en: 'x', enabled: true },
      { key: 'c', code: 'c', label_zh: 'x', label_en: '', enabled: true },
    ];
    expect([...reasonProblems(rows)]).toEqual([
      ['a', 'code'],
      ['b', 'codeDuplicate'],
      ['c', 'labels'],
    ]);
  });
});

describe('stalled days', () => {
  it('reads the five stages and writes the filled ones', () => {
    const days = stalledDays({
      stages: [
        { stage: 1, stalled_days: 30 },
        { stage: 3, stalled_days: 45 },
      ],
    });
    expect(days).toEqual({ 1: 30, 2: null, 3: 45, 4: null, 5: null });
    expect(settingsBody({ ...days, 2: 10 })).toEqual({
      stages: [
        { stage: 1, stalled_days: 30 },
        { stage: 2, stalled_days: 10 },
        { stage: 3, stalled_days: 45 },
      ],
    });
  });
});

describe('server errors', () => {
  it('puts items[i] errors on the row of the i-th entry, the rest in general', () => {
    const error = new ApiError({
      status: 422,
      errors: [
        { field: 'items[1]', message: 'duplicate code s1_a' },
        { field: 'items[1]', message: 'label_zh and label_en are required' },
        { field: 'items[7]', message: 'out of range' },
        { field: 'items', message: 'must be a list of at most 200 gate items' },
      ],
    });
    const { rows, general } = rowErrors(error, ['a', 'b', 'c']);
    expect([...rows]).toEqual([['b', ['duplicate code s1_a', 'label_zh and label_en are required']]]);
    expect(general).toEqual(['out of range', 'must be a list of at most 200 gate items']);
    expect(rowErrors(new ApiError({ status: 422, errors: [{ field: 'stages[0]', message: 'x' }] }), ['3'], 'stages').rows.get('3')).toEqual(
      ['x'],
    );
    expect(rowErrors(new Error('x'), ['a']).rows.size).toBe(0);
  });

  it('recognises the server messages it can translate', () => {
    expect(serverProblem('duplicate code s1_a')).toBe('codeDuplicate');
    expect(serverProblem('params.min_level must be 1 to 5')).toBe('minLevel');
    expect(serverProblem('an equals item needs params.field and params.value')).toBe('field');
    expect(serverProblem('needs code, label_zh and label_en')).toBe('labels');
    expect(serverProblem('needs stage 1..5 and stalled_days 0..3650')).toBe('stalledDays');
    expect(serverProblem('something new')).toBeNull();
  });
});
