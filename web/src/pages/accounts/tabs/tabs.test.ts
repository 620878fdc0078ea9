import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { ACCOUNT_COLOR, ATTITUDE_COLORS, LEFT_OPACITY, buildBuyingCenterGraph, contactNodes, summarizeContacts, symbolSizeForLevel, type GraphLabels } from './buyingCenter';
import { changesBody, createBody, formatFen, yuanToFen } from './forms';
import { growthBody } from './SecondaryCustomersTab';
import { competitorOptions } from './CompetitorsTab';
import { ownershipPermissions } from './OwnershipActions';
import { ownershipMove } from './OwnershipTab';
import type { Contact } from './types';

function contact(id: number, patch: Partial<Contact>): Contact {
  return {
    id,
    account_id: 1,
    name: `联系人${id}`,
    title: null,
    department: null,
    phone: null,
    email: null,
    buying_role: null,
    attitude: null,
    relationship_level: null,
    status: 'active',
    notes: null,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

const labels: GraphLabels = {
  role: (r) => `role:${r}`,
  attitude: (a) => `att:${a}`,
  left: 'left',
  level: (n) => `L${n}`,
};

describe('buying-centre graph from contacts', () => {
  const contacts = [
    contact(3, { name: '王五', buying_role: 'user', attitude: 'opponent', relationship_level: 1 }),
    contact(1, { name: '张总', title: '总经理', buying_role: 'decision_maker', attitude: 'supporter', relationship_level: 5 }),
    contact(2, { name: '李工', buying_role: 'decision_maker', attitude: 'neutral', relationship_level: 3, status: 'left' }),
    contact(4, { name: '赵六' }),
  ];
  const graph = buildBuyingCenterGraph('华为精密制造', contacts, labels, 100);

  it('puts the account in the middle and one node and link per contact', () => {
    expect(graph.nodes[0]).toMatchObject({ id: 'account', name: '华为精密制造', x: 0, y: 0 });
    expect(graph.nodes[0].itemStyle.color).toBe(ACCOUNT_COLOR);
    expect(contactNodes(graph)).toHaveLength(4);
    expect(graph.links).toHaveLength(4);
    expect(graph.links.every((l) => l.source === 'account')).toBe(true);
    // every contact sits on the circle
    for (const node of contactNodes(graph)) expect(Math.hypot(node.x, node.y)).toBeCloseTo(100, 1);
  });

  it('fixes the bounds with invisible corners, so one or two contacts do not stretch the drawing', () => {
    const g = buildBuyingCenterGraph('A', [contact(1, {}), contact(2, {})], labels, 100);
    const xs = g.nodes.map((n) => n.x);
    const ys = g.nodes.map((n) => n.y);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThanOrEqual(200);
    const bounds = g.nodes.filter((n) => n.bound);
    expect(bounds).toHaveLength(2);
    expect(bounds.every((n) => n.symbolSize === 0 && !n.label.show && n.silent)).toBe(true);
  });

  it('groups by buying role (decision makers first, active before left; no role last)', () => {
    expect(contactNodes(graph).map((n) => n.name)).toEqual(['张总', '李工', '王五', '赵六']);
  });

  it('categories are the buying roles in a fixed order, then the account', () => {
    expect(graph.categories.map((c) => c.name)).toEqual([
      'role:decision_maker',
      'role:influencer',
      'role:user',
      'role:gatekeeper',
      'role:insider',
      'role:none',
      '华为精密制造',
    ]);
    const byName = Object.fromEntries(graph.nodes.map((n) => [n.name, n]));
    expect(byName['张总'].category).toBe(0);
    expect(byName['王五'].category).toBe(2);
    expect(byName['赵六'].category).toBe(5);
    expect(byName['张总'].symbol).toBe('diamond');
  });

  it('colours by attitude, sizes by level, fades left contacts', () => {
    const byName = Object.fromEntries(graph.nodes.map((n) => [n.name, n]));
    expect(byName['张总'].itemStyle).toMatchObject({ color: ATTITUDE_COLORS.supporter, opacity: 1 });
    expect(byName['王五'].itemStyle.color).toBe(ATTITUDE_COLORS.opponent);
    expect(byName['李工'].itemStyle).toMatchObject({ color: ATTITUDE_COLORS.neutral, opacity: LEFT_OPACITY });
    expect(byName['赵六'].itemStyle.color).toBe(ATTITUDE_COLORS.unknown);
    expect(byName['张总'].symbolSize).toBeGreaterThan(byName['李工'].symbolSize);
    expect(byName['李工'].symbolSize).toBeGreaterThan(byName['王五'].symbolSize);
    const leftLink = graph.links.find((l) => l.target === 'contact-2');
    expect(leftLink?.lineStyle.type).toBe('dashed');
    expect(byName['李工'].tooltip.formatter).toContain('left');
    expect(byName['张总'].tooltip.formatter).toContain('<b>张总</b> · 总经理');
  });

  it('escapes names in tooltips', () => {
    const g = buildBuyingCenterGraph('A', [contact(9, { name: '<img src=x>' })], labels);
    expect(g.nodes[1].tooltip.formatter).not.toContain('<img');
  });

  it('sizes levels 1..5 increasingly, clamps out-of-range values', () => {
    const sizes = [1, 2, 3, 4, 5].map(symbolSizeForLevel);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    expect(symbolSizeForLevel(9)).toBe(symbolSizeForLevel(5));
    expect(symbolSizeForLevel(null)).toBeLessThan(symbolSizeForLevel(1));
  });

  it('summary counts active contacts only', () => {
    expect(summarizeContacts(contacts)).toEqual({ decision_makers: 1, supporters: 1, opponents: 1, insiders: 0 });
  });
});

describe('form bodies', () => {
  it('create leaves out empty fields and trims', () => {
    expect(createBody({ name: ' 张总 ', title: '', phone: undefined, relationship_level: 4 }, ['name', 'title', 'phone', 'relationship_level'])).toEqual({
      name: '张总',
      relationship_level: 4,
    });
  });

  it('edit sends what changed, cleared as null', () => {
    const existing = { name: '张总', title: '总经理', phone: null, relationship_level: 3 };
    expect(changesBody({ name: '张总', title: '', phone: '138', relationship_level: 3 }, existing, ['name', 'title', 'phone', 'relationship_level'])).toEqual({
      title: null,
      phone: '138',
    });
    expect(changesBody({ name: '张总 ' }, existing, ['name', 'title'])).toEqual({});
  });

  it('money: yuan → fen and back', () => {
    expect(yuanToFen(12.34)).toBe(1234);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen('')).toBeNull();
    expect(formatFen(123456789)).toBe('1,234,567.89');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(null)).toBe('');
  });

  it('growth record body', () => {
    expect(growthBody({ recorded_on: dayjs('2026-03-31'), revenue_yuan: 10000.5, outlets: 12, note: ' 新开 2 家 ' })).toEqual({
      recorded_on: '2026-03-31',
      revenue_fen: 1000050,
      outlets: 12,
      note: '新开 2 家',
    });
    expect(growthBody({ recorded_on: dayjs('2026-01-02') })).toEqual({ recorded_on: '2026-01-02' });
  });

  it('competitor options offer to create a name not in the registry', () => {
    const create = (n: string) => `新建“${n}”`;
    expect(competitorOptions([{ id: 1, name: '西门子' }], '西门', create)).toEqual([
      { value: '1', label: '西门子' },
      { value: 'new:西门', label: '新建“西门”' },
    ]);
    expect(competitorOptions([{ id: 1, name: '西门子' }], '西门子', create)).toEqual([{ value: '1', label: '西门子' }]);
    expect(competitorOptions([], '  ', create)).toEqual([]);
  });
});

describe('ownership', () => {
  const can = (perms: string[]) => (p: string) => perms.includes(p);

  it('a specialist claims pool accounts and releases own ones, never transfers', () => {
    const specialist = can(['accounts.read', 'accounts.write']);
    expect(ownershipPermissions({ owner_id: null }, 7, specialist)).toEqual({ claim: true, release: false, transfer: false });
    expect(ownershipPermissions({ owner_id: 7 }, 7, specialist)).toEqual({ claim: false, release: true, transfer: false });
    expect(ownershipPermissions({ owner_id: 8 }, 7, specialist)).toEqual({ claim: false, release: false, transfer: false });
  });

  it('a manager releases and transfers what others own', () => {
    const manager = can(['accounts.read', 'accounts.write', 'accounts.transfer']);
    expect(ownershipPermissions({ owner_id: 8 }, 7, manager)).toEqual({ claim: false, release: true, transfer: true });
  });

  it('a reader does not claim', () => {
    expect(ownershipPermissions({ owner_id: null }, 7, can(['accounts.read']))).toEqual({ claim: false, release: false, transfer: false });
  });

  it('describes moves with the pool as 公海', () => {
    expect(ownershipMove({ from_user_id: null, from_user_name: null, to_user_id: 3, to_user_name: '张伟' }, '公海')).toBe('公海 → 张伟');
    expect(ownershipMove({ from_user_id: 3, from_user_name: '张伟', to_user_id: null, to_user_name: null }, '公海')).toBe('张伟 → 公海');
  });
});
