import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  exportQuery,
  fromViewQuery,
  listQuery,
  matchesView,
  pagerTotal,
  readListState,
  toViewQuery,
  writeListState,
} from './listState';

describe('filters in the URL', () => {
  it('reads every filter of the panel and writes them back', () => {
    const url = 'q=精密&province=广东省&city=深圳市&industry=电子制造&tier=A&customer_kind=channel&market_stage=mature&relationship_stage=stabilize&owner_id=7&in_pool=false&sort=-tier&page=2';
    const state = readListState(new URLSearchParams(url));
    expect(state.filters).toEqual({
      province: '广东省',
      city: '深圳市',
      industry: '电子制造',
      tier: 'A',
      customer_kind: 'channel',
      market_stage: 'mature',
      relationship_stage: 'stabilize',
      owner_id: '7',
      in_pool: 'false',
    });
    expect(state.sort).toBe('-tier');
    expect(readListState(writeListState(state))).toEqual(state);
    expect(activeFilterCount(state.filters)).toBe(8); // province/city count once
  });

  it('drops malformed filters instead of sending them', () => {
    const state = readListState(new URLSearchParams('tier=D&customer_kind=x&owner_id=abc&in_pool=yes&city=深圳市&industry=%20%20&relationship_stage=establish'));
    expect(state.filters).toEqual({ relationship_stage: 'establish' });
  });

  it('accepts every documented sort field, ascending and descending', () => {
    for (const field of ['name', 'archive_no', 'tier', 'annual_revenue_fen', 'employees', 'last_activity_at', 'created_at', 'updated_at']) {
      expect(readListState(new URLSearchParams(`sort=${field}`)).sort).toBe(field);
      expect(readListState(new URLSearchParams(`sort=-${field}`)).sort).toBe(`-${field}`);
    }
    expect(readListState(new URLSearchParams('sort=--name')).sort).toBeUndefined();
  });

  it('resets nothing it should keep: writing leaves defaults out of the URL', () => {
    expect(writeListState(readListState(new URLSearchParams('page=1&size=20'))).toString()).toBe('');
  });
});

describe('queries built from the state', () => {
  const state = readListState(new URLSearchParams('q=华&tier=B&province=江苏省&page=3&size=50&sort=name'));

  it('lists a page with the filters', () => {
    expect(listQuery(state)).toEqual({ q: '华', tier: 'B', province: '江苏省', sort: 'name', limit: 50, offset: 100 });
  });

  it('exports the same search, filters and sort, without paging', () => {
    expect(exportQuery(state, 'xlsx')).toEqual({ format: 'xlsx', q: '华', tier: 'B', province: '江苏省', sort: 'name' });
  });
});

describe('saved views', () => {
  const state = readListState(new URLSearchParams('q=华&tier=B&in_pool=true&page=4&sort=-updated_at'));

  it('store search, filters and sort but not the page', () => {
    expect(toViewQuery(state)).toEqual({ q: '华', tier: 'B', in_pool: 'true', sort: '-updated_at' });
  });

  it('open on the first page with what they store, ignoring junk', () => {
    expect(fromViewQuery({ q: '华', tier: 'B', in_pool: true, owner_id: 12, sort: 'bogus', evil: '<x>' }, 50)).toEqual({
      q: '华',
      page: 1,
      size: 50,
      sort: undefined,
      filters: { tier: 'B', in_pool: 'true', owner_id: '12' },
    });
    expect(fromViewQuery(null).filters).toEqual({});
    expect(fromViewQuery(['x']).q).toBe('');
  });

  it('match the list exactly (page does not matter, any filter does)', () => {
    expect(matchesView(state, toViewQuery(state))).toBe(true);
    expect(matchesView({ ...state, page: 1 }, toViewQuery(state))).toBe(true);
    expect(matchesView({ ...state, filters: { ...state.filters, tier: 'A' } }, toViewQuery(state))).toBe(false);
    expect(matchesView(state, { ...toViewQuery(state), city: '南京市', province: '江苏省' })).toBe(false);
    expect(matchesView({ ...state, sort: undefined }, toViewQuery(state))).toBe(false);
  });
});

describe('the pager total', () => {
  it('shows an exact total as it is and an inexact one as a lower bound with a next page', () => {
    expect(pagerTotal({ total: 37 })).toEqual({ total: 37, label: 'common.total' });
    expect(pagerTotal({ total: 1000, total_exact: false })).toEqual({ total: 1001, label: 'common.totalMore' });
    expect(pagerTotal({ total: 50, total_exact: false })).toEqual({ total: 51, label: 'common.totalMore' });
  });
});
