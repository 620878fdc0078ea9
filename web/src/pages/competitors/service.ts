// Competitor registry (竞争对手库) endpoints, one typed function each.
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { Competitor, CompetitorInput } from '../accounts/tabs/types';

export interface CompetitorQuery {
  q?: string;
  limit?: number;
  offset?: number;
}

export function listCompetitors(query: CompetitorQuery, signal?: AbortSignal): Promise<Page<Competitor>> {
  return api.get<Page<Competitor>>('/competitors', { query: { ...query }, signal });
}

export function getCompetitor(id: number | string): Promise<Competitor> {
  return api.get<Competitor>(`/competitors/${id}`);
}

export function createCompetitor(input: CompetitorInput & { name: string }): Promise<Competitor> {
  return api.post<Competitor>('/competitors', input);
}

export function updateCompetitor(id: number | string, version: number, changes: CompetitorInput): Promise<Competitor> {
  return api.patch<Competitor>(`/competitors/${id}`, { ...changes, version });
}

export function deleteCompetitor(id: number | string): Promise<void> {
  return api.del(`/competitors/${id}`);
}
