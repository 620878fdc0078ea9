// Pure helpers of the activities pages: the four task quadrants, ISO weeks, calendar days
// and percentages. No React here, so vitest covers them directly.

export type Quadrant = 'q1' | 'q2' | 'q3' | 'q4';
export const QUADRANTS: Quadrant[] = ['q1', 'q2', 'q3', 'q4'];

/** Eisenhower quadrant: q1 urgent+important, q2 important, q3 urgent, q4 neither. */
export function quadrantOf(task: { urgent: boolean; important: boolean }): Quadrant {
  if (task.urgent && task.important) return 'q1';
  if (task.important) return 'q2';
  if (task.urgent) return 'q3';
  return 'q4';
}

export function groupByQuadrant<T extends { urgent: boolean; important: boolean; due_at: string }>(tasks: T[]): Record<Quadrant, T[]> {
  const out: Record<Quadrant, T[]> = { q1: [], q2: [], q3: [], q4: [] };
  for (const task of tasks) out[quadrantOf(task)].push(task);
  for (const q of QUADRANTS) out[q].sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0));
  return out;
}

const DAY = 24 * 3600 * 1000;

/** ISO week ("2026-W48", Monday..Sunday, UTC) of an instant. */
export function isoWeekOf(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of an ISO week, or null for text that is not one. */
export function weekStart(week: string): Date | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  return new Date(monday1 + (Number(m[2]) - 1) * 7 * DAY);
}

export function shiftWeek(week: string, by: number): string {
  const start = weekStart(week);
  return start ? isoWeekOf(new Date(start.getTime() + by * 7 * DAY)) : week;
}

/** The seven dates (YYYY-MM-DD, UTC) of an ISO week. */
export function weekDays(week: string): string[] {
  const start = weekStart(week);
  if (!start) return [];
  return Array.from({ length: 7 }, (_, i) => new Date(start.getTime() + i * DAY).toISOString().slice(0, 10));
}

/** Local calendar day (YYYY-MM-DD) of an ISO instant. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export interface CalendarEntry {
  kind: 'plan' | 'visit';
  id: number;
  at: string;
  title: string;
  status?: string;
}

/** Plans and visits grouped by local day, each day in time order. */
export function byDay(entries: CalendarEntry[]): Map<string, CalendarEntry[]> {
  const out = new Map<string, CalendarEntry[]>();
  for (const e of [...entries].sort((a, b) => (a.at < b.at ? -1 : 1))) {
    const key = localDay(e.at);
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push(e);
  }
  return out;
}

/** Basis points as a percentage with one decimal ("66.7%"); a dash when nothing was due. */
export function percent(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  return `${(bp / 100).toFixed(1)}%`;
}

/** A `datetime-local` input value (local time) → ISO instant (UTC). */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An instant → `datetime-local` input value in local time. */
export function isoToLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
