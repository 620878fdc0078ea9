// 审批中心: 待我审批 (what waits for my decision, with the count of the menu badge) and 我的申请
// (what I submitted, each with its chain as Steps and where it stands), and the buttons to file
// a gift (礼品馈赠申请) or reception (客户接待申请) request.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Badge, Button, Card, Select, Space, Steps, Table, Tabs, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { GiftOutlined, TeamOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../utils/format';
import { formatYuan } from '../accounts/money';
import { STATUS_COLOR, stepsView } from './chain';
import { getInbox, getMine } from './service';
import { STATUSES, type ApprovalRequest, type ApprovalStatus } from './types';

export const statusKey = (s: string) => `approvals.status.${s}` as MessageKey;
export const kindKey = (k: string) => `approvals.kind.${k}` as MessageKey;

/** What a request is about, in one line (recipient and gift, or visiting company). */
export function subject(r: ApprovalRequest): string {
  if (r.kind === 'gift') {
    const g = r as Extract<ApprovalRequest, { recipient_name: string }>;
    return `${g.gift_name} → ${g.recipient_name}`;
  }
  const v = r as Extract<ApprovalRequest, { purpose: string }>;
  return v.visitor_company ? `${v.visitor_company} · ${v.purpose}` : v.purpose;
}

export function StatusTag({ status }: { status: ApprovalStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="approval-status">
      {t(statusKey(status))}
    </Tag>
  );
}

/** The chain of a request, small, for lists. */
export function MiniSteps({ request }: { request: ApprovalRequest }) {
  const view = stepsView(request.status, request.steps);
  if (!request.steps.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Steps
      size="small"
      current={view.current}
      status={view.items[view.current] === 'error' ? 'error' : undefined}
      items={request.steps.map((s, i) => ({ title: s.name, status: view.items[i] }))}
      style={{ minWidth: 260 }}
    />
  );
}

function useColumns(withOwner: boolean): TableProps<ApprovalRequest>['columns'] {
  const { t } = useI18n();
  return [
    {
      title: t('approvals.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: string, r) => (
        <Link to={`/approvals/${r.kind}/${r.id}`} data-testid="approval-link">
          {k === 'gift' ? <GiftOutlined /> : <TeamOutlined />} {t(kindKey(k))} #{r.id}
        </Link>
      ),
    },
    { title: t('approvals.account'), dataIndex: 'account_name', ellipsis: true },
    { title: t('approvals.subject'), key: 'subject', ellipsis: true, render: (_: unknown, r) => subject(r) },
    { title: t('approvals.total'), dataIndex: 'total_fen', align: 'right', width: 120, render: (v: number) => `¥${formatYuan(v)}` },
    ...(withOwner ? [{ title: t('approvals.submitter'), dataIndex: 'owner_name', width: 100 }] : []),
    { title: t('approvals.status'), dataIndex: 'status', width: 90, render: (s: ApprovalStatus) => <StatusTag status={s} /> },
    { title: t('approvals.chain'), key: 'chain', render: (_: unknown, r) => <MiniSteps request={r} />, responsive: ['lg'] },
    { title: t('approvals.submittedAt'), dataIndex: 'submitted_at', width: 150, render: (v: string | null) => formatInstant(v), responsive: ['md'] },
  ];
}

function Inbox({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<ApprovalRequest[]>([]);
  const [loading, setLoading] = useState(false);
  const columns = useColumns(true);
  useEffect(() => {
    setLoading(true);
    getInbox(200, 0)
      .then((box) => {
        setItems(box.items);
        onCount(box.count);
      })
      .catch((e) => message.error(describeError(e, t)))
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Table<ApprovalRequest>
      rowKey={(r) => `${r.kind}-${r.id}`}
      size="middle"
      loading={loading}
      dataSource={items}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('approvals.inboxEmpty') }}
      data-testid="approvals-inbox"
    />
  );
}

function Mine() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<ApprovalStatus | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: ApprovalRequest[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const columns = useColumns(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await getMine(status, 20, (page - 1) * 20));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, page]);
  useEffect(() => void load(), [load]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        placeholder={t('approvals.filterStatus')}
        style={{ width: 160 }}
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
        }}
        options={STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
      />
      <Table<ApprovalRequest>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="middle"
        loading={loading}
        dataSource={data.items}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false }}
        data-testid="approvals-mine"
      />
    </Space>
  );
}

export default function ApprovalsHome() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [count, setCount] = useState<number | null>(null);
  const tab = params.get('tab') === 'mine' ? 'mine' : 'inbox';
  return (
    <Card
      title={t('approvals.menu')}
      extra={
        can('requests.write') ? (
          <Space wrap>
            <Button type="primary" icon={<GiftOutlined />} onClick={() => navigate('/approvals/gift/new')} data-testid="new-gift">
              {t('approvals.newGift')}
            </Button>
            <Button icon={<TeamOutlined />} onClick={() => navigate('/approvals/reception/new')} data-testid="new-reception">
              {t('approvals.newReception')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'mine' ? { tab: 'mine' } : {}, { replace: true })}
        items={[
          {
            key: 'inbox',
            label: (
              <span data-testid="tab-inbox">
                {t('approvals.inbox')} <Badge count={count ?? 0} size="small" />
              </span>
            ),
            children: <Inbox onCount={setCount} />,
          },
          { key: 'mine', label: <span data-testid="tab-mine">{t('approvals.mine')}</span>, children: <Mine /> },
        ]}
      />
    </Card>
  );
}
