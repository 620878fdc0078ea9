// Endpoints of the account detail tabs (contacts and buying centre, secondary customers and
// their growth, competitors on the account, ownership) — one typed function each.
import { api } from '../../../api/client';
import type { Account, Page } from '../../../api/types';
import type {
  AccountCompetitor,
  AccountCompetitorInput,
  BuyingCenter,
  Contact,
  ContactInput,
  GrowthInput,
  GrowthRecord,
  OwnershipLogEntry,
  SecondaryCustomer,
  SecondaryCustomerInput,
} from './types';

type Id = number | string;

// Contacts and the buying centre.
export function listContacts(accountId: Id, signal?: AbortSignal): Promise<Page<Contact>> {
  return api.get<Page<Contact>>('/contacts', { query: { account_id: accountId, limit: 200 }, signal });
}

export function createContact(input: ContactInput & { account_id: number; name: string }): Promise<Contact> {
  return api.post<Contact>('/contacts', input);
}

export function updateContact(id: Id, version: number, changes: ContactInput): Promise<Contact> {
  return api.patch<Contact>(`/contacts/${id}`, { ...changes, version });
}

export function deleteContact(id: Id): Promise<void> {
  return api.del(`/contacts/${id}`);
}

export function getBuyingCenter(accountId: Id, signal?: AbortSignal): Promise<BuyingCenter> {
  return api.get<BuyingCenter>(`/accounts/${accountId}/buying-center`, { signal });
}

// Secondary customers (二级客户) and their growth records.
export function listSecondaryCustomers(accountId: Id, signal?: AbortSignal): Promise<Page<SecondaryCustomer>> {
  return api.get<Page<SecondaryCustomer>>(`/accounts/${accountId}/secondary-customers`, { query: { limit: 200 }, signal });
}

export function createSecondaryCustomer(accountId: Id, input: SecondaryCustomerInput): Promise<SecondaryCustomer> {
  return api.post<SecondaryCustomer>(`/accounts/${accountId}/secondary-customers`, input);
}

export function updateSecondaryCustomer(id: Id, version: number, changes: SecondaryCustomerInput): Promise<SecondaryCustomer> {
  return api.patch<SecondaryCustomer>(`/secondary-customers/${id}`, { ...changes, version });
}

export function deleteSecondaryCustomer(id: Id): Promise<void> {
  return api.del(`/secondary-customers/${id}`);
}

export function listGrowth(secondaryId: Id, signal?: AbortSignal): Promise<Page<GrowthRecord>> {
  return api.get<Page<GrowthRecord>>(`/secondary-customers/${secondaryId}/growth`, { query: { limit: 100 }, signal });
}

export function createGrowth(secondaryId: Id, input: GrowthInput): Promise<GrowthRecord> {
  return api.post<GrowthRecord>(`/secondary-customers/${secondaryId}/growth`, input);
}

// Competitors on the account.
export function listAccountCompetitors(accountId: Id, signal?: AbortSignal): Promise<Page<AccountCompetitor>> {
  return api.get<Page<AccountCompetitor>>(`/accounts/${accountId}/competitors`, { query: { limit: 200 }, signal });
}

export function createAccountCompetitor(accountId: Id, input: AccountCompetitorInput): Promise<AccountCompetitor> {
  return api.post<AccountCompetitor>(`/accounts/${accountId}/competitors`, input);
}

export function updateAccountCompetitor(id: Id, version: number, changes: AccountCompetitorInput): Promise<AccountCompetitor> {
  return api.patch<AccountCompetitor>(`/account-competitors/${id}`, { ...changes, version });
}

export function deleteAccountCompetitor(id: Id): Promise<void> {
  return api.del(`/account-competitors/${id}`);
}

// Ownership: the log, and claim / release / transfer.
export function listOwnershipLog(accountId: Id, signal?: AbortSignal): Promise<Page<OwnershipLogEntry>> {
  return api.get<Page<OwnershipLogEntry>>(`/accounts/${accountId}/ownership-log`, { query: { limit: 100 }, signal });
}

export function claimAccount(accountId: Id): Promise<Account> {
  return api.post<Account>(`/accounts/${accountId}/claim`, {});
}

export function releaseAccount(accountId: Id): Promise<Account> {
  return api.post<Account>(`/accounts/${accountId}/release`, {});
}

export function transferAccount(accountId: Id, ownerId: number): Promise<Account> {
  return api.post<Account>(`/accounts/${accountId}/transfer`, { owner_id: ownerId });
}
