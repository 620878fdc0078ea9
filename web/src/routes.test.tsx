import { describe, expect, it } from 'vitest';
import { buildMenu, findRoute, hasAccess, menuSelection, routes, type MenuEntry } from './routes';
import { translate } from './i18n';

const t = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);
const keys = (entries: MenuEntry[]): string[] => entries.flatMap((e) => [e.key, ...(e.children ? keys(e.children) : [])]);

describe('route table', () => {
  it('shows every menu to a user with all permissions', () => {
    const all = new Set(['accounts.read', 'accounts.write', 'accounts.delete', 'users.read', 'users.admin', 'audit.read']);
    const menu = buildMenu(routes, all, t);
    expect(keys(menu)).toEqual(['/', '/accounts', '/pool', '/competitors', '/admin', '/admin/users', '/admin/departments', '/admin/pool-settings']);
    expect(menu.map((m) => m.label)).toEqual(['首页', '客户档案', '公海客户', '竞争对手库', '系统管理']);
  });

  it('hides menus without access, and a group whose entries are all hidden', () => {
    const specialist = new Set(['accounts.read', 'accounts.write']);
    expect(keys(buildMenu(routes, specialist, t))).toEqual(['/', '/accounts', '/pool', '/competitors']);
  });

  it('hides the accounts menu from a user without accounts.read', () => {
    expect(keys(buildMenu(routes, new Set<string>(), t))).toEqual(['/']);
  });

  it('lists the pipeline settings under 系统管理 for pipeline.admin only', () => {
    expect(findRoute('/admin/pipeline')?.access).toBe('pipeline.admin');
    expect(keys(buildMenu(routes, new Set(['pipeline.admin']), t))).toEqual(['/', '/admin', '/admin/pipeline']);
    expect(keys(buildMenu(routes, new Set(['opportunities.read', 'users.admin']), t))).not.toContain('/admin/pipeline');
    expect(menuSelection(routes, '/admin/pipeline')).toEqual({ selected: ['/admin/pipeline'], open: ['/admin'] });
  });

  it('never lists detail and form pages in the menu', () => {
    const all = new Set(['accounts.read', 'accounts.write', 'users.admin']);
    expect(keys(buildMenu(routes, all, t))).not.toContain('/accounts/new');
  });

  it('finds the route and its access key for concrete paths', () => {
    expect(findRoute('/accounts/new')?.access).toBe('accounts.write');
    expect(findRoute('/accounts/42')?.access).toBe('accounts.read');
    expect(findRoute('/accounts/42/edit')?.access).toBe('accounts.write');
    expect(findRoute('/admin/users')?.access).toBe('users.admin');
    expect(findRoute('/nowhere')).toBeUndefined();
  });

  it('denies a route whose permission is missing, allows one without access key', () => {
    const perms = new Set(['accounts.read']);
    expect(hasAccess(findRoute('/admin/departments')!, perms)).toBe(false);
    expect(hasAccess(findRoute('/accounts')!, perms)).toBe(true);
    expect(hasAccess(findRoute('/')!, new Set())).toBe(true);
  });

  it('selects the menu entry of a nested page and opens its group', () => {
    expect(menuSelection(routes, '/accounts/12/edit')).toEqual({ selected: ['/accounts'], open: [] });
    expect(menuSelection(routes, '/admin/users')).toEqual({ selected: ['/admin/users'], open: ['/admin'] });
    expect(menuSelection(routes, '/')).toEqual({ selected: ['/'], open: [] });
  });
});
