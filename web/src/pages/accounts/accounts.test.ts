import { describe, expect, it } from 'vitest';
import type { Account } from '../../api/types';
import { dictionaries } from '../../i18n';
import { auditChanges } from './audit';
import { parseInteger, toChanges, toCreateInput, toFormValues } from './AccountForm';
import { readListState, writeListState } from './index';
import { visibleChanges } from './AccountDetail';
import { formatAuditValue, websiteHref } from './ArchiveDescriptions';
import { translate } from '../../i18n';
import { ARCHIVE_FIELDS, ENUMS, creditCodeProblem, enumLabelKey, normalizeCreditCode, type ArchiveAccount, type EnumField } from './archive';

const account = {
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
} as Account;

const archived: ArchiveAccount = {
  ...account,
  credit_code: '91350100M000100Y43',
  ownership_type: 'private',
  employees: 1200,
  annual_revenue_fen: 123456789,
  founded_year: 1998,
  website: 'www.example.cn',
  business_status: '良好',
  procurement_mode: 'centralized',
  customer_kind: 'channel',
  needs: null,
  preferences: null,
  price_sensitivity: 'high',
  tier: 'B',
  tier_override_reason: '利润贡献高',
  market_stage: 'development',
  relationship_stage: 'stabilize',
  last_activity_at: null,
  owned_since: '2026-01-01T00:00:00Z',
  in_pool: false,
};

describe('account form bodies', () => {
  it('create leaves out empty optional fields and trims', () => {
    expect(toCreateInput({ name: ' 华为 ', industry: '', city: '深圳 ' })).toEqual({ name: '华为', city: '深圳' });
  });

  it('create converts yuan to integer fen, digits to numbers, and sends enums as chosen', () => {
    expect(
      toCreateInput({
        name: '苏州精密',
        credit_code: ' 91350100m000100y43 ',
        annual_revenue_fen: '1,234.5',
        employees: ' 300 ',
        founded_year: '2001',
        ownership_type: 'joint_venture',
        customer_kind: 'end_user',
        relationship_stage: 'establish',
        tier: 'A',
        tier_override_reason: ' 总部重点 ',
        price_sensitivity: undefined,
      }),
    ).toEqual({
      name: '苏州精密',
      credit_code: '91350100M000100Y43',
      annual_revenue_fen: 123450,
      employees: 300,
      founded_year: 2001,
      ownership_type: 'joint_venture',
      customer_kind: 'end_user',
      relationship_stage: 'establish',
      tier: 'A',
      tier_override_reason: '总部重点',
    });
  });

  it('create never sends a tier reason without a tier', () => {
    expect(toCreateInput({ name: 'x', tier_override_reason: '旧原因' })).toEqual({ name: 'x' });
  });

  it('edit sends only what changed, a cleared field as ""', () => {
    expect(toChanges({ name: '华为精密制造', industry: '', province: '广东', city: '深圳', address: '' }, account)).toEqual({
      industry: '',
      city: '深圳',
    });
    expect(toChanges({ name: '华为精密制造', industry: '制造业', province: '广东', city: '', address: '' }, account)).toEqual({});
  });

  it('edit of an unchanged archive record sends nothing (form values round-trip)', () => {
    expect(toChanges(toFormValues(archived), archived)).toEqual({});
  });

  it('edit clears selects and numbers with null, text with ""', () => {
    const values = { ...toFormValues(archived), ownership_type: undefined, employees: '', annual_revenue_fen: '', business_status: '  ' };
    expect(toChanges(values, archived)).toEqual({ ownership_type: null, employees: null, annual_revenue_fen: null, business_status: '' });
  });

  it('edit sends money in fen exactly (no floating point drift)', () => {
    const values = { ...toFormValues(archived), annual_revenue_fen: '0.29' };
    expect(toChanges(values, archived)).toEqual({ annual_revenue_fen: 29 });
    expect(toChanges({ ...toFormValues(archived), annual_revenue_fen: '1234567.89' }, archived)).toEqual({});
  });

  it('edit sends the reason along with a changed tier', () => {
    const values = { ...toFormValues(archived), tier: 'A' };
    expect(toChanges(values, archived)).toEqual({ tier: 'A', tier_override_reason: '利润贡献高' });
    expect(toChanges({ ...values, tier_override_reason: '新的原因' }, archived)).toEqual({ tier: 'A', tier_override_reason: '新的原因' });
  });

  it('form values show fen as yuan with two decimals and default the relationship stage', () => {
    const values = toFormValues(archived);
    expect(values.annual_revenue_fen).toBe('1234567.89');
    expect(values.employees).toBe('1200');
    expect(values.tier).toBe('B');
    expect(toFormValues(account).relationship_stage).toBe('establish');
    expect(toFormValues(account).ownership_type).toBeUndefined();
  });

  it('parses whole numbers only', () => {
    expect(parseInteger(' 1,200 ')).toBe(1200);
    expect(parseInteger('')).toBeNull();
    expect(parseInteger('12.5')).toBeUndefined();
    expect(parseInteger('-3')).toBeUndefined();
    expect(parseInteger('1e3')).toBeUndefined();
  });
});

describe('credit code (GB 32100-2015)', () => {
  it('accepts valid codes', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '914403001922038216']) expect(creditCodeProblem(code)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toBe('length');
    expect(creditCodeProblem('91350100M000100I43')).toBe('characters');
    expect(creditCodeProblem('91350100M000100Y44')).toBe('checksum');
  });

  it('normalizes what people type', () => {
    expect(normalizeCreditCode(' 9135 0100m000100y43 ')).toBe('91350100M000100Y43');
  });
});

describe('archive labels', () => {
  it('has a label for every enum value and field in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const dict = dictionaries[locale] as Record<string, string>;
      for (const [field, values] of Object.entries(ENUMS)) {
        for (const value of values) expect(dict[enumLabelKey(field as EnumField, value)], `${locale} ${field}.${value}`).toBeTruthy();
      }
      for (const spec of ARCHIVE_FIELDS) expect(dict[spec.label], `${locale} ${spec.label}`).toBeTruthy();
    }
  });

  it('uses the Chinese names of the 客户档案表', () => {
    const zh = dictionaries['zh-CN'] as Record<string, string>;
    expect(zh['account.section.basic']).toBe('基本信息');
    expect(zh['account.section.business']).toBe('经营信息');
    expect(zh['account.section.needs']).toBe('需求与偏好');
    expect(zh['account.section.classification']).toBe('分类');
    expect(zh[enumLabelKey('procurement_mode', 'centralized')]).toBe('统一采购');
    expect(zh[enumLabelKey('customer_kind', 'channel')]).toBe('分销大客户');
    expect(zh[enumLabelKey('market_stage', 'rectification')]).toBe('整改期');
  });

  it('links websites only over http(s)', () => {
    expect(websiteHref('www.example.cn')).toBe('https://www.example.cn/');
    expect(websiteHref('http://a.cn/x')).toBe('http://a.cn/x');
    expect(websiteHref('javascript:alert(1)')).toBeNull();
    expect(websiteHref('a b')).toBeNull();
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

  it('shows archive values for people: labels, yuan, yes/no', () => {
    const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate('zh-CN', key, vars);
    expect(formatAuditValue('market_stage', 'development', t)).toBe('开发期');
    expect(formatAuditValue('ownership_type', 'private', t)).toBe('民营企业');
    expect(formatAuditValue('annual_revenue_fen', 123456729, t)).toBe('1,234,567.29 元');
    expect(formatAuditValue('in_pool', false, t)).toBe('否');
    expect(formatAuditValue('market_stage', 'unknown', t)).toBe('unknown');
    expect(formatAuditValue('name', '华为', t)).toBe('华为');
    expect(formatAuditValue('needs', null, t)).toBe('');
  });

  it('orders the archive fields after the original ones', () => {
    const shown = visibleChanges({ action: 'update', before: { tier: 'B', name: 'a' }, after: { tier: 'A', name: 'b' } });
    expect(shown.map((c) => c.field)).toEqual(['name', 'tier']);
  });
});

describe('list state in the URL', () => {
  it('round-trips and rejects garbage', () => {
    const state = readListState(new URLSearchParams('q=精密&page=3&size=50&sort=-created_at'));
    expect(state).toEqual({ q: '精密', page: 3, size: 50, sort: '-created_at', filters: {} });
    expect(readListState(writeListState(state))).toEqual(state);
    expect(readListState(new URLSearchParams('page=-1&size=9999&sort=drop'))).toEqual({ q: '', page: 1, size: 20, sort: undefined, filters: {} });
  });
});
