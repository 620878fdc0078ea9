import { describe, expect, it } from 'vitest';
import type { Department } from '../../../api/types';
import { buildDepartmentTree, departmentOptions, descendantIds } from './service';

const dept = (id: number, name: string, parent_id: number | null): Department => ({
  id,
  name,
  parent_id,
  path: '',
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

describe('buildDepartmentTree', () => {
  it('nests departments under their parents, roots first', () => {
    const tree = buildDepartmentTree([
      dept(3, '华东大客户部', 1),
      dept(1, '总公司', null),
      dept(2, '华北大客户部', 1),
      dept(4, '上海组', 3),
    ]);
    expect(tree).toHaveLength(1);
    expect(tree[0].name).toBe('总公司');
    expect(tree[0].children?.map((c) => c.id).sort()).toEqual([2, 3]);
    expect(tree[0].children?.find((c) => c.id === 3)?.children?.[0].name).toBe('上海组');
    expect(tree[0].children?.find((c) => c.id === 2)?.children).toBeUndefined();
  });

  it('keeps orphans and cycles visible as roots', () => {
    const tree = buildDepartmentTree([dept(5, 'orphan', 99), dept(6, 'a', 7), dept(7, 'b', 6)]);
    const rootIds = tree.map((n) => n.id).sort();
    expect(rootIds).toContain(5);
    const count = (list: typeof tree): number => list.reduce((n, d) => n + 1 + count(d.children ?? []), 0);
    expect(count(tree)).toBe(3);
  });

  it('lists a department and all below it, and builds select options', () => {
    const tree = buildDepartmentTree([dept(1, 'root', null), dept(2, 'a', 1), dept(3, 'b', 2), dept(4, 'c', 1)]);
    expect([...descendantIds(tree, 2)].sort()).toEqual([2, 3]);
    const options = departmentOptions(tree, new Set([2]));
    expect(options[0].title).toBe('root');
    expect(options[0].children?.find((o) => o.value === 2)?.disabled).toBe(true);
  });
});
