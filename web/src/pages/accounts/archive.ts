// The customer archive (客户档案, issue 3) as the web app sees it: the fields an account gained
// (docs/archive-api.md), their enum values, their sections on the form and the detail page
// (基本信息, 经营信息, 需求与偏好, 分类), and the Chinese labels of the 客户档案表.
// One table (ARCHIVE_FIELDS) drives the form, the request bodies and the detail page, so the
// three cannot drift apart. Keep the enum lists in step with the contract and the dictionaries
// (a unit test checks that every enum value has a label in both languages).
import type { MessageKey } from '../../i18n';
import type { Account } from '../../api/types';

export const OWNERSHIP_TYPES = ['state_owned', 'private', 'foreign', 'joint_venture', 'collective', 'other'] as const;
export const PROCUREMENT_MODES = ['centralized', 'decentralized'] as const;
export const CUSTOMER_KINDS = ['channel', 'end_user'] as const;
export const PRICE_SENSITIVITIES = ['high', 'medium', 'low'] as const;
export const TIERS = ['A', 'B', 'C'] as const;
export const MARKET_STAGES = ['mature', 'development', 'rectification'] as const;
export const RELATIONSHIP_STAGES = ['establish', 'stabilize', 'strengthen'] as const;

export type OwnershipType = (typeof OWNERSHIP_TYPES)[number];
export type ProcurementMode = (typeof PROCUREMENT_MODES)[number];
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export type PriceSensitivity = (typeof PRICE_SENSITIVITIES)[number];
export type Tier = (typeof TIERS)[number];
export type MarketStage = (typeof MARKET_STAGES)[number];
export type RelationshipStage = (typeof RELATIONSHIP_STAGES)[number];

/** The enum fields of an account and their values, in the order a select lists them. */
export const ENUMS = {
  ownership_type: OWNERSHIP_TYPES,
  procurement_mode: PROCUREMENT_MODES,
  customer_kind: CUSTOMER_KINDS,
  price_sensitivity: PRICE_SENSITIVITIES,
  tier: TIERS,
  market_stage: MARKET_STAGES,
  relationship_stage: RELATIONSHIP_STAGES,
} as const;
export type EnumField = keyof typeof ENUMS;

export function isEnumValue(field: EnumField, value: unknown): boolean {
  return typeof value === 'string' && (ENUMS[field] as readonly string[]).includes(value);
}

/** Dictionary key of an enum value's label: account.enum.<field>.<value>. */
export function enumLabelKey(field: EnumField, value: string): MessageKey {
  return `account.enum.${field}.${value}` as MessageKey;
}

export interface MarketStagePriority {
  key: string;
  label_zh: string;
  label_en: string;
}

/** What issue 3 added to an account (all optional here until the OpenAPI document has them). */
export interface ArchiveFields {
  credit_code?: string | null;
  ownership_type?: OwnershipType | null;
  employees?: number | null;
  annual_revenue_fen?: number | null;
  founded_year?: number | null;
  website?: string | null;
  business_status?: string | null;
  procurement_mode?: ProcurementMode | null;
  customer_kind?: CustomerKind | null;
  needs?: string | null;
  preferences?: string | null;
  price_sensitivity?: PriceSensitivity | null;
  tier?: Tier | null;
  tier_override_reason?: string | null;
  market_stage?: MarketStage | null;
  relationship_stage?: RelationshipStage;
  /** Read-only, server-owned. */
  last_activity_at?: string | null;
  owned_since?: string | null;
  in_pool?: boolean;
  /** Only on GET /accounts/{id}. */
  market_stage_priorities?: MarketStagePriority[];
}

export type ArchiveAccount = Account & ArchiveFields;

export const SECTIONS = ['basic', 'business', 'needs', 'classification'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, MessageKey> = {
  basic: 'account.section.basic',
  business: 'account.section.business',
  needs: 'account.section.needs',
  classification: 'account.section.classification',
};

/**
 * How a field is edited and sent:
 * text/textarea → trimmed string ("" clears on edit); enum → a select, null clears;
 * integer → digits, sent as a number; money → yuan with up to 2 decimals on the form, integer fen
 * on the wire; province/city → text with suggestions from GET /divisions.
 */
export type FieldKind = 'text' | 'textarea' | 'enum' | 'integer' | 'money' | 'province' | 'city';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  section: Section;
  label: MessageKey;
  maxLength?: number;
  /** integer fields: inclusive bounds (max may be a function of today, e.g. the current year). */
  min?: number;
  max?: number | (() => number);
  /** Wider on the form (full row). */
  wide?: boolean;
}

export const ARCHIVE_FIELDS: FieldSpec[] = [
  { name: 'name', kind: 'text', section: 'basic', label: 'account.name', maxLength: 200, wide: true },
  { name: 'credit_code', kind: 'text', section: 'basic', label: 'account.creditCode', maxLength: 18 },
  { name: 'industry', kind: 'text', section: 'basic', label: 'account.industry', maxLength: 100 },
  { name: 'ownership_type', kind: 'enum', section: 'basic', label: 'account.ownershipType' },
  { name: 'founded_year', kind: 'integer', section: 'basic', label: 'account.foundedYear', min: 1800, max: () => new Date().getFullYear() },
  { name: 'province', kind: 'province', section: 'basic', label: 'account.province', maxLength: 50 },
  { name: 'city', kind: 'city', section: 'basic', label: 'account.city', maxLength: 50 },
  { name: 'address', kind: 'textarea', section: 'basic', label: 'account.address', maxLength: 500, wide: true },
  { name: 'website', kind: 'text', section: 'basic', label: 'account.website', maxLength: 200, wide: true },
  { name: 'employees', kind: 'integer', section: 'business', label: 'account.employees', min: 0, max: 100_000_000 },
  { name: 'annual_revenue_fen', kind: 'money', section: 'business', label: 'account.annualRevenue' },
  { name: 'procurement_mode', kind: 'enum', section: 'business', label: 'account.procurementMode' },
  { name: 'business_status', kind: 'textarea', section: 'business', label: 'account.businessStatus', maxLength: 500, wide: true },
  { name: 'needs', kind: 'textarea', section: 'needs', label: 'account.needs', maxLength: 2000, wide: true },
  { name: 'preferences', kind: 'textarea', section: 'needs', label: 'account.preferences', maxLength: 2000, wide: true },
  { name: 'price_sensitivity', kind: 'enum', section: 'needs', label: 'account.priceSensitivity' },
  { name: 'customer_kind', kind: 'enum', section: 'classification', label: 'account.customerKind' },
  { name: 'market_stage', kind: 'enum', section: 'classification', label: 'account.marketStage' },
  { name: 'relationship_stage', kind: 'enum', section: 'classification', label: 'account.relationshipStage' },
  { name: 'tier', kind: 'enum', section: 'classification', label: 'account.tier' },
  { name: 'tier_override_reason', kind: 'textarea', section: 'classification', label: 'account.tierOverrideReason', maxLength: 500, wide: true },
];

/** Every field name the form sends (and the server may report a 422 on). */
export const ARCHIVE_FIELD_NAMES: readonly string[] = ARCHIVE_FIELDS.map((f) => f.name);

export function fieldMax(spec: FieldSpec): number | undefined {
  return typeof spec.max === 'function' ? spec.max() : spec.max;
}

/**
 * GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from
 * 0-9 and A-Y without I, O, S, V, Z; the last is a check character over the first 17
 * (weights 3^i mod 31). Returns null when valid, otherwise what is wrong.
 */
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'characters' | 'checksum';

export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  let sum = 0;
  for (let i = 0; i < 18; i += 1) {
    const value = CREDIT_CHARSET.indexOf(code[i]);
    if (value < 0) return 'characters';
    if (i < 17) sum += value * CREDIT_WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CHARSET[check] === code[17] ? null : 'checksum';
}

/** What a person types (spaces, lower case) → the canonical form of a credit code. */
export function normalizeCreditCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}
