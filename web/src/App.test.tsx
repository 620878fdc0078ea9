// The app as a whole, with the API mocked: the menu and the routes follow the permissions
// of GET /auth/me, and an anonymous visitor lands on the login page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import App from './App';
import { I18nProvider } from './i18n';
import { AuthProvider } from './auth/AuthContext';
import ThemeProvider from './components/ThemeProvider';
import { setUnauthorizedHandler } from './api/client';

function me(permissions: string[]) {
  return {
    id: 7,
    username: 'zhang',
    display_name: '张三',
    department_id: 2,
    department_name: '华东大客户部',
    role_ids: [4],
    roles: ['specialist'],
    active: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    permissions,
    data_scope: 'self',
  };
}

function mockApi(routes: Record<string, () => Response>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    const path = url.replace(/^\/api\/v1/, '').split('?')[0];
    const handler = routes[path];
    if (handler) return handler();
    return new Response(JSON.stringify({ items: [], total: 0 }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

function renderAt(path: string) {
  return render(
    <I18nProvider initial="zh-CN">
      <ThemeProvider>
        <MemoryRouter initialEntries={[path]}>
          <AuthProvider>
            <App />
          </AuthProvider>
        </MemoryRouter>
      </ThemeProvider>
    </I18nProvider>,
  );
}

describe('App', () => {
  beforeEach(() => setUnauthorizedHandler(() => undefined));
  afterEach(() => {
    vi.unstubAllGlobals();
    setUnauthorizedHandler(null);
  });

  it('hides the admin menu from a specialist and shows 403 on an admin page', async () => {
    mockApi({ '/auth/me': json(200, me(['accounts.read', 'accounts.write'])) });
    renderAt('/admin/users');
    expect(await screen.findByTestId('page-403')).toBeTruthy();
    expect(screen.getByTestId('menu-/accounts').textContent).toBe('客户档案');
    expect(screen.queryByTestId('menu-/admin')).toBeNull();
    expect(screen.queryByText('用户管理')).toBeNull();
    expect(screen.getByTestId('current-user').textContent).toContain('张三');
  });

  it('shows the admin menu to an administrator', async () => {
    mockApi({ '/auth/me': json(200, me(['accounts.read', 'users.admin'])) });
    renderAt('/');
    expect(await screen.findByTestId('menu-/admin')).toBeTruthy();
    expect((await screen.findByTestId('welcome')).textContent).toBe('欢迎，张三');
  });

  it('sends an anonymous visitor to the login page', async () => {
    mockApi({ '/auth/me': json(401, { title: 'Unauthorized', status: 401 }) });
    renderAt('/accounts');
    await waitFor(() => expect(screen.getByTestId('login-submit')).toBeTruthy());
  });
});
