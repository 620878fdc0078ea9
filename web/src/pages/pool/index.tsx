// 公海 (customer pool): accounts without an owner, searchable and filterable, each with a 领取
// (claim) button; above the list the current user's limits — accounts owned out of the
// maximum, and the daily claim limit. Claiming makes the account the user's (and their
// department's); the server refuses past a limit (422) or when someone was faster (409).
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Card, Col, Input, Progress, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { isApiError } from '../../api/client';
import type { Account, Page } from '../../api/types';
import { formatInstant } from '../../utils/format';
import { useMediaQuery, PHONE_QUERY } from '../../utils/useMediaQuery';
import type { AccountOwnershipFields, PoolSettings } from '../accounts/tabs/types';
import { claimAccount, countOwnedBy, getPoolSettings, listPool, type PoolQuery } from './service';
import { limitErrorKey, limitProgressStatus, limitStatus, type LimitStatus } from './limits';

const PAGE_SIZE = 20;
type PoolAccount = Account & Partial<AccountOwnershipFields> & { last_activity_at?: string | null };

/** Settings may carry the caller's usage when the server offers it; otherwise unknown. */
type SettingsWithUsage = PoolSettings & { claims_today?: number; usage?: { owned?: number; claims_today?: number } };

export function LimitsPanel({ owned, claimsToday, settings }: { owned: number | null; claimsToday: number | null; settings: PoolSettings | null }) {
  const { t } = useI18n();
  if (!settings) return null;
  const ownedStatus = limitStatus(owned, settings.max_owned_per_user);
  const claimsStatus = claimsToday === null ? null : limitStatus(claimsToday, settings.max_claims_per_day);
  const bar = (status: LimitStatus | null, testid: string) =>
    status ? (
      <Progress
        percent={status.percent}
        status={limitProgressStatus(status)}
        strokeColor={status.near && !status.full ? '#fa8c16' : undefined}
        showInfo={false}
        data-testid={testid}
      />
    ) : null;
  return (
    <Card size="small" data-testid="pool-limits">
      <Row gutter={[24, 12]}>
        <Col xs={24} md={12}>
          <Statistic
            title={t('pool.ownedLimit')}
            value={owned ?? '-'}
            suffix={`/ ${settings.max_owned_per_user}`}
            valueStyle={ownedStatus?.full ? { color: '#ff4d4f' } : undefined}
            data-testid="pool-owned"
          />
          {bar(ownedStatus, 'pool-owned-bar')}
          {ownedStatus?.full ? <Typography.Text type="danger">{t('pool.ownedFull')}</Typography.Text> : null}
        </Col>
        <Col xs={24} md={12}>
          {claimsStatus ? (
            <>
              <Statistic title={t('pool.claimsToday')} value={claimsStatus.used} suffix={`/ ${settings.max_claims_per_day}`} data-testid="pool-claims" />
              {bar(claimsStatus, 'pool-claims-bar')}
            </>
          ) : (
            <Statistic title={t('pool.dailyClaimLimit')} value={settings.max_claims_per_day} data-testid="pool-claims" />
          )}
        </Col>
      </Row>
    </Card>
  );
}

export default function PoolPage() {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [query, setQuery] = useState<PoolQuery>({ limit: PAGE_SIZE, offset: 0 });
  const [search, setSearch] = useState('');
  const [data, setData] = useState<Page<PoolAccount>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [settings, setSettings] = useState<SettingsWithUsage | null>(null);
  const [owned, setOwned] = useState<number | null>(null);
  const [claiming, setClaiming] = useState<number | null>(null);
  const canClaim = can('accounts.write');
  const phone = useMediaQuery(PHONE_QUERY);

  const loadLimits = useCallback(async () => {
    try {
      const s = (await getPoolSettings()) as SettingsWithUsage;
      setSettings(s);
      if (typeof s.usage?.owned === 'number') setOwned(s.usage.owned);
      else if (user) setOwned(await countOwnedBy(user.id));
    } catch (e) {
      // The limits are a help, not the page: a failure leaves them out.
      if (!isApiError(e) || e.status !== 403) message.error(describeError(e, t));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id]);

  useEffect(() => {
    void loadLimits();
  }, [loadLimits]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listPool(query, controller.signal)
      .then((page) => setData(page))
      .catch((e) => {
        if (!controller.signal.aborted) message.error(describeError(e, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const claimsToday = settings ? (settings.usage?.claims_today ?? settings.claims_today ?? null) : null;
  const full = settings !== null && owned !== null && owned >= settings.max_owned_per_user;

  const claim = async (row: PoolAccount) => {
    setClaiming(row.id);
    try {
      await claimAccount(row.id);
      message.success({
        content: (
          <span>
            {t('pool.claimed', { name: row.name })}{' '}
            {/* Messages render outside the router: navigate through the page's own hook. */}
            <Typography.Link onClick={() => navigate(`/accounts/${row.id}`)}>{t('pool.open')}</Typography.Link>
          </span>
        ),
      });
      setData((d) => ({ items: d.items.filter((a) => a.id !== row.id), total: Math.max(0, d.total - 1) }));
      void loadLimits();
    } catch (e) {
      const limit = limitErrorKey(e);
      message.error(limit ? t(limit) : describeError(e, t, { 409: 'pool.alreadyOwned' }));
      setQuery((q) => ({ ...q }));
      void loadLimits();
    } finally {
      setClaiming(null);
    }
  };

  const update = (patch: Partial<PoolQuery>) => setQuery((q) => ({ ...q, ...patch, offset: patch.offset ?? 0 }));

  const columns: TableProps<PoolAccount>['columns'] = [
    {
      title: t('account.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: phone ? 150 : 240,
      render: (name: string, row) => <Link to={`/accounts/${row.id}`}>{name}</Link>,
    },
    { title: t('account.archiveNo'), dataIndex: 'archive_no', width: 150 },
    { title: t('account.industry'), dataIndex: 'industry', width: 110 },
    { title: t('account.province'), dataIndex: 'province', width: 100 },
    { title: t('account.city'), dataIndex: 'city', width: 100 },
    { title: t('pool.tier'), dataIndex: 'tier', width: 70, render: (tier: string | null) => (tier ? <Tag>{tier}</Tag> : '') },
    { title: t('pool.lastActivity'), dataIndex: 'last_activity_at', width: 150, render: (v: string | null) => formatInstant(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_: unknown, row) =>
        canClaim ? (
          <Tooltip title={full ? t('pool.ownedFull') : undefined}>
            <Button
              type="primary"
              size="small"
              icon={<UserAddOutlined />}
              loading={claiming === row.id}
              disabled={full || (claiming !== null && claiming !== row.id)}
              onClick={() => void claim(row)}
              data-testid={`pool-claim-${row.id}`}
            >
              {t('pool.claim')}
            </Button>
          </Tooltip>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <LimitsPanel owned={owned} claimsToday={claimsToday} settings={settings} />
      <Card>
        <div className="kam-page-header">
          <Typography.Title level={4}>{t('pool.title')}</Typography.Title>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', flex: '1 1 260px', justifyContent: 'flex-end' }}>
            <Select
              allowClear
              placeholder={t('pool.tier')}
              style={{ width: 100 }}
              value={query.tier}
              onChange={(tier?: string) => update({ tier })}
              options={['A', 'B', 'C'].map((v) => ({ value: v, label: v }))}
              data-testid="pool-tier"
            />
            <Input.Search
              allowClear
              placeholder={t('pool.searchPlaceholder')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(value) => update({ q: value.trim() || undefined })}
              enterButton={t('common.search')}
              style={{ maxWidth: 360, flex: '1 1 200px' }}
              data-testid="pool-search"
            />
          </div>
        </div>
        <Table<PoolAccount>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 960 }}
          data-testid="pool-table"
          onRow={(row) => ({ onDoubleClick: () => navigate(`/accounts/${row.id}`) })}
          pagination={{
            current: Math.floor((query.offset ?? 0) / (query.limit ?? PAGE_SIZE)) + 1,
            pageSize: query.limit ?? PAGE_SIZE,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('common.total', { total }),
            size: 'small',
            onChange: (page, size) => update({ limit: size, offset: (page - 1) * size }),
          }}
        />
      </Card>
    </Space>
  );
}
