// Pipeline configuration endpoints (read: opportunities.read; replace: pipeline.admin): the gate
// checklists, the lost-reason taxonomy and the stalled thresholds. Each PUT replaces the whole list.
import { api } from '../../../api/client';
import type { GateItem, LostReason, PipelineSettings } from '../../pipeline/types';

export const getGates = () => api.get<{ items: GateItem[] }>('/pipeline/gates');
export const putGates = (body: { items: GateItem[] }) => api.put<{ items: GateItem[] }>('/pipeline/gates', body);
export const getLostReasons = () => api.get<{ items: LostReason[] }>('/pipeline/lost-reasons');
export const putLostReasons = (body: { items: LostReason[] }) => api.put<{ items: LostReason[] }>('/pipeline/lost-reasons', body);
export const getPipelineSettings = () => api.get<PipelineSettings>('/pipeline/settings');
export const putPipelineSettings = (body: PipelineSettings) => api.put<PipelineSettings>('/pipeline/settings', body);
