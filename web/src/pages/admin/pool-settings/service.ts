// Pool settings (公海规则) endpoints: read, change (admin) and run the recovery job now.
import { api } from '../../../api/client';
import type { PoolSettings } from '../../accounts/tabs/types';

export type PoolSettingsChanges = Partial<Omit<PoolSettings, 'version'>>;

export function getPoolSettings(): Promise<PoolSettings> {
  return api.get<PoolSettings>('/settings/pool');
}

export function updatePoolSettings(version: number, changes: PoolSettingsChanges): Promise<PoolSettings> {
  return api.patch<PoolSettings>('/settings/pool', { ...changes, version });
}

export function runPoolRecovery(): Promise<{ recovered: number }> {
  return api.post<{ recovered: number }>('/jobs/pool-recovery/run', {});
}

/** The PATCH body: only the numbers that changed (recovery days as a whole object). */
export function poolSettingsChanges(values: Omit<PoolSettings, 'version'>, current: PoolSettings): PoolSettingsChanges {
  const out: PoolSettingsChanges = {};
  if (values.max_owned_per_user !== current.max_owned_per_user) out.max_owned_per_user = values.max_owned_per_user;
  if (values.max_claims_per_day !== current.max_claims_per_day) out.max_claims_per_day = values.max_claims_per_day;
  const keys = ['A', 'B', 'C', 'none'] as const;
  if (keys.some((k) => values.recovery_days[k] !== current.recovery_days[k])) out.recovery_days = { ...values.recovery_days };
  return out;
}
