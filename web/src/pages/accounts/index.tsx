// Account list: search (q, substring — Chinese works), server-side paging and sorting.
// The query lives in the URL (?q=&page=&size=&sort=), so back/forward and reload keep it.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Input, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import type { Account, Page } from '../../api/types';
import { formatInstant } from '../../utils/format';
import { listAccounts, type AccountSort } from './service';

const SORTS: AccountSort[] = ['name', '-name', 'created_at', '-created_at', 'updated_at', '-updated_at'];
const DEFAULT_SIZE = 20;

export interface ListState {
  q: string;
  page: number;
  size: number;
  sort?: AccountSort;
}

/** Reads the list state from URL parameters, ignoring anything malformed. */
export function readListState(params: URLSearchParams): ListState {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const size = Number.parseInt(params.get('size') ?? '', 10);
  const sort = params.get('sort') as AccountSort | null;
  return {
    q: params.get('q') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: Number.isFinite(size) && size > 0 && size <= 100 ? size : DEFAULT_SIZE,
    sort: sort && SORTS.includes(sort) ? sort : undefined,
  };
}

export function writeListState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.size !== DEFAULT_SIZE) params.set('size', String(state.size));
  if (state.sort) params.set('sort', state.sort);
  return params;
}

function sortOrderOf(sort: AccountSort | undefined, field: string): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

export default function AccountList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = readListState(params);
  const [data, setData] = useState<Page<Account>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState(state.q);

  useEffect(() => setSearch(state.q), [state.q]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listAccounts({ q: state.q || undefined, limit: state.size, offset: (state.page - 1) * state.size, sort: state.sort }, controller.signal)
      .then((page) => setData(page))
      .catch((error) => {
        if (!controller.signal.aborted) message.error(describeError(error, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.q, state.page, state.size, state.sort]);

  const update = (patch: Partial<ListState>) => setParams(writeListState({ ...state, ...patch }));

  const columns: TableProps<Account>['columns'] = [
    { title: t('account.archiveNo'), dataIndex: 'archive_no', width: 150 },
    {
      title: t('account.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrderOf(state.sort, 'name'),
      render: (name: string, row) => <Link to={`/accounts/${row.id}`}>{name}</Link>,
    },
    { title: t('account.industry'), dataIndex: 'industry', width: 120 },
    { title: t('account.province'), dataIndex: 'province', width: 100 },
    { title: t('account.city'), dataIndex: 'city', width: 100 },
    { title: t('account.owner'), dataIndex: 'owner_name', width: 110 },
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

  const onChange: TableProps<Account>['onChange'] = (pagination, _filters, sorter, extra) => {
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
      <Table<Account>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data.items}
        loading={loading}
        onChange={onChange}
        scroll={{ x: 980 }}
        data-testid="accounts-table"
        pagination={{
          current: state.page,
          pageSize: state.size,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          size: 'small',
        }}
      />
    </Card>
  );
}
