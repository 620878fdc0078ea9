// Pure logic of the pipeline settings page (tested in config.test.ts): the editable copies
// ("drafts") of the gate items and lost reasons, reordering, the client-side checks that mirror
// the server's (src/pipeline/gates.cpp gate_item_problem, store.cpp put_gates / put_lost_reasons /
// put_settings), the PUT bodies, and a 422's `items[3]` / `stages[1]` errors mapped back to rows.
import { isApiError } from '../../../api/client';
import { translate, type MessageKey, type Translate } from '../../../i18n';
import type { GateItem, GateKind, LostReason, PipelineSettings } from '../../pipeline/types';

export const GATE_KINDS: readonly GateKind[] = ['field', 'equals', 'count', 'decision_makers_level', 'decision_makers_touched'];

/** Opportunity fields a `field` / `equals` item may look at (src/pipeline/store.cpp load_evidence). */
export const EVIDENCE_FIELDS = [
  'customer_business_age',
  'customer_scale',
  'customer_status',
  'potential_need',
  'need_urgency',
  'supplier_structure',
  'supplier_problems',
  'go_decision',
  'go_reason',
  'requirements',
  'win_probability',
  'expected_cost_fen',
  'expected_close_date',
] as const;

/** Counts a `count` item may require (src/pipeline/gates.cpp gate_item_problem). */
export const EVIDENCE_COUNTS = [
  'samples',
  'samples_passed',
  'insiders',
  'obstacles',
  'plan_steps',
  'plan_steps_done',
  'decision_makers',
  'touchpoints',
  'executive_meetings',
  'inspections',
  'system_support',
] as const;

/** The name of an evidence field / count in the user's language. */
export const fieldLabel = (t: Translate, field: unknown) => t(`pipeline.admin.field.${String(field)}` as MessageKey);
export const countLabel = (t: Translate, count: unknown) => t(`pipeline.admin.count.${String(count)}` as MessageKey);

export const MAX_GATE_ITEMS = 200;
export const MAX_LOST_REASONS = 100;
export const MAX_CODE_LENGTH = 64;
export const MAX_STALLED_DAYS = 3650;

export type Params = Record<string, unknown>;

/** A gate item being edited. `key` is stable while editing (ids change on every save). */
export interface GateDraft {
  key: string;
  id?: number;
  stage: number;
  code: string;
  kind: GateKind;
  params: Params;
  label_zh: string;
  label_en: string;
  enabled: boolean;
  /** Added on this page and not saved yet. */
  added?: boolean;
}

export interface ReasonDraft {
  key: string;
  code: string;
  label_zh: string;
  label_en: string;
  enabled: boolean;
  added?: boolean;
}

/** What is wrong with a draft, as an i18n key suffix under `pipeline.admin.problem.`. */
export type Problem = 'code' | 'codeDuplicate' | 'labels' | 'field' | 'value' | 'count' | 'min' | 'minLevel';

let sequence = 0;
/** A key for a new draft, unique in this page's life. */
export function newKey(prefix = 'new'): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

/** The server's gate items as drafts, ordered by stage, then position (then id, as the server). */
export function gateDrafts(items: readonly GateItem[]): GateDraft[] {
  return [...items]
    .sort((a, b) => a.stage - b.stage || (a.position ?? 0) - (b.position ?? 0) || (a.id ?? 0) - (b.id ?? 0))
    .map((item, index) => ({
      key: item.id !== undefined ? `id-${item.id}` : `row-${index}`,
      id: item.id,
      stage: item.stage,
      code: item.code,
      kind: item.kind,
      params: { ...(item.params ?? {}) },
      label_zh: item.label_zh,
      label_en: item.label_en,
      enabled: item.enabled !== false,
    }));
}

/** The items of one stage, in checklist order. */
export function stageItems(drafts: readonly GateDraft[], stage: number): GateDraft[] {
  return drafts.filter((d) => d.stage === stage);
}

/**
 * Moves the row `key` one place up (-1) or down (+1) among the rows for which `sameGroup` holds
 * (the gate items of its stage; every lost reason). Unchanged at either end.
 */
export function moveRow<T extends { key: string }>(
  rows: readonly T[],
  key: string,
  delta: -1 | 1,
  sameGroup: (a: T, b: T) => boolean = () => true,
): T[] {
  const from = rows.findIndex((r) => r.key === key);
  if (from < 0) return [...rows];
  const row = rows[from];
  let to = from + delta;
  while (to >= 0 && to < rows.length && !sameGroup(rows[to], row)) to += delta;
  if (to < 0 || to >= rows.length) return [...rows];
  const out = [...rows];
  out[from] = out[to];
  out[to] = row;
  return out;
}

export const moveGate = (drafts: readonly GateDraft[], key: string, delta: -1 | 1) =>
  moveRow(drafts, key, delta, (a, b) => a.stage === b.stage);

/** Replaces the row `key` with `change` applied. */
export function updateRow<T extends { key: string }>(rows: readonly T[], key: string, change: Partial<T>): T[] {
  return rows.map((r) => (r.key === key ? { ...r, ...change } : r));
}

/** Sets one parameter of a gate item (a cleared number removes it). */
export function setParam(drafts: readonly GateDraft[], key: string, name: string, value: unknown): GateDraft[] {
  return drafts.map((d) => {
    if (d.key !== key) return d;
    const params = { ...d.params };
    if (value === null || value === undefined || value === '') delete params[name];
    else params[name] = value;
    return { ...d, params };
  });
}

/** The parameters a new item of `kind` starts with. */
export function defaultParams(kind: GateKind): Params {
  switch (kind) {
    case 'field':
      return { field: EVIDENCE_FIELDS[0] };
    case 'equals':
      return { field: 'go_decision', value: 'go' };
    case 'count':
      return { count: EVIDENCE_COUNTS[0], min: 1 };
    case 'decision_makers_level':
      return { min_level: 3 };
    default:
      return { min: 1 };
  }
}

/** Only the parameters that `kind` reads (a kind changed in the add dialog leaves no leftovers). */
export function paramsOfKind(kind: GateKind, params: Params): Params {
  const names: Record<GateKind, string[]> = {
    field: ['field'],
    equals: ['field', 'value'],
    count: ['count', 'min'],
    decision_makers_level: ['min_level'],
    decision_makers_touched: ['min'],
  };
  const out: Params = {};
  for (const name of names[kind]) if (params[name] !== undefined && params[name] !== null && params[name] !== '') out[name] = params[name];
  return out;
}

/** A code not used yet: s{stage}_{base}, then s{stage}_{base}_2, _3, ... */
export function suggestCode(drafts: readonly { code: string }[], stage: number, base: string): string {
  const used = new Set(drafts.map((d) => d.code));
  const stem = `s${stage}_${base}`.slice(0, MAX_CODE_LENGTH - 4);
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n += 1) if (!used.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** Labels for a new item in both languages, from its kind and parameters (the admin may change them). */
export function suggestLabels(kind: GateKind, params: Params): { label_zh: string; label_en: string } {
  const zh = (key: string) => translate('zh-CN', key as MessageKey);
  const en = (key: string) => translate('en', key as MessageKey);
  const field = `pipeline.admin.field.${String(params.field ?? '')}`;
  const count = `pipeline.admin.count.${String(params.count ?? '')}`;
  const n = (name: string, fallback: number) => (typeof params[name] === 'number' ? (params[name] as number) : fallback);
  switch (kind) {
    case 'field':
      return { label_zh: `已记录${zh(field)}`, label_en: `${en(field)} recorded` };
    case 'equals':
      return { label_zh: `${zh(field)}为“${String(params.value ?? '')}”`, label_en: `${en(field)} is "${String(params.value ?? '')}"` };
    case 'count':
      return { label_zh: `${zh(count)}至少 ${n('min', 1)} 个`, label_en: `At least ${n('min', 1)}: ${en(count).toLowerCase()}` };
    case 'decision_makers_level':
      return {
        label_zh: `每位关键决策人的关系等级至少为 ${n('min_level', 3)}`,
        label_en: `Every decision maker at relationship level ${n('min_level', 3)} or above`,
      };
    default:
      return {
        label_zh: `与每位关键决策人至少接触 ${n('min', 1)} 次`,
        label_en: `At least ${n('min', 1)} touchpoint(s) with every decision maker`,
      };
  }
}

/** The base of a new item's code: what it looks at. */
export function codeBase(kind: GateKind, params: Params): string {
  if (kind === 'field' || kind === 'equals') return String(params.field ?? kind);
  if (kind === 'count') return String(params.count ?? kind);
  return kind === 'decision_makers_level' ? 'relationship' : 'touchpoints';
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** What the server would refuse in one gate item (besides duplicates: see gateProblems). */
export function gateProblem(d: Pick<GateDraft, 'code' | 'kind' | 'params' | 'label_zh' | 'label_en'>): Problem | null {
  const code = d.code.trim();
  if (!code || code.length > MAX_CODE_LENGTH) return 'code';
  if (!d.label_zh.trim() || !d.label_en.trim()) return 'labels';
  const p = d.params;
  switch (d.kind) {
    case 'field':
      return text(p.field) ? null : 'field';
    case 'equals':
      if (!text(p.field)) return 'field';
      return text(p.value) ? null : 'value';
    case 'count':
      if (!(EVIDENCE_COUNTS as readonly string[]).includes(String(p.count ?? ''))) return 'count';
      return p.min === undefined || (isInt(p.min) && p.min >= 0) ? null : 'min';
    case 'decision_makers_level':
      return isInt(p.min_level) && p.min_level >= 1 && p.min_level <= 5 ? null : 'minLevel';
    case 'decision_makers_touched':
      return p.min === undefined || (isInt(p.min) && p.min >= 0) ? null : 'min';
    default:
      return 'field';
  }
}

/** Problems by row key: each row's own, and every repeat of a code already used above it. */
export function codeProblems<T extends { key: string; code: string }>(
  rows: readonly T[],
  own: (row: T) => Problem | null,
): Map<string, Problem> {
  const out = new Map<string, Problem>();
  const seen = new Set<string>();
  for (const row of rows) {
    const problem = own(row);
    const code = row.code.trim();
    if (problem) out.set(row.key, problem);
    else if (seen.has(code)) out.set(row.key, 'codeDuplicate');
    seen.add(code);
  }
  return out;
}

export const gateProblems = (drafts: readonly GateDraft[]) => codeProblems(drafts, gateProblem);

/** The PUT /pipeline/gates body (stage by stage, positions 1..n in each) and the row key of each entry. */
export function gatesBody(drafts: readonly GateDraft[]): { body: { items: GateItem[] }; keys: string[] } {
  const items: GateItem[] = [];
  const keys: string[] = [];
  for (const stage of [1, 2, 3, 4, 5]) {
    stageItems(drafts, stage).forEach((d, index) => {
      items.push({
        stage: d.stage,
        code: d.code.trim(),
        kind: d.kind,
        params: paramsOfKind(d.kind, d.params),
        label_zh: d.label_zh.trim(),
        label_en: d.label_en.trim(),
        enabled: d.enabled,
        position: index + 1,
      });
      keys.push(d.key);
    });
  }
  return { body: { items }, keys };
}

export function reasonDrafts(items: readonly LostReason[]): ReasonDraft[] {
  return [...items]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.code.localeCompare(b.code))
    .map((r) => ({ key: `code-${r.code}`, code: r.code, label_zh: r.label_zh, label_en: r.label_en, enabled: r.enabled !== false }));
}

export function reasonProblem(r: Pick<ReasonDraft, 'code' | 'label_zh' | 'label_en'>): Problem | null {
  const code = r.code.trim();
  if (!code || code.length > MAX_CODE_LENGTH) return 'code';
  return r.label_zh.trim() && r.label_en.trim() ? null : 'labels';
}

export const reasonProblems = (drafts: readonly ReasonDraft[]) => codeProblems(drafts, reasonProblem);

/** The PUT /pipeline/lost-reasons body (the server numbers positions by order) and the row keys. */
export function reasonsBody(drafts: readonly ReasonDraft[]): { body: { items: LostReason[] }; keys: string[] } {
  return {
    body: {
      items: drafts.map((r, index) => ({
        code: r.code.trim(),
        label_zh: r.label_zh.trim(),
        label_en: r.label_en.trim(),
        enabled: r.enabled,
        position: index + 1,
      })),
    },
    keys: drafts.map((r) => r.key),
  };
}

/** Stalled days per stage 1..5 from the settings (a missing stage shows empty). */
export function stalledDays(settings: PipelineSettings): Record<number, number | null> {
  const out: Record<number, number | null> = { 1: null, 2: null, 3: null, 4: null, 5: null };
  for (const s of settings.stages) out[s.stage] = s.stalled_days;
  return out;
}

/** The PUT /pipeline/settings body from the five inputs (empty ones are left out). */
export function settingsBody(days: Record<number, number | null | undefined>): PipelineSettings {
  const stages: PipelineSettings['stages'] = [];
  for (const stage of [1, 2, 3, 4, 5]) {
    const value = days[stage];
    if (value !== null && value !== undefined) stages.push({ stage, stalled_days: value });
  }
  return { stages };
}

/**
 * A 422's errors of list entries (`items[3]`, `stages[0]`) by the key of that entry's row
 * (`keys[3]`); errors on anything else (the whole list, an unknown index) under `general`.
 */
export function rowErrors(error: unknown, keys: readonly string[], list = 'items'): { rows: Map<string, string[]>; general: string[] } {
  const rows = new Map<string, string[]>();
  const general: string[] = [];
  if (!isApiError(error)) return { rows, general };
  const pattern = new RegExp(`^/?${list}\\[(\\d+)\\]`);
  for (const { field, message } of error.errors) {
    const match = pattern.exec(field ?? '');
    const key = match ? keys[Number(match[1])] : undefined;
    if (key === undefined) {
      general.push(message);
      continue;
    }
    rows.set(key, [...(rows.get(key) ?? []), message]);
  }
  return { rows, general };
}

/** Server texts of put_gates / put_lost_reasons / put_settings → `pipeline.admin.problem.` suffixes. */
const SERVER_PROBLEMS: { pattern: RegExp; problem: Problem | 'stalledDays' }[] = [
  { pattern: /^code must be/, problem: 'code' },
  { pattern: /^duplicate code/, problem: 'codeDuplicate' },
  { pattern: /^label_zh and label_en are required$|^needs code, label_zh and label_en$/, problem: 'labels' },
  { pattern: /needs params\.field/, problem: 'field' },
  { pattern: /params\.value/, problem: 'value' },
  { pattern: /^params\.count/, problem: 'count' },
  { pattern: /^params\.min_level/, problem: 'minLevel' },
  { pattern: /stalled_days 0\.\.3650/, problem: 'stalledDays' },
];

/** The problem a server message names, when it is one of the known ones. */
export function serverProblem(message: string): Problem | 'stalledDays' | null {
  return SERVER_PROBLEMS.find((p) => p.pattern.test(message))?.problem ?? null;
}

/** JSON of the drafts without their keys: equal when nothing that would be saved has changed. */
export function gatesFingerprint(drafts: readonly GateDraft[]): string {
  return JSON.stringify(gatesBody(drafts).body);
}

export function reasonsFingerprint(drafts: readonly ReasonDraft[]): string {
  return JSON.stringify(reasonsBody(drafts).body);
}
