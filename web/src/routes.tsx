// The one route table of the app (Ant Design Pro style): path, menu name (an i18n key), icon,
// and the permission (`access`) needed to see the menu entry and open the page.
// The side menu and the router are both built from this table; a route the user lacks access
// to renders the 403 page, and its menu entry is hidden.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { ApartmentOutlined, DashboardOutlined, ImportOutlined, SettingOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { AimOutlined, ControlOutlined, InboxOutlined } from '@ant-design/icons';
import { CalendarOutlined, CheckSquareOutlined, FileTextOutlined, TeamOutlined } from '@ant-design/icons';
import { FundOutlined, FunnelPlotOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { matchPath } from 'react-router-dom';
import { AccountBookOutlined } from '@ant-design/icons';
import ApprovalsMenuIcon from './pages/approvals/MenuIcon';
import type { MessageKey, Translate } from './i18n';
import type { Permission } from './api/types';

export interface RouteConfig {
  /** Absolute path, react-router syntax (`/accounts/:id`). */
  path: string;
  /** Menu label; routes without a name never show in the menu. */
  name?: MessageKey;
  icon?: ReactNode;
  /** Permission needed; none means every logged-in user. */
  access?: Permission;
  component?: LazyExoticComponent<ComponentType>;
  hideInMenu?: boolean;
  children?: RouteConfig[];
}

const Dashboard = lazy(() => import('./pages/dashboard'));
const AccountList = lazy(() => import('./pages/accounts'));
const AccountForm = lazy(() => import('./pages/accounts/AccountForm'));
const AccountDetail = lazy(() => import('./pages/accounts/AccountDetail'));
const ImportWizard = lazy(() => import('./pages/imports'));
const Users = lazy(() => import('./pages/admin/users'));
const Departments = lazy(() => import('./pages/admin/departments'));
const Pool = lazy(() => import('./pages/pool'));
const Competitors = lazy(() => import('./pages/competitors'));
const PoolSettings = lazy(() => import('./pages/admin/pool-settings'));
const PipelineSettings = lazy(() => import('./pages/admin/pipeline'));
const VisitCalendar = lazy(() => import('./pages/activities/VisitCalendar'));
const VisitForm = lazy(() => import('./pages/activities/VisitForm'));
const Tasks = lazy(() => import('./pages/activities/Tasks'));
const WeeklyReports = lazy(() => import('./pages/activities/WeeklyReports'));
const Events = lazy(() => import('./pages/activities/Events'));
const PipelineBoard = lazy(() => import('./pages/pipeline'));
const OpportunityDetail = lazy(() => import('./pages/pipeline/OpportunityDetail'));
const PipelineInsight = lazy(() => import('./pages/pipeline/Insight'));
const ApprovalsHome = lazy(() => import('./pages/approvals'));
const ApprovalForm = lazy(() => import('./pages/approvals/RequestForm'));
const ApprovalDetail = lazy(() => import('./pages/approvals/RequestDetail'));
const ApprovalBudgets = lazy(() => import('./pages/approvals/Budgets'));

export const routes: RouteConfig[] = [
  { path: '/', name: 'menu.dashboard', icon: <DashboardOutlined />, component: Dashboard },
  { path: '/accounts', name: 'menu.accounts', icon: <ShopOutlined />, access: 'accounts.read', component: AccountList },
  { path: '/accounts/new', access: 'accounts.write', component: AccountForm, hideInMenu: true },
  { path: '/accounts/:id', access: 'accounts.read', component: AccountDetail, hideInMenu: true },
  { path: '/accounts/:id/edit', access: 'accounts.write', component: AccountForm, hideInMenu: true },
  { path: '/pool', name: 'pool.menu', icon: <InboxOutlined />, access: 'accounts.read', component: Pool },
  { path: '/competitors', name: 'competitor.menu', icon: <AimOutlined />, access: 'accounts.read', component: Competitors },
  { path: '/visits', name: 'activities.calendar.menu', icon: <CalendarOutlined />, access: 'activities.read', component: VisitCalendar },
  { path: '/visits/new', access: 'activities.write', component: VisitForm, hideInMenu: true },
  { path: '/tasks', name: 'activities.tasks.menu', icon: <CheckSquareOutlined />, access: 'activities.read', component: Tasks },
  { path: '/weekly-reports', name: 'activities.report.menu', icon: <FileTextOutlined />, access: 'activities.read', component: WeeklyReports },
  { path: '/events', name: 'activities.events.menu', icon: <TeamOutlined />, access: 'activities.read', component: Events },
  { path: '/pipeline', name: 'pipeline.menu', icon: <FunnelPlotOutlined />, access: 'opportunities.read', component: PipelineBoard },
  { path: '/pipeline/insight', name: 'pipeline.insight', icon: <FundOutlined />, access: 'opportunities.read', component: PipelineInsight },
  { path: '/pipeline/opportunities/:id', access: 'opportunities.read', component: OpportunityDetail, hideInMenu: true },
  { path: '/approvals', name: 'approvals.menu', icon: <ApprovalsMenuIcon />, access: 'requests.read', component: ApprovalsHome },
  { path: '/approvals/budgets', name: 'approvals.budgetsMenu', icon: <AccountBookOutlined />, access: 'budgets.admin', component: ApprovalBudgets },
  { path: '/approvals/:kind/new', access: 'requests.write', component: ApprovalForm, hideInMenu: true },
  { path: '/approvals/:kind/:id', access: 'requests.read', component: ApprovalDetail, hideInMenu: true },
  { path: '/approvals/:kind/:id/edit', access: 'requests.write', component: ApprovalForm, hideInMenu: true },
  { path: '/imports', name: 'import.menu', icon: <ImportOutlined />, access: 'accounts.import' as Permission, component: ImportWizard },
  {
    path: '/admin',
    name: 'menu.admin',
    icon: <SettingOutlined />,
    children: [
      { path: '/admin/users', name: 'menu.users', icon: <UserOutlined />, access: 'users.admin', component: Users },
      { path: '/admin/departments', name: 'menu.departments', icon: <ApartmentOutlined />, access: 'users.admin', component: Departments },
      { path: '/admin/pool-settings', name: 'pool.settings.menu', icon: <ControlOutlined />, access: 'users.admin', component: PoolSettings },
      { path: '/admin/pipeline', name: 'pipeline.admin.menu', icon: <NodeIndexOutlined />, access: 'pipeline.admin', component: PipelineSettings },
    ],
  },
];

export function hasAccess(route: Pick<RouteConfig, 'access'>, permissions: ReadonlySet<string>): boolean {
  return !route.access || permissions.has(route.access);
}

/** Every route with a page, depth first. */
export function flattenRoutes(table: RouteConfig[] = routes): RouteConfig[] {
  const out: RouteConfig[] = [];
  for (const route of table) {
    if (route.component) out.push(route);
    if (route.children) out.push(...flattenRoutes(route.children));
  }
  return out;
}

export interface MenuEntry {
  key: string;
  label: string;
  icon?: ReactNode;
  children?: MenuEntry[];
}

/**
 * The menu for a user with `permissions`: entries without access are left out, and so is a
 * group whose children are all left out.
 */
export function buildMenu(table: RouteConfig[], permissions: ReadonlySet<string>, t: Translate): MenuEntry[] {
  const out: MenuEntry[] = [];
  for (const route of table) {
    if (!route.name || route.hideInMenu || !hasAccess(route, permissions)) continue;
    if (route.children) {
      const children = buildMenu(route.children, permissions, t);
      if (children.length === 0) continue;
      out.push({ key: route.path, label: t(route.name), icon: route.icon, children });
    } else {
      out.push({ key: route.path, label: t(route.name), icon: route.icon });
    }
  }
  return out;
}

/**
 * Which menu entry is selected for `pathname` (the longest menu path that is a prefix of it,
 * so /accounts/12/edit selects /accounts) and which groups are open.
 */
export function menuSelection(table: RouteConfig[], pathname: string): { selected: string[]; open: string[] } {
  let best: { path: string; parents: string[] } | null = null;
  const visit = (list: RouteConfig[], parents: string[]) => {
    for (const route of list) {
      if (route.children) {
        visit(route.children, [...parents, route.path]);
        continue;
      }
      if (!route.name || route.hideInMenu) continue;
      const isPrefix = route.path === '/' ? pathname === '/' : pathname === route.path || pathname.startsWith(`${route.path}/`);
      if (isPrefix && (!best || route.path.length > best.path.length)) best = { path: route.path, parents };
    }
  };
  visit(table, []);
  const found = best as { path: string; parents: string[] } | null;
  return found ? { selected: [found.path], open: found.parents } : { selected: [], open: [] };
}

/** The route whose pattern matches `pathname` (exact match, most specific first), if any. */
export function findRoute(pathname: string, table: RouteConfig[] = routes): RouteConfig | undefined {
  return flattenRoutes(table).find((route) => matchPath({ path: route.path, end: true }, pathname) !== null);
}
