import { describe, expect, it } from 'vitest';
import type { Account } from '../../api/types';
import { auditChanges } from './audit';
import { toChanges, toCreateInput } from './AccountForm';
import { readListState, writeListState } from './index';
import { visibleChanges } from './AccountDetail';

const account: Account = {
  id: 1,
  archive_no: 'KA-2026-000001',
  name: '华为精密制造',
  industry: '制造业',
  province: '广东',
  city: null,
  address: '',
  owner_id: 1,
  owner_name: 'admin',
  department_id: 1,
  department_name: '总部',
  version: 2,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('account form bodies', () => {
  it('create leaves out empty optional fields and trims', () => {
    expect(toCreateInput({ name: ' 华为 ', industry: '', city: '深圳 ' })).toEqual({ name: '华为', city: '深圳' });
  });

  it('edit sends only what changed, a cleared field as ""', () => {
    expect(toChanges({ name: '华为精密制造', industry: '', province: '广东', city: '深圳', address: '' }, account)).toEqual({
      industry: '',
      city: '深圳',
    });
    expect(toChanges({ name: '华为精密制造', industry: '制造业', province: '广东', city: '', address: '' }, account)).toEqual({});
  });
});

describe('audit changes', () => {
  it('lists changed fields, skipping bookkeeping, in the given order', () => {
    const changes = auditChanges(
      {
        before: { name: 'A', city: '北京', version: 1, updated_at: 'x', address: null },
        after: { name: 'B', city: '北京', version: 2, updated_at: 'y', address: '', industry: 'IT' },
      },
      ['name', 'industry'],
    );
    expect(changes).toEqual([
      { field: 'name', before: 'A', after: 'B' },
      { field: 'industry', before: null, after: 'IT' },
    ]);
  });

  it('treats a create as all fields new', () => {
    expect(auditChanges({ before: null, after: { name: 'A' } })).toEqual([{ field: 'name', before: null, after: 'A' }]);
  });
});

describe('change history display', () => {
  it("shows a created account's filled fields, names instead of ids", () => {
    const shown = visibleChanges({
      action: 'create',
      before: null,
      after: {
        id: 9,
        name: '华为',
        industry: null,
        owner_id: 5,
        owner_name: '张伟',
        department_id: 2,
        department_name: '华南',
        version: 1,
      },
    });
    expect(shown.map((c) => c.field)).toEqual(['name', 'owner_name', 'department_name']);
  });
});

describe('list state in the URL', () => {
  it('round-trips and rejects garbage', () => {
    const state = readListState(new URLSearchParams('q=精密&page=3&size=50&sort=-created_at'));
    expect(state).toEqual({ q: '精密', page: 3, size: 50, sort: '-created_at' });
    expect(writeListState(state).toString()).toBe(new URLSearchParams('q=精密&page=3&size=50&sort=-created_at').toString());
    expect(readListState(new URLSearchParams('page=-1&size=9999&sort=drop'))).toEqual({ q: '', page: 1, size: 20, sort: undefined });
  });
});
