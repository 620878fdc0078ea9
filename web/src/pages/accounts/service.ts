// Account endpoints, one typed function each.
import { api } from '../../api/client';
import type { Account, AccountChanges, AccountInput, AuditEntry, Page } from '../../api/types';

export type AccountSort = 'name' | '-name' | 'created_at' | '-created_at' | 'updated_at' | '-updated_at';

export interface AccountQuery {
  q?: string;
  limit?: number;
  offset?: number;
  sort?: AccountSort;
}

export function listAccounts(query: AccountQuery, signal?: AbortSignal): Promise<Page<Account>> {
  return api.get<Page<Account>>('/accounts', { query: { ...query }, signal });
}

export function getAccount(id: number | string): Promise<Account> {
  return api.get<Account>(`/accounts/${id}`);
}

export function createAccount(input: AccountInput): Promise<Account> {
  return api.post<Account>('/accounts', input);
}

export function updateAccount(id: number | string, version: number, changes: AccountChanges): Promise<Account> {
  return api.patch<Account>(`/accounts/${id}`, { ...changes, version });
}

export function deleteAccount(id: number | string): Promise<void> {
  return api.del(`/accounts/${id}`);
}

export function listAccountAudit(id: number | string): Promise<Page<AuditEntry>> {
  return api.get<Page<AuditEntry>>('/audit', { query: { entity: 'account', entity_id: id, limit: 100 } });
}
