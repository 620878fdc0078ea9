// Request bodies from antd form values, shared by the tabs, the competitor registry and the
// pool settings: a create leaves out empty fields; an edit sends only what changed, a cleared
// field as null (the server's "null clears").

type Values = Record<string, unknown>;

function normalize(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  return value === undefined ? null : value;
}

/** POST body: the fields of `values` that have a value, strings trimmed. */
export function createBody<T>(values: Values, fields: readonly string[]): T {
  const out: Values = {};
  for (const field of fields) {
    const value = normalize(values[field]);
    if (value !== null) out[field] = value;
  }
  return out as T;
}

/** PATCH body (without version): fields whose value differs from `existing`; cleared → null. */
export function changesBody<T>(values: Values, existing: object, fields: readonly string[]): T {
  const before = existing as Values;
  const out: Values = {};
  for (const field of fields) {
    if (!(field in values)) continue;
    const value = normalize(values[field]);
    const old = normalize(before[field]);
    if (value !== old) out[field] = value;
  }
  return out as T;
}

/** Yuan typed in a form (up to 2 decimals) → integer fen; empty → null. */
export function yuanToFen(yuan: number | string | null | undefined): number | null {
  if (yuan === null || yuan === undefined || yuan === '') return null;
  const n = typeof yuan === 'number' ? yuan : Number(yuan);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

/** Integer fen → yuan for display, with thousands separators: 1234567 → "12,345.67". */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
}
