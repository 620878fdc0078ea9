// Approvals endpoints, one typed function each.
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type {
  ApprovalAction, ApprovalChain, ApprovalChainStep, ApprovalInbox, ApprovalRequest, ApprovalStatus, Budget, BudgetCreate,
  DevelopmentCost, Kind,
} from './types';

export const basePath = (kind: Kind) => (kind === 'gift' ? '/gift-requests' : '/reception-requests');

export function getInbox(limit = 50, offset = 0, signal?: AbortSignal): Promise<ApprovalInbox> {
  return api.get<ApprovalInbox>('/approvals/inbox', { query: { limit, offset }, signal });
}

export function getMine(status: ApprovalStatus | undefined, limit = 20, offset = 0): Promise<Page<ApprovalRequest>> {
  return api.get<Page<ApprovalRequest>>('/approvals/mine', { query: { status, limit, offset } });
}

export function getRequest(kind: Kind, id: number | string): Promise<ApprovalRequest> {
  return api.get<ApprovalRequest>(`${basePath(kind)}/${id}`);
}

export function createRequest(kind: Kind, body: Record<string, unknown>): Promise<ApprovalRequest> {
  return api.post<ApprovalRequest>(basePath(kind), body);
}

export function updateRequest(kind: Kind, id: number, version: number, changes: Record<string, unknown>): Promise<ApprovalRequest> {
  return api.patch<ApprovalRequest>(`${basePath(kind)}/${id}`, { ...changes, version });
}

export function actOn(kind: Kind, id: number, action: ApprovalAction, body: { comment?: string; version?: number }): Promise<ApprovalRequest> {
  return api.post<ApprovalRequest>(`${basePath(kind)}/${id}/${action}`, body);
}

export function getDevelopmentCost(accountId: number): Promise<DevelopmentCost> {
  return api.get<DevelopmentCost>(`/accounts/${accountId}/development-cost`);
}

export function listBudgets(query: { account_id?: number; kind?: Kind; period?: string; limit?: number; offset?: number }): Promise<Page<Budget>> {
  return api.get<Page<Budget>>('/budgets', { query: { ...query } });
}

export function createBudget(body: BudgetCreate): Promise<Budget> {
  return api.post<Budget>('/budgets', body);
}

export function updateBudget(id: number, version: number, changes: { amount_fen?: number; notes?: string | null }): Promise<Budget> {
  return api.patch<Budget>(`/budgets/${id}`, { ...changes, version });
}

export function deleteBudget(id: number): Promise<void> {
  return api.del(`/budgets/${id}`);
}

export function listChains(): Promise<Page<ApprovalChain>> {
  return api.get<Page<ApprovalChain>>('/approval-chains');
}

export function putChain(kind: Kind, version: number, steps: ApprovalChainStep[]): Promise<ApprovalChain> {
  return api.put<ApprovalChain>(`/approval-chains/${kind}`, { version, steps });
}
