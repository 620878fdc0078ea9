// Pure logic of the pipeline pages (tested in pipeline.test.ts): board columns, which drops
// are allowed, the unmet gate items of a refused advance, chart data for the funnel and the
// forecast, and the PATCH bodies of a sample / plan step edit. Money stays integer fen until it
// is formatted for people.
import { isApiError } from '../../api/client';
import { fenToYuan } from '../accounts/money';
import { changesBody } from '../accounts/tabs/forms';
import type {
  Forecast, Funnel, GateCheck, Opportunity, OpportunitySample, OpportunitySampleChanges, PlanStep, PlanStepChanges,
} from './types';
import { STAGES } from './types';

/** Open opportunities by stage 1..5 (others are left out), in the given order. */
export function boardColumns(items: Opportunity[]): Record<number, Opportunity[]> {
  const columns: Record<number, Opportunity[]> = { 1: [], 2: [], 3: [], 4: [], 5: [] };
  for (const o of items) if (o.status === 'open' && columns[o.stage]) columns[o.stage].push(o);
  return columns;
}

/** A card may only be dropped on the very next stage: stages are never skipped or reversed. */
export function canDrop(from: number, to: number): boolean {
  return to === from + 1 && STAGES.includes(to as (typeof STAGES)[number]);
}

export interface UnmetItem {
  code: string;
  label: string;
  detail?: string;
}

/**
 * The unmet items of a 422 from advance/close: each error's field is a gate item code; the label
 * comes from the gate checklist in the user's language when known, else the server's message.
 */
export function unmetItems(error: unknown, gate: GateCheck | null, locale: string): UnmetItem[] {
  if (!isApiError(error) || error.status !== 422) return [];
  const labels = new Map<string, { zh: string; en: string; item: GateDetail }>();
  for (const stage of gate?.stages ?? []) {
    for (const item of stage.items ?? []) {
      if (item.code) labels.set(item.code, { zh: item.label_zh ?? item.code, en: item.label_en ?? item.code, item });
    }
  }
  return error.errors.map((e) => {
    const known = labels.get(e.field);
    if (!known) return { code: e.field, label: e.message };
    return { code: e.field, label: locale === 'en' ? known.en : known.zh, detail: usefulDetail(known.item, locale) };
  });
}

/** The server's account of what an unmet gate item lacks, in English and Chinese. */
export interface GateDetail {
  detail?: string | null;
  detail_zh?: string | null;
}

/**
 * The server's detail of an unmet item, in the user's language, when it tells the user more than
 * the label does (the decision makers below the level or without a touchpoint, counts); "x is not
 * recorded" and "x must be y" only repeat the label in field names.
 */
export function usefulDetail(item: GateDetail, locale: string): string | undefined {
  const detail = item.detail;
  if (!detail || / is not recorded$| must be /.test(detail)) return undefined;
  return locale === 'en' ? detail : (item.detail_zh ?? detail);
}

/** Basis points → "33.33%" (integer arithmetic). */
export function percentOfBp(bp: number | undefined): string {
  const n = Math.max(0, Math.trunc(bp ?? 0));
  return `${Math.trunc(n / 100)}.${String(n % 100).padStart(2, '0')}%`;
}

/** Seconds → whole days and tenths ("2.5"). */
export function daysOfSeconds(seconds: number | undefined): string {
  const tenths = Math.round((seconds ?? 0) / 8640);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}`;
}

/** Fen as yuan for a chart axis (display only). */
export function chartYuan(fen: number | undefined): number {
  return Number(fenToYuan(fen ?? 0) || 0);
}

export function funnelChart(funnel: Funnel, stageName: (stage: number) => string) {
  const stages = funnel.stages ?? [];
  return {
    categories: stages.map((s) => stageName(s.stage ?? 0)),
    counts: stages.map((s) => s.count ?? 0),
    reached: stages.map((s) => s.reached ?? 0),
    values: stages.map((s) => chartYuan(s.value_fen)),
  };
}

export function forecastChart(forecast: Forecast) {
  const months = forecast.months ?? [];
  return {
    months: months.map((m) => m.month ?? ''),
    weighted: months.map((m) => chartYuan(m.weighted_value_fen)),
    expected: months.map((m) => chartYuan(m.expected_value_fen)),
    won: months.map((m) => chartYuan(m.won_value_fen)),
  };
}

export const SAMPLE_FIELDS = ['specification', 'quantity', 'requested_on', 'delivered_on', 'note'] as const;
export const PLAN_STEP_FIELDS = ['title', 'owner_id', 'due_date'] as const;

/** The dialog's values of an existing sample / plan step (dates as the YYYY-MM-DD text inputs). */
export function sampleValues(s: OpportunitySample): Record<string, unknown> {
  return { specification: s.specification, quantity: s.quantity, requested_on: s.requested_on, delivered_on: s.delivered_on ?? '', note: s.note ?? '' };
}

export function planStepValues(s: PlanStep): Record<string, unknown> {
  return { title: s.title, owner_id: s.owner_id ?? undefined, due_date: s.due_date ?? '' };
}

/** PATCH body of a sample (without version): only what changed, so a date edit keeps the sign-off. */
export function sampleChanges(values: Record<string, unknown>, s: OpportunitySample): OpportunitySampleChanges {
  return changesBody<OpportunitySampleChanges>(values, s, SAMPLE_FIELDS);
}

export function planStepChanges(values: Record<string, unknown>, s: PlanStep): PlanStepChanges {
  return changesBody<PlanStepChanges>(values, s, PLAN_STEP_FIELDS);
}

/** The server clears a sample's technical sign-off when its specification or quantity changes. */
export function resetsSignOff(changes: OpportunitySampleChanges): boolean {
  return 'specification' in changes || 'quantity' in changes;
}

/** A delivery cannot come before the request (dates as YYYY-MM-DD, so text order is date order). */
export function deliveredBeforeRequested(requestedOn: unknown, deliveredOn: unknown): boolean {
  return typeof requestedOn === 'string' && typeof deliveredOn === 'string' && deliveredOn !== '' && requestedOn !== '' && deliveredOn < requestedOn;
}
