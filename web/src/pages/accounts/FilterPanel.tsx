// The filter panel of the account list: region (province/city cascader), industry, tier,
// customer kind, market stage, relationship stage, owner and pool. It holds no state of its
// own: the filters live in the URL (listState.ts) and every change replaces them at once.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Col, Form, Input, Row, Select, Tag } from 'antd';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import DivisionPicker from '../../components/DivisionPicker';
import { enumLabelKey, type EnumField } from './archive';
import { FILTER_ENUMS, FILTER_KEYS, type FilterKey, type Filters } from './listState';
import { getUser, searchUsers } from './service';

export const FILTER_LABELS: Record<FilterKey, MessageKey> = {
  province: 'account.province',
  city: 'account.city',
  industry: 'account.industry',
  tier: 'account.tier',
  customer_kind: 'account.customerKind',
  market_stage: 'account.marketStage',
  relationship_stage: 'account.relationshipStage',
  owner_id: 'account.owner',
  in_pool: 'account.inPool',
};

interface OwnerOption {
  value: string;
  label: string;
}

/** Owner filter: "mine" always; other users by name when the user may list users. */
function OwnerSelect({ value, onChange }: { value?: string; onChange: (value?: string) => void }) {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const mayList = can('users.read');
  const me = user ? String(user.id) : undefined;
  const [found, setFound] = useState<OwnerOption[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({});
  const timer = useRef<ReturnType<typeof setTimeout>>();

  // The name of an owner chosen elsewhere (a saved view, a shared link).
  useEffect(() => {
    if (!value || value === me || known[value] || !mayList) return;
    getUser(value)
      .then((u) => setKnown((k) => ({ ...k, [value]: u.display_name || u.username })))
      .catch(() => undefined);
  }, [value, me, known, mayList]);

  const search = (q: string) => {
    if (!mayList) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      searchUsers(q.trim())
        .then((page) => setFound(page.items.map((u) => ({ value: String(u.id), label: u.display_name || u.username }))))
        .catch(() => setFound([]));
    }, 250);
  };

  const options = useMemo(() => {
    const list: OwnerOption[] = [];
    if (me) list.push({ value: me, label: t('account.filter.mine') });
    for (const o of found) if (o.value !== me) list.push(o);
    if (value && !list.some((o) => o.value === value)) list.push({ value, label: known[value] ?? `#${value}` });
    return list;
  }, [me, found, value, known, t]);

  return (
    <Select
      allowClear
      showSearch={mayList}
      filterOption={false}
      onSearch={search}
      onDropdownVisibleChange={(open) => {
        if (open && mayList && found.length === 0) search('');
      }}
      value={value}
      onChange={(v?: string) => onChange(v || undefined)}
      options={options}
      placeholder={mayList ? t('account.filter.ownerSearch') : t('account.filter.all')}
      data-testid="filter-owner"
    />
  );
}

export interface FilterPanelProps {
  filters: Filters;
  onChange: (filters: Filters) => void;
}

export default function FilterPanel({ filters, onChange }: FilterPanelProps) {
  const { t } = useI18n();
  const [industry, setIndustry] = useState(filters.industry ?? '');
  useEffect(() => setIndustry(filters.industry ?? ''), [filters.industry]);

  const set = (patch: Filters) => {
    const next: Filters = { ...filters, ...patch };
    for (const key of FILTER_KEYS) if (!next[key]) delete next[key];
    onChange(next);
  };

  const enumSelect = (key: FilterKey) => (
    <Select
      allowClear
      value={filters[key]}
      placeholder={t('account.filter.all')}
      onChange={(v?: string) => set({ [key]: v || undefined })}
      options={(FILTER_ENUMS[key] ?? []).map((value) => ({ value, label: t(enumLabelKey(key as EnumField, value)) }))}
      data-testid={`filter-${key.replace(/_/g, '-')}`}
    />
  );

  const col = { xs: 12, md: 8, xl: 6 };
  return (
    <Form layout="vertical" component="div" className="kam-filter-panel" data-testid="filter-panel">
      <Row gutter={[12, 0]}>
        <Col {...col}>
          <Form.Item label={t('account.filter.region')} style={{ marginBottom: 12 }}>
            <DivisionPicker
              value={{ province: filters.province, city: filters.city }}
              onChange={({ province, city }) => set({ province, city })}
              data-testid="filter-region"
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item label={t('account.filter.industry')} style={{ marginBottom: 12 }}>
            <Input
              allowClear
              value={industry}
              maxLength={100}
              onChange={(e) => {
                setIndustry(e.target.value);
                if (e.type === 'click' || e.target.value === '') set({ industry: undefined }); // the clear icon
              }}
              onPressEnter={() => set({ industry: industry.trim() || undefined })}
              onBlur={() => {
                if (industry.trim() !== (filters.industry ?? '')) set({ industry: industry.trim() || undefined });
              }}
              data-testid="filter-industry"
            />
          </Form.Item>
        </Col>
        {(['tier', 'customer_kind', 'market_stage', 'relationship_stage'] as const).map((key) => (
          <Col {...col} key={key}>
            <Form.Item label={t(FILTER_LABELS[key])} style={{ marginBottom: 12 }}>
              {enumSelect(key)}
            </Form.Item>
          </Col>
        ))}
        <Col {...col}>
          <Form.Item label={t('account.owner')} style={{ marginBottom: 12 }}>
            <OwnerSelect value={filters.owner_id} onChange={(owner_id) => set({ owner_id })} />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item label={t('account.inPool')} style={{ marginBottom: 12 }}>
            <Select
              allowClear
              value={filters.in_pool}
              placeholder={t('account.filter.all')}
              onChange={(v?: string) => set({ in_pool: v || undefined })}
              options={[
                { value: 'true', label: t('account.filter.inPoolYes') },
                { value: 'false', label: t('account.filter.inPoolNo') },
              ]}
              data-testid="filter-in-pool"
            />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}

/** The active filters as closable tags (shown above the table, also when the panel is closed). */
export function FilterTags({ filters, onChange, ownerName }: FilterPanelProps & { ownerName?: (id: string) => string | undefined }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const tags: { key: FilterKey; text: string }[] = [];
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (!value || key === 'city') continue;
    let text = value;
    if (key === 'province') text = filters.city ? `${value} / ${filters.city}` : value;
    else if (key === 'in_pool') text = value === 'true' ? t('account.filter.inPoolYes') : t('account.filter.inPoolNo');
    else if (key === 'owner_id') text = user && String(user.id) === value ? t('account.filter.mine') : (ownerName?.(value) ?? `#${value}`);
    else if (FILTER_ENUMS[key]) text = t(enumLabelKey(key as EnumField, value));
    tags.push({ key, text: key === 'province' ? text : `${t(FILTER_LABELS[key])}：${text}` });
  }
  if (!tags.length) return null;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginBottom: 12 }} data-testid="filter-tags">
      {tags.map(({ key, text }) => (
        <Tag
          key={key}
          closable
          color="blue"
          onClose={(e) => {
            e.preventDefault();
            const next = { ...filters };
            delete next[key];
            if (key === 'province') delete next.city;
            onChange(next);
          }}
        >
          {text}
        </Tag>
      ))}
      <Button type="link" size="small" onClick={() => onChange({})} data-testid="filter-reset">
        {t('account.filter.reset')}
      </Button>
    </div>
  );
}
