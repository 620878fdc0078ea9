// User and role endpoints.
import { api } from '../../../api/client';
import type { Page, Role, User, UserChanges, UserCreate } from '../../../api/types';

export interface UserQuery {
  q?: string;
  limit?: number;
  offset?: number;
}

export type CreateUserInput = UserCreate;
export type UpdateUserInput = UserChanges;

export function listUsers(query: UserQuery, signal?: AbortSignal): Promise<Page<User>> {
  return api.get<Page<User>>('/users', { query: { ...query }, signal });
}

export function createUser(input: CreateUserInput): Promise<User> {
  return api.post<User>('/users', input);
}

export function updateUser(id: number, version: number, changes: UpdateUserInput): Promise<User> {
  return api.patch<User>(`/users/${id}`, { ...changes, version });
}

export function listRoles(): Promise<Page<Role>> {
  return api.get<Page<Role>>('/roles');
}
