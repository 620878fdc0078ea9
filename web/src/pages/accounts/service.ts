// Account endpoints, one typed function each (the archive of docs/archive-api.md included:
// filters, saved views, export, the printable 客户档案表).
import { api, buildUrl } from '../../api/client';
import type { AccountChanges, AccountInput, AuditEntry, Page, User } from '../../api/types';
import { downloadFile } from '../../components/download';
import type { ArchiveAccount } from './archive';
import type { AccountSort, ViewQuery } from './listState';

export type { AccountSort } from './listState';

export interface AccountQuery {
  q?: string;
  limit?: number;
  offset?: number;
  sort?: AccountSort;
  /** Filters of the list (docs/archive-api.md), by their API names. */
  [filter: string]: string | number | undefined;
}

export function listAccounts(query: AccountQuery, signal?: AbortSignal): Promise<Page<ArchiveAccount>> {
  return api.get<Page<ArchiveAccount>>('/accounts', { query: { ...query }, signal });
}

export function getAccount(id: number | string): Promise<ArchiveAccount> {
  return api.get<ArchiveAccount>(`/accounts/${id}`);
}

export function createAccount(input: AccountInput | Record<string, unknown>): Promise<ArchiveAccount> {
  return api.post<ArchiveAccount>('/accounts', input);
}

export function updateAccount(id: number | string, version: number, changes: AccountChanges | Record<string, unknown>): Promise<ArchiveAccount> {
  return api.patch<ArchiveAccount>(`/accounts/${id}`, { ...changes, version });
}

export function deleteAccount(id: number | string): Promise<void> {
  return api.del(`/accounts/${id}`);
}

export function listAccountAudit(id: number | string): Promise<Page<AuditEntry>> {
  return api.get<Page<AuditEntry>>('/audit', { query: { entity: 'account', entity_id: id, limit: 100 } });
}

/** Downloads GET /accounts/export (CSV with BOM, or XLSX) for the list's search and filters. */
export function exportAccounts(query: Record<string, string | undefined>): Promise<string> {
  const format = query.format === 'xlsx' ? 'xlsx' : 'csv';
  return downloadFile('/accounts/export', query, `accounts.${format}`);
}

/** Links of the printable 客户档案表 of an account. */
export function archiveFormUrl(id: number | string, format: 'html' | 'xlsx'): string {
  return buildUrl(`/accounts/${id}/forms/archive.${format}`);
}

export function downloadArchiveForm(id: number | string): Promise<string> {
  return downloadFile(`/accounts/${id}/forms/archive.xlsx`, undefined, `archive-${id}.xlsx`);
}

// Saved list views (per user).
export interface SavedView {
  id: number;
  entity: string;
  name: string;
  query: ViewQuery;
  version: number;
  created_at: string;
  updated_at: string;
}

export function listSavedViews(): Promise<Page<SavedView>> {
  return api.get<Page<SavedView>>('/saved-views', { query: { entity: 'accounts', limit: 100 } });
}

export function createSavedView(name: string, query: ViewQuery): Promise<SavedView> {
  return api.post<SavedView>('/saved-views', { entity: 'accounts', name, query });
}

export function updateSavedView(view: SavedView, changes: { name?: string; query?: ViewQuery }): Promise<SavedView> {
  return api.patch<SavedView>(`/saved-views/${view.id}`, { ...changes, version: view.version });
}

export function deleteSavedView(id: number): Promise<void> {
  return api.del(`/saved-views/${id}`);
}

// Owners for the owner filter (needs users.read; others filter on themselves only).
export function searchUsers(q: string, signal?: AbortSignal): Promise<Page<User>> {
  return api.get<Page<User>>('/users', { query: { q: q || undefined, limit: 20 }, signal });
}

export function getUser(id: number | string): Promise<User> {
  return api.get<User>(`/users/${id}`);
}
