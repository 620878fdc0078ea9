// Resource types of the customer archive's sub-resources (docs/archive-api.md), snake_case as on
// the wire. Written by hand from the contract so this half of the web app builds while the
// server's OpenAPI document is still growing; keep them in step with api/openapi.json.

export type BuyingRole = 'decision_maker' | 'influencer' | 'user' | 'gatekeeper' | 'insider';
export type Attitude = 'supporter' | 'neutral' | 'opponent';
export type ContactStatus = 'active' | 'left';
export type RelationshipStage = 'establish' | 'stabilize' | 'strengthen';

export const BUYING_ROLES: BuyingRole[] = ['decision_maker', 'influencer', 'user', 'gatekeeper', 'insider'];
export const ATTITUDES: Attitude[] = ['supporter', 'neutral', 'opponent'];
export const RELATIONSHIP_STAGES: RelationshipStage[] = ['establish', 'stabilize', 'strengthen'];

export interface Contact {
  id: number;
  account_id: number;
  account_name?: string | null;
  name: string;
  title: string | null;
  department: string | null;
  phone: string | null;
  email: string | null;
  buying_role: BuyingRole | null;
  attitude: Attitude | null;
  relationship_level: number | null;
  status: ContactStatus;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ContactInput {
  account_id?: number;
  name?: string;
  title?: string | null;
  department?: string | null;
  phone?: string | null;
  email?: string | null;
  buying_role?: BuyingRole | null;
  attitude?: Attitude | null;
  relationship_level?: number | null;
  status?: ContactStatus;
  notes?: string | null;
}

export interface BuyingCenterSummary {
  decision_makers: number;
  supporters: number;
  opponents: number;
  insiders: number;
}

export interface BuyingCenter {
  account_id: number;
  relationship_stage: RelationshipStage;
  contacts: Contact[];
  summary: BuyingCenterSummary;
}

export type SecondaryKind = 'direct_retailer' | 'indirect_retailer' | 'mixed_dealer';
export const SECONDARY_KINDS: SecondaryKind[] = ['direct_retailer', 'indirect_retailer', 'mixed_dealer'];

export interface GrowthRecord {
  id: number;
  secondary_customer_id?: number;
  recorded_on: string;
  revenue_fen: number | null;
  outlets: number | null;
  note: string | null;
  created_by: number | null;
  created_by_name?: string | null;
  created_at: string;
}

export interface GrowthInput {
  recorded_on: string;
  revenue_fen?: number | null;
  outlets?: number | null;
  note?: string | null;
}

export interface SecondaryCustomer {
  id: number;
  account_id: number;
  name: string;
  kind: SecondaryKind;
  contact_name: string | null;
  phone: string | null;
  province: string | null;
  city: string | null;
  address: string | null;
  business_status: string | null;
  resources: string | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  latest_growth: GrowthRecord | null;
}

export interface SecondaryCustomerInput {
  name?: string;
  kind?: SecondaryKind;
  contact_name?: string | null;
  phone?: string | null;
  province?: string | null;
  city?: string | null;
  address?: string | null;
  business_status?: string | null;
  resources?: string | null;
  notes?: string | null;
}

export interface Competitor {
  id: number;
  name: string;
  website: string | null;
  main_products: string | null;
  strengths: string | null;
  weaknesses: string | null;
  notes: string | null;
  version: number;
  created_at?: string;
  updated_at?: string;
}

export interface CompetitorInput {
  name?: string;
  website?: string | null;
  main_products?: string | null;
  strengths?: string | null;
  weaknesses?: string | null;
  notes?: string | null;
}

export type PriceLevel = 'higher' | 'similar' | 'lower';
export const PRICE_LEVELS: PriceLevel[] = ['higher', 'similar', 'lower'];

export interface AccountCompetitor {
  id: number;
  account_id: number;
  competitor_id: number;
  competitor_name: string;
  products: string | null;
  price_level: PriceLevel | null;
  share_percent: number | null;
  strengths: string | null;
  weaknesses: string | null;
  notes: string | null;
  version: number;
}

export interface AccountCompetitorInput {
  competitor_id?: number;
  products?: string | null;
  price_level?: PriceLevel | null;
  share_percent?: number | null;
  strengths?: string | null;
  weaknesses?: string | null;
  notes?: string | null;
}

export type OwnershipAction = 'claim' | 'release' | 'transfer' | 'recover' | 'import';

export interface OwnershipLogEntry {
  id: number;
  action: OwnershipAction | string;
  from_user_id: number | null;
  from_user_name: string | null;
  to_user_id: number | null;
  to_user_name: string | null;
  by_user_id: number | null;
  by_user_name: string | null;
  at: string;
}

export interface RecoveryDays {
  A: number;
  B: number;
  C: number;
  none: number;
}

export interface PoolSettings {
  max_owned_per_user: number;
  max_claims_per_day: number;
  recovery_days: RecoveryDays;
  version: number;
}

/** The archive fields of an account that this half of the web app reads (server-owned ones). */
export interface AccountOwnershipFields {
  id: number;
  name: string;
  owner_id: number | null;
  owner_name: string | null;
  department_id: number | null;
  department_name?: string | null;
  in_pool?: boolean;
  owned_since?: string | null;
  relationship_stage?: RelationshipStage;
  tier?: 'A' | 'B' | 'C' | null;
  version: number;
}
