// Types of the pipeline's resources, as aliases of the OpenAPI components (schema.d.ts).
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type Opportunity = Schemas['Opportunity'];
export type OpportunityCreate = Schemas['OpportunityCreate'];
export type OpportunityChanges = Omit<Schemas['OpportunityUpdate'], 'version'>;
export type GateCheck = Schemas['GateCheck'];
export type StageHistoryEntry = Schemas['StageHistoryEntry'];
export type OpportunitySample = Schemas['OpportunitySample'];
export type PlanStep = Schemas['PlanStep'];
export type Touchpoint = Schemas['Touchpoint'];
export type ClosingRecord = Schemas['ClosingRecord'];
export type LostReason = Schemas['LostReason'];
export type Funnel = Schemas['Funnel'];
export type Forecast = Schemas['Forecast'];
export type GateItem = Schemas['GateItem'];
export type GateKind = NonNullable<GateItem['kind']>;
export type PipelineSettings = Schemas['PipelineSettings'];
export type OpportunitySampleChanges = Omit<Schemas['OpportunitySampleUpdate'], 'version'>;
export type PlanStepChanges = Omit<Schemas['PlanStepUpdate'], 'version'>;

export const STAGES = [1, 2, 3, 4, 5] as const;
export type Stage = (typeof STAGES)[number];
export const CLOSING_KINDS = ['executive_meeting', 'site_inspection', 'factory_audit', 'system_support'] as const;
