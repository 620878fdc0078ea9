// Account list: search (q, substring — Chinese works), filters (filter panel), saved views,
// export (CSV, XLSX) of what the list shows, server-side paging and sorting.
// The whole query lives in the URL (listState.ts), so back/forward, reload and links keep it.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App as AntApp, Badge, Button, Card, Dropdown, Input, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, FilterOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import type { Page, Permission } from '../../api/types';
import { formatInstant } from '../../utils/format';
import { PHONE_QUERY, useMediaQuery } from '../../utils/useMediaQuery';
import { enumLabelKey, type ArchiveAccount, type EnumField } from './archive';
import FilterPanel, { FilterTags } from './FilterPanel';
import SavedViews from './SavedViews';
import { activeFilterCount, exportQuery, listQuery, pagerTotal, readListState, sortOrderOf, writeListState, type AccountSort, type ListState } from './listState';
import { exportAccounts, listAccounts } from './service';

// The URL state helpers stay importable from the page, as before.
export { readListState, writeListState } from './listState';
export type { ListState } from './listState';

export default function AccountList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = readListState(params);
  const [data, setData] = useState<Page<ArchiveAccount>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState(state.q);
  const filterCount = activeFilterCount(state.filters);
  const isPhone = useMediaQuery(PHONE_QUERY);
  // Open with filters set, except on a phone: there the tags say what is filtered.
  const [panelOpen, setPanelOpen] = useState(filterCount > 0 && !isPhone);
  const [exporting, setExporting] = useState(false);
  const queryKey = writeListState(state).toString();

  useEffect(() => setSearch(state.q), [state.q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listAccounts(listQuery(state), controller.signal)
      .then((page) => setData(page))
      .catch((error) => {
        if (!controller.signal.aborted) message.error(describeError(error, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryKey]);

  const update = (patch: Partial<ListState>) => setParams(writeListState({ ...state, ...patch }));

  const onExport = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      const name = await exportAccounts(exportQuery(state, format));
      message.success(t('account.exportStarted', { name }));
    } catch (error) {
      message.error(describeError(error, t));
    } finally {
      setExporting(false);
    }
  };

  const enumText = (field: EnumField) => (value: string | null | undefined) => (value ? t(enumLabelKey(field, value)) : '');

  const columns: TableProps<ArchiveAccount>['columns'] = [
    { title: t('account.archiveNo'), dataIndex: 'archive_no', width: 150, sorter: true, sortOrder: sortOrderOf(state.sort, 'archive_no') },
    {
      title: t('account.name'),
      dataIndex: 'name',
      width: 240,
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'name'),
      render: (name: string, row) => (
        <>
          <Link to={`/accounts/${row.id}`}>{name}</Link>
          {row.in_pool ? (
            <Tag color="orange" style={{ marginLeft: 6 }}>
              {t('account.inPoolTag')}
            </Tag>
          ) : null}
        </>
      ),
    },
    { title: t('account.industry'), dataIndex: 'industry', width: 110 },
    { title: t('account.province'), dataIndex: 'province', width: 100 },
    { title: t('account.city'), dataIndex: 'city', width: 100 },
    {
      title: t('account.tier'),
      dataIndex: 'tier',
      width: 100,
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'tier'),
      render: enumText('tier'),
    },
    { title: t('account.customerKind'), dataIndex: 'customer_kind', width: 110, render: enumText('customer_kind') },
    { title: t('account.marketStage'), dataIndex: 'market_stage', width: 100, render: enumText('market_stage') },
    { title: t('account.owner'), dataIndex: 'owner_name', width: 100 },
    {
      title: t('account.lastActivityAt'),
      dataIndex: 'last_activity_at',
      width: 150,
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'last_activity_at'),
      render: (v: string | null) => formatInstant(v),
    },
    {
      title: t('account.createdAt'),
      dataIndex: 'created_at',
      width: 150,
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'created_at'),
      render: (v: string) => formatInstant(v),
    },
    {
      title: t('account.updatedAt'),
      dataIndex: 'updated_at',
      width: 150,
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'updated_at'),
      render: (v: string) => formatInstant(v),
    },
  ];

  const onChange: TableProps<ArchiveAccount>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const field = typeof s?.field === 'string' ? s.field : undefined;
      const sort = field && s.order ? ((s.order === 'descend' ? `-${field}` : field) as AccountSort) : undefined;
      update({ sort, page: 1 });
    } else if (extra.action === 'paginate') {
      update({ page: pagination.current ?? 1, size: pagination.pageSize ?? state.size });
    }
  };

  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('account.list')}</Typography.Title>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', flex: '1 1 260px', justifyContent: 'flex-end' }}>
          <Input.Search
            allowClear
            placeholder={t('account.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => update({ q: value.trim(), page: 1 })}
            enterButton={t('common.search')}
            style={{ maxWidth: 360, flex: '1 1 200px' }}
            data-testid="accounts-search"
          />
          {can('accounts.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/accounts/new')} data-testid="account-new">
              {t('account.new')}
            </Button>
          ) : null}
        </div>
      </div>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center', marginBottom: 12 }} data-testid="accounts-toolbar">
        <Badge count={filterCount} size="small" offset={[-4, 4]}>
          <Button icon={<FilterOutlined />} type={panelOpen ? 'primary' : 'default'} ghost={panelOpen} onClick={() => setPanelOpen((o) => !o)} data-testid="filter-toggle">
            {t('account.filter.toggle')}
          </Button>
        </Badge>
        <SavedViews state={state} onOpen={(next) => setParams(writeListState(next))} />
        <div style={{ flex: '1 1 0', minWidth: 0 }} />
        {can('accounts.import' as Permission) ? (
          <Button icon={<ImportOutlined />} onClick={() => navigate('/imports?kind=accounts')} data-testid="accounts-import">
            {t('import.title')}
          </Button>
        ) : null}
        {can('accounts.export' as Permission) ? (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'csv', label: <span data-testid="export-csv">{t('account.exportCsv')}</span> },
                { key: 'xlsx', label: <span data-testid="export-xlsx">{t('account.exportXlsx')}</span> },
              ],
              onClick: ({ key }) => void onExport(key as 'csv' | 'xlsx'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="accounts-export">
              {t('account.export')}
            </Button>
          </Dropdown>
        ) : null}
      </div>
      {panelOpen ? <FilterPanel filters={state.filters} onChange={(filters) => update({ filters, page: 1 })} /> : null}
      <FilterTags filters={state.filters} onChange={(filters) => update({ filters, page: 1 })} />
      <Table<ArchiveAccount>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data.items}
        loading={loading}
        onChange={onChange}
        scroll={{ x: 1560 }}
        data-testid="accounts-table"
        pagination={{
          current: state.page,
          pageSize: state.size,
          total: pagerTotal(data).total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: () => t(pagerTotal(data).label, { total: data.total }),
          size: 'small',
        }}
      />
    </Card>
  );
}
