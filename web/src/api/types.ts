// Types of the API's resources (snake_case, as on the wire), as aliases of the components of
// the OpenAPI document: `npm run gen:api` regenerates schema.d.ts from ../api/openapi.json
// (the build does it first), so the web app and the server cannot drift apart unnoticed.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Permission = Schemas['Permission'];
export type DataScope = Schemas['DataScope'];
export type Problem = Schemas['Problem'];

/** Every list endpoint answers `{items, total}`; total counts all pages. */
export interface Page<T> {
  items: T[];
  total: number;
  /** false: more than `total` match (the server stopped counting). */
  total_exact?: boolean;
}

export type User = Schemas['User'];
/** GET /auth/me: the user plus what they may do and see. */
export type CurrentUser = Schemas['Me'];
export type LoginResponse = Schemas['LoginResponse'];
export type UserCreate = Schemas['UserCreate'];
export type UserChanges = Omit<Schemas['UserUpdate'], 'version'>;

export type Department = Schemas['Department'];
export type Role = Schemas['Role'];

export type Account = Schemas['Account'];
export type AccountInput = Schemas['AccountCreate'];
export type AccountChanges = Omit<Schemas['AccountUpdate'], 'version'>;

export type AuditAction = Schemas['AuditAction'];
export type AuditEntry = Schemas['AuditEntry'];
