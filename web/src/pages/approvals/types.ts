// Types of the approvals module, as aliases of the OpenAPI components (schema.d.ts is generated
// from api/openapi.json by `npm run gen:api`).
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type Kind = 'gift' | 'reception';
export const KINDS: Kind[] = ['gift', 'reception'];
export type GiftRequest = Schemas['GiftRequest'];
export type ReceptionRequest = Schemas['ReceptionRequest'];
export type ApprovalRequest = GiftRequest | ReceptionRequest;
export type ApprovalStep = Schemas['ApprovalStep'];
export type ApprovalEvent = Schemas['ApprovalEvent'];
export type ApprovalStatus = Schemas['ApprovalStatus'];
export type GiftRequestCreate = Schemas['GiftRequestCreate'];
export type ReceptionRequestCreate = Schemas['ReceptionRequestCreate'];
export type ApprovalChain = Schemas['ApprovalChain'];
export type ApprovalChainStep = Schemas['ApprovalChainStep'];
export type Budget = Schemas['Budget'];
export type BudgetCreate = Schemas['BudgetCreate'];
export type DevelopmentCost = Schemas['DevelopmentCost'];
export type ApprovalInbox = Schemas['ApprovalInbox'];
export type ApprovalAction = 'submit' | 'approve' | 'reject' | 'return' | 'withdraw';

export const STATUSES: ApprovalStatus[] = ['draft', 'pending', 'approved', 'rejected', 'returned', 'withdrawn'];
