// Endpoints of the session: login, logout, who am I.
import { api } from '../api/client';
import type { CurrentUser, LoginResponse } from '../api/types';

export function login(username: string, password: string): Promise<LoginResponse> {
  // A 401 here means "wrong password", shown on the form: no redirect.
  return api.post<LoginResponse>('/auth/login', { username, password }, { redirectOn401: false });
}

export function logout(): Promise<void> {
  return api.post<void>('/auth/logout', undefined, { redirectOn401: false });
}

export function fetchMe(): Promise<CurrentUser> {
  return api.get<CurrentUser>('/auth/me', { redirectOn401: false });
}
