// What the pool page shows about the current user's limits (max accounts owned, claims a day).

export interface LimitStatus {
  used: number;
  max: number;
  remaining: number;
  /** 0..100 for a progress bar. */
  percent: number;
  /** No more may be taken. */
  full: boolean;
  /** Close to the limit (≥ 90 %), worth a warning colour. */
  near: boolean;
}

export function limitStatus(used: number | null | undefined, max: number | null | undefined): LimitStatus | null {
  if (typeof max !== 'number' || !Number.isFinite(max) || max < 0) return null;
  const u = typeof used === 'number' && Number.isFinite(used) && used > 0 ? used : 0;
  const remaining = Math.max(0, max - u);
  const percent = max === 0 ? 100 : Math.min(100, Math.round((u / max) * 100));
  return { used: u, max, remaining, percent, full: u >= max, near: max === 0 || u / max >= 0.9 };
}

/** Progress bar status for antd: red when full, orange-ish (active) when near, normal otherwise. */
export function limitProgressStatus(status: LimitStatus): 'exception' | 'active' | 'normal' {
  if (status.full) return 'exception';
  if (status.near) return 'active';
  return 'normal';
}

/**
 * The message for a refused claim or transfer: the server answers 422 with the limit's name as
 * the field (max_owned_per_user, max_claims_per_day); those get a sentence of their own.
 */
export function limitErrorKey(error: unknown): 'pool.limitOwned' | 'pool.limitClaims' | null {
  if (!error || typeof error !== 'object') return null;
  const { status, errors } = error as { status?: number; errors?: { field: string }[] };
  if (status !== 422 || !Array.isArray(errors)) return null;
  if (errors.some((e) => e.field === 'max_owned_per_user')) return 'pool.limitOwned';
  if (errors.some((e) => e.field === 'max_claims_per_day')) return 'pool.limitClaims';
  return null;
}
