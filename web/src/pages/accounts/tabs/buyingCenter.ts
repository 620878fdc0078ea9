// The relationship map of the buying centre (采购决策链) as ECharts graph data, built from the
// account's contacts: the account in the middle, contacts on a circle around it grouped by
// buying role. Colour = attitude (supporter green, neutral grey, opponent red), size =
// relationship level 1-5, symbol and legend category = buying role, left contacts faded.
// Pure (no echarts import) so it is unit-tested and the chart library stays in a lazy chunk.
import { BUYING_ROLES, type Attitude, type BuyingRole, type BuyingCenterSummary, type Contact } from './types';

export const ATTITUDE_COLORS: Record<Attitude | 'unknown', string> = {
  supporter: '#52c41a',
  neutral: '#8c8c8c',
  opponent: '#ff4d4f',
  unknown: '#bfbfbf',
};
export const ACCOUNT_COLOR = '#1677ff';
export const LEFT_OPACITY = 0.3;

/** Symbol of each buying role (the legend shows them); contacts without a role are circles. */
export const ROLE_SYMBOLS: Record<BuyingRole | 'none', string> = {
  decision_maker: 'diamond',
  influencer: 'triangle',
  user: 'circle',
  gatekeeper: 'rect',
  insider: 'pin',
  none: 'emptyCircle',
};

export const ACCOUNT_SYMBOL_SIZE = 64;

/** Symbol size for relationship level 1-5 (unknown: the smallest). */
export function symbolSizeForLevel(level: number | null | undefined): number {
  const l = typeof level === 'number' && Number.isFinite(level) ? Math.min(5, Math.max(1, Math.round(level))) : 0;
  return 22 + l * 7;
}

export interface GraphLabels {
  role: (role: BuyingRole | 'none') => string;
  attitude: (attitude: Attitude | 'unknown') => string;
  left: string;
  level: (level: number) => string;
}

export interface GraphNode {
  id: string;
  name: string;
  category: number;
  symbol: string;
  symbolSize: number;
  x: number;
  y: number;
  value?: string;
  itemStyle: { color: string; opacity: number; borderColor?: string; borderWidth?: number };
  label: { show: boolean; color?: string; opacity?: number; fontWeight?: string };
  /** Tooltip lines. */
  tooltip: { formatter: string };
  contactId?: number;
  left?: boolean;
  /** An invisible node that only fixes the drawing's bounds. */
  bound?: boolean;
  silent?: boolean;
}

export interface GraphLink {
  source: string;
  target: string;
  lineStyle: { color: string; width: number; type: 'solid' | 'dashed'; opacity: number };
}

export interface GraphData {
  categories: { name: string; symbol: string; itemStyle: { color: string } }[];
  nodes: GraphNode[];
  links: GraphLink[];
}

const ROLE_ORDER: (BuyingRole | 'none')[] = [...BUYING_ROLES, 'none'];

function roleOf(contact: Pick<Contact, 'buying_role'>): BuyingRole | 'none' {
  return contact.buying_role && (BUYING_ROLES as string[]).includes(contact.buying_role) ? contact.buying_role : 'none';
}

function attitudeOf(contact: Pick<Contact, 'attitude'>): Attitude | 'unknown' {
  return contact.attitude === 'supporter' || contact.attitude === 'neutral' || contact.attitude === 'opponent' ? contact.attitude : 'unknown';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The graph for `contacts` around `accountName`. Categories are the buying roles in a fixed
 * order (index = position in ROLE_ORDER) plus the account itself, last.
 */
export function buildBuyingCenterGraph(accountName: string, contacts: Contact[], labels: GraphLabels, radius = 160): GraphData {
  const categories = ROLE_ORDER.map((role) => ({ name: labels.role(role), symbol: ROLE_SYMBOLS[role], itemStyle: { color: '#595959' } }));
  const accountCategory = categories.length;
  categories.push({ name: accountName, symbol: 'roundRect', itemStyle: { color: ACCOUNT_COLOR } });

  const nodes: GraphNode[] = [
    {
      id: 'account',
      name: accountName,
      category: accountCategory,
      symbol: 'roundRect',
      symbolSize: ACCOUNT_SYMBOL_SIZE,
      x: 0,
      y: 0,
      itemStyle: { color: ACCOUNT_COLOR, opacity: 1 },
      label: { show: true, fontWeight: 'bold' },
      tooltip: { formatter: escapeHtml(accountName) },
    },
  ];
  const links: GraphLink[] = [];

  // Group by role (decision makers first), active before left, then by name, so the circle
  // reads like the buying centre.
  const sorted = [...contacts].sort((a, b) => {
    const r = ROLE_ORDER.indexOf(roleOf(a)) - ROLE_ORDER.indexOf(roleOf(b));
    if (r) return r;
    const s = Number(a.status === 'left') - Number(b.status === 'left');
    if (s) return s;
    return a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id;
  });
  const n = sorted.length;
  sorted.forEach((contact, i) => {
    const role = roleOf(contact);
    const attitude = attitudeOf(contact);
    const left = contact.status === 'left';
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1);
    const color = ATTITUDE_COLORS[attitude];
    const opacity = left ? LEFT_OPACITY : 1;
    const lines = [
      `<b>${escapeHtml(contact.name)}</b>${contact.title ? ` · ${escapeHtml(contact.title)}` : ''}`,
      labels.role(role),
      labels.attitude(attitude),
    ];
    if (contact.relationship_level) lines.push(labels.level(contact.relationship_level));
    if (left) lines.push(labels.left);
    nodes.push({
      id: `contact-${contact.id}`,
      name: contact.name,
      value: contact.title ?? undefined,
      category: ROLE_ORDER.indexOf(role),
      symbol: ROLE_SYMBOLS[role],
      symbolSize: symbolSizeForLevel(contact.relationship_level),
      x: Math.round(Math.cos(angle) * radius * 100) / 100,
      y: Math.round(Math.sin(angle) * radius * 100) / 100,
      itemStyle: { color, opacity, ...(role === 'decision_maker' && !left ? { borderColor: '#262626', borderWidth: 2 } : {}) },
      label: { show: true, opacity, ...(left ? { color: '#bfbfbf' } : {}) },
      tooltip: { formatter: lines.join('<br/>') },
      contactId: contact.id,
      left,
    });
    links.push({
      source: 'account',
      target: `contact-${contact.id}`,
      lineStyle: {
        color,
        width: 1 + (contact.relationship_level ?? 0) * 0.8,
        type: left ? 'dashed' : 'solid',
        opacity: left ? LEFT_OPACITY : 0.7,
      },
    });
  });
  // Two invisible corner nodes fix the drawing's bounds to the whole circle: ECharts fits the
  // nodes' bounding box into the view, and with one or two contacts all nodes lie on a line
  // (a box of width 0), which stretches the symbols into bars.
  const bound = radius * 1.25;
  for (const [i, corner] of [-bound, bound].entries()) {
    nodes.push({
      id: `bound-${i}`,
      name: '',
      category: accountCategory,
      symbol: 'none',
      symbolSize: 0,
      x: corner,
      y: corner,
      itemStyle: { color: 'transparent', opacity: 0 },
      label: { show: false },
      tooltip: { formatter: '' },
      bound: true,
      silent: true,
    });
  }
  return { categories, nodes, links };
}

/** The nodes that stand for contacts (not the account, not the invisible bounds). */
export function contactNodes(graph: GraphData): GraphNode[] {
  return graph.nodes.filter((n) => n.contactId !== undefined);
}

/** The summary counted from contacts (active ones), when the server's is not at hand. */
export function summarizeContacts(contacts: Contact[]): BuyingCenterSummary {
  const active = contacts.filter((c) => c.status !== 'left');
  return {
    decision_makers: active.filter((c) => c.buying_role === 'decision_maker').length,
    supporters: active.filter((c) => c.attitude === 'supporter').length,
    opponents: active.filter((c) => c.attitude === 'opponent').length,
    insiders: active.filter((c) => c.buying_role === 'insider').length,
  };
}
