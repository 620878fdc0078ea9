// Customer pool (公海) endpoints: the pool list, claiming, the pool settings (limits) and how
// many accounts the current user owns.
import { api } from '../../api/client';
import type { Account, Page } from '../../api/types';
import type { PoolSettings } from '../accounts/tabs/types';

export { claimAccount } from '../accounts/tabs/service';

export interface PoolQuery {
  q?: string;
  province?: string;
  city?: string;
  industry?: string;
  tier?: string;
  limit?: number;
  offset?: number;
}

export function listPool(query: PoolQuery, signal?: AbortSignal): Promise<Page<Account>> {
  return api.get<Page<Account>>('/accounts/pool', { query: { ...query }, signal });
}

export function getPoolSettings(signal?: AbortSignal): Promise<PoolSettings> {
  return api.get<PoolSettings>('/settings/pool', { signal });
}

/** How many accounts `userId` owns (the list's total with limit 1). */
export async function countOwnedBy(userId: number, signal?: AbortSignal): Promise<number> {
  const page = await api.get<Page<Account>>('/accounts', { query: { owner_id: userId, limit: 1 }, signal });
  return page.total;
}
