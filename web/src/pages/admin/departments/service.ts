// Department endpoints, and the client-side tree built from parent_id.
import { api } from '../../../api/client';
import type { Department, Page } from '../../../api/types';

export function listDepartments(): Promise<Page<Department>> {
  return api.get<Page<Department>>('/departments');
}

export function createDepartment(name: string, parentId: number | null): Promise<Department> {
  return api.post<Department>('/departments', { name, parent_id: parentId });
}

export function updateDepartment(id: number, version: number, changes: { name?: string; parent_id?: number | null }): Promise<Department> {
  return api.patch<Department>(`/departments/${id}`, { ...changes, version });
}

export function deleteDepartment(id: number): Promise<void> {
  return api.del(`/departments/${id}`);
}

export interface DepartmentNode extends Department {
  children?: DepartmentNode[];
}

/**
 * Builds the department forest from the flat list. Children are sorted by name; a department
 * whose parent is missing from the list (or that would form a cycle) becomes a root, so nothing
 * is lost from view. Leaves have no `children` key (antd shows no expand icon for them).
 */
export function buildDepartmentTree(departments: Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>();
  for (const d of departments) nodes.set(d.id, { ...d });
  const roots: DepartmentNode[] = [];
  const reachesItself = (start: DepartmentNode): boolean => {
    const seen = new Set<number>();
    let current: DepartmentNode | undefined = start;
    while (current && current.parent_id !== null && current.parent_id !== undefined) {
      if (seen.has(current.id)) return true;
      seen.add(current.id);
      current = nodes.get(current.parent_id);
      if (current?.id === start.id) return true;
    }
    return false;
  };
  for (const node of nodes.values()) {
    const parent = node.parent_id === null || node.parent_id === undefined ? undefined : nodes.get(node.parent_id);
    if (!parent || reachesItself(node)) {
      roots.push(node);
    } else {
      (parent.children ??= []).push(node);
    }
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    for (const n of list) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ids of `id` and every department below it (a department cannot move under these). */
export function descendantIds(tree: DepartmentNode[], id: number): Set<number> {
  const out = new Set<number>();
  const collect = (node: DepartmentNode) => {
    out.add(node.id);
    node.children?.forEach(collect);
  };
  const find = (list: DepartmentNode[]): boolean => {
    for (const node of list) {
      if (node.id === id) {
        collect(node);
        return true;
      }
      if (node.children && find(node.children)) return true;
    }
    return false;
  };
  find(tree);
  return out;
}

/** antd TreeSelect data for choosing a department. */
export interface DepartmentOption {
  value: number;
  title: string;
  disabled?: boolean;
  children?: DepartmentOption[];
}

export function departmentOptions(tree: DepartmentNode[], disabled: ReadonlySet<number> = new Set()): DepartmentOption[] {
  return tree.map((node) => ({
    value: node.id,
    title: node.name,
    disabled: disabled.has(node.id),
    children: node.children ? departmentOptions(node.children, disabled) : undefined,
  }));
}
