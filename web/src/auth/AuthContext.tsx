// The logged-in user for the whole app: loaded once from GET /auth/me, refreshed after login,
// cleared on logout. `can(permission)` is what menus, routes and buttons ask.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { isApiError } from '../api/client';
import type { CurrentUser, Permission } from '../api/types';
import * as authService from './service';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

interface AuthValue {
  status: AuthStatus;
  user: CurrentUser | null;
  /** Error other than 401 while loading the session (server down…). */
  loadError: unknown;
  permissions: ReadonlySet<string>;
  can: (permission?: Permission) => boolean;
  login: (username: string, password: string) => Promise<CurrentUser>;
  logout: () => Promise<void>;
  refresh: () => Promise<CurrentUser | null>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      const me = await authService.fetchMe();
      setUser(me);
      setStatus('authenticated');
      setLoadError(null);
      return me;
    } catch (error) {
      setUser(null);
      setStatus('anonymous');
      setLoadError(isApiError(error) && error.status === 401 ? null : error);
      return null;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    await authService.login(username, password);
    const me = await authService.fetchMe();
    setUser(me);
    setStatus('authenticated');
    setLoadError(null);
    return me;
  }, []);

  const logout = useCallback(async () => {
    try {
      await authService.logout();
    } finally {
      setUser(null);
      setStatus('anonymous');
    }
  }, []);

  const value = useMemo<AuthValue>(() => {
    const permissions = new Set<string>(user?.permissions ?? []);
    return {
      status,
      user,
      loadError,
      permissions,
      can: (permission) => !permission || permissions.has(permission),
      login,
      logout,
      refresh,
    };
  }, [status, user, loadError, login, logout, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
