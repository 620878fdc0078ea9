// The state of the account list — search text, filters, sort, page — kept in the URL
// (?q=&province=&tier=…&sort=&page=&size=), so back/forward, reload and a shared link show the
// same list. Filter parameters carry the API's names, so the list query, the export and a saved
// view are the same parameters. Anything malformed in the URL is ignored, never sent.
import { ENUMS, isEnumValue, type EnumField } from './archive';

export const SORT_FIELDS = [
  'name',
  'created_at',
  'updated_at',
  'archive_no',
  'tier',
  'annual_revenue_fen',
  'employees',
  'last_activity_at',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type AccountSort = SortField | `-${SortField}`;

/** The list filters, in the order of the filter panel. */
export const FILTER_KEYS = [
  'province',
  'city',
  'industry',
  'tier',
  'customer_kind',
  'market_stage',
  'relationship_stage',
  'owner_id',
  'in_pool',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const DEFAULT_SIZE = 20;
const MAX_TEXT = 100;

export interface ListState {
  q: string;
  page: number;
  size: number;
  sort?: AccountSort;
  filters: Filters;
}

export function isSort(value: unknown): value is AccountSort {
  if (typeof value !== 'string') return false;
  const field = value.startsWith('-') ? value.slice(1) : value;
  return (SORT_FIELDS as readonly string[]).includes(field);
}

/** A filter value as it may be sent, or undefined when it is empty or malformed. */
export function cleanFilter(key: FilterKey, raw: unknown): string | undefined {
  if (typeof raw === 'boolean' && key === 'in_pool') return String(raw);
  if (typeof raw === 'number' && key === 'owner_id') raw = String(raw);
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  if (!value) return undefined;
  switch (key) {
    case 'tier':
    case 'customer_kind':
    case 'market_stage':
    case 'relationship_stage':
      return isEnumValue(key as EnumField, value) ? value : undefined;
    case 'owner_id':
      return /^[1-9]\d{0,17}$/.test(value) ? value : undefined;
    case 'in_pool':
      return value === 'true' || value === 'false' ? value : undefined;
    default:
      return value.length <= MAX_TEXT ? value : undefined;
  }
}

/** The filters of any key/value source (URL parameters, a saved view's query). */
export function readFilters(get: (key: string) => unknown): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = cleanFilter(key, get(key));
    if (value !== undefined) filters[key] = value;
  }
  // A city means nothing without its province in the cascader; keep it only with one.
  if (filters.city && !filters.province) delete filters.city;
  return filters;
}

/** Reads the list state from URL parameters, ignoring anything malformed. */
export function readListState(params: URLSearchParams): ListState {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const size = Number.parseInt(params.get('size') ?? '', 10);
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: Number.isFinite(size) && size > 0 && size <= 100 ? size : DEFAULT_SIZE,
    sort: isSort(sort) ? sort : undefined,
    filters: readFilters((key) => params.get(key)),
  };
}

export function writeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const key of FILTER_KEYS) {
    const value = state.filters[key];
    if (value) params.set(key, value);
  }
  if (state.sort) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.size !== DEFAULT_SIZE) params.set('size', String(state.size));
  return params;
}

/** How many filters are set (for the badge on the filter button). */
export function activeFilterCount(filters: Filters): number {
  return FILTER_KEYS.filter((key) => key !== 'city' && filters[key]).length;
}

/** Query parameters of GET /accounts for a page of the list. */
export function listQuery(state: ListState): Record<string, string | number | undefined> {
  return {
    q: state.q || undefined,
    ...state.filters,
    sort: state.sort,
    limit: state.size,
    offset: (state.page - 1) * state.size,
  };
}

/** Query parameters of GET /accounts/export: the same search, filters and sort, every row. */
export function exportQuery(state: ListState, format: 'csv' | 'xlsx'): Record<string, string | undefined> {
  return { format, q: state.q || undefined, ...state.filters, sort: state.sort };
}

/** What a saved view stores: `{q?, sort?, ...filters}` (paging is not part of a view). */
export type ViewQuery = { q?: string; sort?: AccountSort } & Filters;

export function toViewQuery(state: ListState): ViewQuery {
  const query: ViewQuery = { ...state.filters };
  if (state.q) query.q = state.q;
  if (state.sort) query.sort = state.sort;
  return query;
}

/** The list state a saved view opens (first page, the current page size). */
export function fromViewQuery(query: unknown, size: number = DEFAULT_SIZE): ListState {
  const source = query && typeof query === 'object' && !Array.isArray(query) ? (query as Record<string, unknown>) : {};
  return {
    q: typeof source.q === 'string' ? source.q.trim().slice(0, 200) : '',
    page: 1,
    size,
    sort: isSort(source.sort) ? source.sort : undefined,
    filters: readFilters((key) => source[key]),
  };
}

/** True when the list shows exactly what the view stores (search, filters and sort). */
export function matchesView(state: ListState, query: unknown): boolean {
  const view = fromViewQuery(query, state.size);
  if (view.q !== state.q || view.sort !== state.sort) return false;
  return FILTER_KEYS.every((key) => (view.filters[key] ?? '') === (state.filters[key] ?? ''));
}

/** Sort order of a table column for antd's `sortOrder`. */
export function sortOrderOf(sort: AccountSort | undefined, field: string): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export const FILTER_ENUMS: Partial<Record<FilterKey, readonly string[]>> = {
  tier: ENUMS.tier,
  customer_kind: ENUMS.customer_kind,
  market_stage: ENUMS.market_stage,
  relationship_stage: ENUMS.relationship_stage,
};

/**
 * The pager's total for a list page: an inexact total (`total_exact: false`, the
 * server stopped counting) is a lower bound, shown as "N+", and one more keeps
 * the next page reachable.
 */
export function pagerTotal(page: { total: number; total_exact?: boolean }): {
  total: number;
  label: 'common.total' | 'common.totalMore';
} {
  return page.total_exact === false
    ? { total: page.total + 1, label: 'common.totalMore' }
    : { total: page.total, label: 'common.total' };
}
