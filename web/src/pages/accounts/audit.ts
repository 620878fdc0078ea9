// What an audit entry changed, field by field, for the change history of a record.
import type { AuditEntry } from '../../api/types';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping fields that change on every write and say nothing to a reader. */
const IGNORED = new Set(['id', 'version', 'created_at', 'updated_at', 'deleted_at']);

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === '' ? null : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * The fields whose value differs between `before` and `after` (a create has no before, a delete
 * no after), in a stable order: fields named in `order` first, then the rest alphabetically.
 */
export function auditChanges(entry: Pick<AuditEntry, 'before' | 'after'>, order: readonly string[] = []): FieldChange[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const field of keys) {
    if (IGNORED.has(field)) continue;
    if (same(before[field], after[field])) continue;
    changes.push({ field, before: before[field] ?? null, after: after[field] ?? null });
  }
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i < 0 ? order.length : i;
  };
  return changes.sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field));
}
