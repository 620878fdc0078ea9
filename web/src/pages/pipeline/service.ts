// Pipeline endpoints (/opportunities, /pipeline/*), one typed function each.
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type {
  ClosingRecord, Forecast, Funnel, GateCheck, LostReason, Opportunity, OpportunityChanges, OpportunityCreate,
  OpportunitySample, OpportunitySampleChanges, PlanStep, PlanStepChanges, StageHistoryEntry, Touchpoint,
} from './types';

export type Query = Record<string, string | number | undefined>;

export const listOpportunities = (query: Query, signal?: AbortSignal) =>
  api.get<Page<Opportunity>>('/opportunities', { query: { ...query }, signal });
export const getOpportunity = (id: number | string) => api.get<Opportunity>(`/opportunities/${id}`);
export const createOpportunity = (input: OpportunityCreate) => api.post<Opportunity>('/opportunities', input);
export const updateOpportunity = (id: number, version: number, changes: OpportunityChanges) =>
  api.patch<Opportunity>(`/opportunities/${id}`, { ...changes, version });
export const getGate = (id: number | string) => api.get<GateCheck>(`/opportunities/${id}/gate`);
export const getHistory = (id: number | string) => api.get<Page<StageHistoryEntry>>(`/opportunities/${id}/history`);
export const advanceOpportunity = (id: number, overrideReason?: string) =>
  api.post<Opportunity>(`/opportunities/${id}/advance`, overrideReason ? { override_reason: overrideReason } : {});
export const goNoGo = (id: number, decision: 'go' | 'no_go', reason: string) =>
  api.post<Opportunity>(`/opportunities/${id}/go-no-go`, { decision, reason });
export const closeOpportunity = (id: number, body: Record<string, unknown>) =>
  api.post<Opportunity>(`/opportunities/${id}/close`, body);

export const listSamples = (id: number) => api.get<Page<OpportunitySample>>(`/opportunities/${id}/samples`);
export const createSample = (id: number, body: Record<string, unknown>) =>
  api.post<OpportunitySample>(`/opportunities/${id}/samples`, body);
export const updateSample = (sampleId: number, version: number, changes: OpportunitySampleChanges) =>
  api.patch<OpportunitySample>(`/opportunity-samples/${sampleId}`, { ...changes, version });
export const deleteSample = (sampleId: number) => api.del(`/opportunity-samples/${sampleId}`);
export const signOffSample = (sampleId: number, result: 'passed' | 'failed') =>
  api.post<OpportunitySample>(`/opportunity-samples/${sampleId}/sign-off`, { result });
export const listPlanSteps = (id: number) => api.get<Page<PlanStep>>(`/opportunities/${id}/plan-steps`);
export const createPlanStep = (id: number, body: Record<string, unknown>) =>
  api.post<PlanStep>(`/opportunities/${id}/plan-steps`, body);
export const updatePlanStep = (stepId: number, version: number, changes: PlanStepChanges) =>
  api.patch<PlanStep>(`/opportunity-plan-steps/${stepId}`, { ...changes, version });
export const deletePlanStep = (stepId: number) => api.del(`/opportunity-plan-steps/${stepId}`);
export const listTouchpoints = (id: number) => api.get<Page<Touchpoint>>(`/opportunities/${id}/touchpoints`);
export const createTouchpoint = (id: number, body: Record<string, unknown>) =>
  api.post<Touchpoint>(`/opportunities/${id}/touchpoints`, body);
export const listClosingRecords = (id: number) => api.get<Page<ClosingRecord>>(`/opportunities/${id}/closing-records`);
export const createClosingRecord = (id: number, body: Record<string, unknown>) =>
  api.post<ClosingRecord>(`/opportunities/${id}/closing-records`, body);

export const getLostReasons = () => api.get<{ items: LostReason[] }>('/pipeline/lost-reasons');
export const getFunnel = (query: Query) => api.get<Funnel>('/pipeline/funnel', { query: { ...query } });
export const getForecast = (query: Query) => api.get<Forecast>('/pipeline/forecast', { query: { ...query } });
export const getStalled = (query: Query) => api.get<Page<Opportunity>>('/pipeline/stalled', { query: { ...query } });
