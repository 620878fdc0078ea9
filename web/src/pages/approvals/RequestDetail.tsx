// One request: its fields as the paper form has them, the approval chain drawn as antd Steps
// (who approves each step, who decided, when, with what comment), the trail, and the actions
// the server says the caller may take now (approve / reject / return with a comment, submit,
// edit, withdraw). The printable form and the XLSX come from the server.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Spin, Steps, Tag, Timeline, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, DownloadOutlined, EditOutlined, PrinterOutlined, RollbackOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useI18n, type MessageKey } from '../../i18n';
import { API_BASE } from '../../api/client';
import { describeError } from '../../api/errors';
import { downloadFile } from '../../components/download';
import { useMediaQuery } from '../../utils/useMediaQuery';
import { formatInstant } from '../../utils/format';
import { formatYuan } from '../accounts/money';
import { stepsView } from './chain';
import { StatusTag, kindKey } from './index';
import { announceInboxChange } from './MenuIcon';
import { actOn, basePath, getRequest } from './service';
import type { ApprovalAction, ApprovalRequest, GiftRequest, Kind, ReceptionRequest } from './types';

const actionKey = (a: string) => `approvals.action.${a}` as MessageKey;

function Fields({ request }: { request: ApprovalRequest }) {
  const { t } = useI18n();
  const common = [
    { key: 'account', label: t('approvals.account'), children: <Link to={`/accounts/${request.account_id}`}>{request.account_name}</Link> },
    { key: 'owner', label: t('approvals.submitter'), children: request.owner_name },
    { key: 'total', label: t('approvals.total'), children: <b data-testid="detail-total">¥{formatYuan(request.total_fen)}</b> },
    {
      key: 'budget',
      label: t('approvals.budget'),
      children: request.over_budget ? <Tag color="red">{t('approvals.overBudget')}</Tag> : <Tag>{t('approvals.withinBudget')}</Tag>,
    },
    ...(request.opportunity_id ? [{ key: 'opp', label: t('approvals.opportunity'), children: `#${request.opportunity_id}` }] : []),
  ];
  if (request.kind === 'gift') {
    const g = request as GiftRequest;
    return (
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          ...common,
          { key: 'recipient', label: t('approvals.recipient'), children: g.recipient_name },
          { key: 'title', label: t('approvals.recipientTitle'), children: g.recipient_title },
          { key: 'gift', label: t('approvals.gift'), children: g.gift_name },
          { key: 'quantity', label: t('approvals.quantity'), children: g.quantity },
          { key: 'price', label: t('approvals.unitPrice'), children: `¥${formatYuan(g.unit_price_fen)}` },
          { key: 'date', label: t('approvals.giftDate'), children: g.gift_date },
          { key: 'occasion', label: t('approvals.occasion'), children: g.occasion, span: 2 },
        ]}
      />
    );
  }
  const r = request as ReceptionRequest;
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 2 }}
      items={[
        ...common,
        { key: 'company', label: t('approvals.visitorCompany'), children: r.visitor_company },
        { key: 'count', label: t('approvals.visitorCount'), children: r.visitor_count ?? r.visitors.length },
        { key: 'visitors', label: t('approvals.visitors'), children: r.visitors.map((v) => (v.title ? `${v.name}（${v.title}）` : v.name)).join('，'), span: 2 },
        { key: 'dates', label: t('approvals.dates'), children: `${r.start_date} ~ ${r.end_date}`, span: 2 },
        { key: 'purpose', label: t('approvals.purpose'), children: r.purpose, span: 2 },
        { key: 'itinerary', label: t('approvals.itinerary'), children: r.itinerary, span: 2 },
        { key: 'lodging', label: t('approvals.lodging'), children: r.lodging },
        { key: 'meals', label: t('approvals.meals'), children: r.meals },
        { key: 'transport', label: t('approvals.transport'), children: r.transport },
        { key: 'hosts', label: t('approvals.hosts'), children: r.hosts },
        {
          key: 'lines',
          label: t('approvals.budgetLines'),
          span: 2,
          children: (
            <Space direction="vertical" size={0}>
              {r.budget_lines.map((l, i) => (
                <span key={i}>
                  {l.item}：¥{formatYuan(l.amount_fen)}
                </span>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** The chain as Steps: approvers while waiting, the decider with comment and time once decided. */
export function ChainSteps({ request }: { request: ApprovalRequest }) {
  const { t } = useI18n();
  const phone = useMediaQuery('(max-width: 767px)');
  const view = stepsView(request.status, request.steps);
  if (!request.steps.length) return <Typography.Text type="secondary">{t('approvals.noSteps')}</Typography.Text>;
  return (
    <Steps
      direction={phone ? 'vertical' : 'horizontal'}
      current={view.current}
      status={view.items[view.current] === 'error' ? 'error' : undefined}
      data-testid="approval-steps"
      items={request.steps.map((s, i) => ({
        title: s.name,
        status: view.items[i],
        subTitle: s.status === 'preview' ? t('approvals.preview') : t(`approvals.status.${s.status}` as MessageKey),
        description: (
          <Space direction="vertical" size={0} style={{ fontSize: 12 }}>
            <span>{s.decided_by_name ?? s.approvers.map((a) => a.display_name).join('、')}</span>
            {s.comment ? <Typography.Text type="secondary">“{s.comment}”</Typography.Text> : null}
            {s.decided_at ? <Typography.Text type="secondary">{formatInstant(s.decided_at)}</Typography.Text> : null}
          </Space>
        ),
      }))}
    />
  );
}

export default function RequestDetail() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const kind: Kind = params.kind === 'reception' ? 'reception' : 'gift';
  const id = Number(params.id);
  const [request, setRequest] = useState<ApprovalRequest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<ApprovalAction | null>(null);
  const [comment, setComment] = useState('');

  const load = useCallback(async () => {
    try {
      setRequest(await getRequest(kind, id));
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, id]);
  useEffect(() => void load(), [load]);

  const run = async (action: ApprovalAction, text?: string) => {
    if (!request) return;
    setBusy(true);
    try {
      const after = await actOn(kind, request.id, action, { comment: text?.trim() || undefined, version: request.version });
      setRequest(after);
      setAsking(null);
      setComment('');
      message.success(t(actionKey(action)) + ' ✓');
      announceInboxChange();
    } catch (e) {
      message.error(describeError(e, t, { 409: 'error.stale' }));
      void load();
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Alert type="error" showIcon message={error} data-testid="approval-error" />;
  if (!request) return <Spin />;
  const can = (a: string) => request.actions?.includes(a as never) ?? false;
  const needsComment = asking === 'reject' || asking === 'return';
  const formPath = `${basePath(kind)}/${request.id}/form`;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <span data-testid="approval-title">
              {t(kindKey(kind))} #{request.id}
            </span>
            <StatusTag status={request.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<PrinterOutlined />} href={`${API_BASE}${formPath}.html`} target="_blank" data-testid="approval-print">
              {t('approvals.print')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void downloadFile(`${formPath}.xlsx`, undefined, `${request.id}.xlsx`).catch((e) => message.error(describeError(e, t)))}
            >
              XLSX
            </Button>
          </Space>
        }
      >
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <ChainSteps request={request} />
          <Space wrap data-testid="approval-actions">
            {can('approve') ? (
              <Button type="primary" icon={<CheckOutlined />} onClick={() => setAsking('approve')} data-testid="action-approve">
                {t('approvals.action.approve')}
              </Button>
            ) : null}
            {can('return') ? (
              <Button icon={<RollbackOutlined />} onClick={() => setAsking('return')} data-testid="action-return">
                {t('approvals.action.return')}
              </Button>
            ) : null}
            {can('reject') ? (
              <Button danger icon={<CloseOutlined />} onClick={() => setAsking('reject')} data-testid="action-reject">
                {t('approvals.action.reject')}
              </Button>
            ) : null}
            {can('edit') ? (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/approvals/${kind}/${request.id}/edit`)} data-testid="action-edit">
                {t('common.edit')}
              </Button>
            ) : null}
            {can('submit') ? (
              <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void run('submit')} data-testid="action-submit">
                {t('approvals.action.submit')}
              </Button>
            ) : null}
            {can('withdraw') ? (
              <Popconfirm title={t('approvals.withdrawConfirm')} onConfirm={() => void run('withdraw')} okText={t('common.ok')} cancelText={t('common.cancel')}>
                <Button icon={<StopOutlined />} loading={busy} data-testid="action-withdraw">
                  {t('approvals.action.withdraw')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
          <Fields request={request} />
        </Space>
      </Card>
      <Card title={t('approvals.trail')} size="small">
        {request.trail?.length ? (
          <Timeline
            data-testid="approval-trail"
            items={request.trail.map((e) => ({
              color: e.action === 'approve' ? 'green' : e.action === 'reject' ? 'red' : e.action === 'return' ? 'orange' : 'blue',
              children: (
                <span>
                  {formatInstant(e.at)} · {e.user_name} · <b>{t(actionKey(e.action))}</b>
                  {e.comment ? `：${e.comment}` : ''}
                </span>
              ),
            }))}
          />
        ) : (
          <Typography.Text type="secondary">{t('approvals.noTrail')}</Typography.Text>
        )}
      </Card>
      <Modal
        open={asking !== null}
        title={asking ? t(actionKey(asking)) : ''}
        onCancel={() => setAsking(null)}
        onOk={() => asking && void run(asking, comment)}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: needsComment && !comment.trim(), 'data-testid': 'action-confirm' } as never}
      >
        <Input.TextArea
          rows={3}
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={needsComment ? t('approvals.commentRequired') : t('approvals.commentOptional')}
          data-testid="action-comment"
        />
      </Modal>
    </Space>
  );
}
