// 开发看板: a column per stage (确定开发对象 … 促成成交) with the caller's open opportunities as
// cards. Dragging a card onto the next column (HTML5 drag and drop) or pressing 推进 runs the
// gate on the server; a refusal lists every unmet item, and a manager may override with a reason.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Card, Col, Empty, Form, Input, List, Modal, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { ArrowRightOutlined, BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import { describeError } from '../../api/errors';
import { fenToYuan, yuanToFen } from '../accounts/money';
import { listAccounts } from '../accounts/service';
import { boardColumns, canDrop, unmetItems, type UnmetItem } from './pipeline';
import { advanceOpportunity, createOpportunity, getGate, listOpportunities } from './service';
import { STAGES, type Opportunity } from './types';

export const stageKey = (stage: number) => `pipeline.stage.${stage}` as MessageKey;

/** The refusal of an advance: every unmet item, and an override for those who may. */
export function GateRefusal({
  opportunity,
  items,
  onClose,
  onDone,
}: {
  opportunity: Opportunity | null;
  items: UnmetItem[];
  onClose: () => void;
  onDone: (o: Opportunity) => void;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => setReason(''), [opportunity]);
  const override = async () => {
    if (!opportunity) return;
    setSaving(true);
    try {
      const moved = await advanceOpportunity(opportunity.id, reason.trim());
      message.success(t('pipeline.overridden'));
      onDone(moved);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!opportunity}
      title={t('pipeline.gateNotMet')}
      onCancel={onClose}
      footer={
        can('opportunities.override') ? (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button danger type="primary" disabled={!reason.trim()} loading={saving} onClick={() => void override()} data-testid="override-submit">
              {t('pipeline.override')}
            </Button>
          </Space>
        ) : (
          <Button onClick={onClose}>{t('common.ok')}</Button>
        )
      }
    >
      <Typography.Paragraph>{t('pipeline.gateNotMetHint', { name: opportunity?.name ?? '' })}</Typography.Paragraph>
      <div data-testid="unmet-items">
      <List
        size="small"
        bordered
        dataSource={items}
        renderItem={(item) => (
          <List.Item>
            <Space direction="vertical" size={0}>
              <Typography.Text type="danger">✗ {item.label}</Typography.Text>
              {item.detail && <Typography.Text type="secondary">{item.detail}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
      </div>
      {can('opportunities.override') && (
        <Input.TextArea
          style={{ marginTop: 12 }}
          rows={2}
          placeholder={t('pipeline.overrideReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="override-reason"
        />
      )}
    </Modal>
  );
}

/** New opportunity: account (searched), name, value, close date, product lines. */
export function NewOpportunityModal({
  open,
  accountId,
  onClose,
  onCreated,
}: {
  open: boolean;
  accountId?: number;
  onClose: () => void;
  onCreated: (o: Opportunity) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [accounts, setAccounts] = useState<{ value: number; label: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const search = useCallback(async (q: string) => {
    try {
      const page = await listAccounts({ q: q.trim() || undefined, limit: 20 });
      setAccounts(page.items.map((a) => ({ value: a.id, label: a.name })));
    } catch {
      setAccounts([]);
    }
  }, []);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    if (!accountId) void search('');
  }, [open, accountId, form, search]);
  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const fen = yuanToFen(String(values.expected_value_yuan ?? ''));
    if (fen === undefined) {
      setError(t('pipeline.badAmount'));
      return;
    }
    setSaving(true);
    try {
      const lines = String(values.product_lines ?? '')
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean);
      const created = await createOpportunity({
        account_id: accountId ?? Number(values.account_id),
        name: String(values.name),
        expected_value_fen: fen ?? 0,
        expected_close_date: values.expected_close_date ? String(values.expected_close_date) : undefined,
        product_lines: lines,
      });
      onCreated(created);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t('pipeline.new')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'new-opportunity-submit' } as never}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        {!accountId && (
          <Form.Item name="account_id" label={t('pipeline.field.account')} rules={[{ required: true, message: t('common.required', { field: t('pipeline.field.account') }) }]}>
            <Select showSearch filterOption={false} onSearch={(q) => void search(q)} options={accounts} data-testid="new-opportunity-account" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('pipeline.field.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('pipeline.field.name') }) }]}>
          <Input maxLength={200} data-testid="new-opportunity-name" />
        </Form.Item>
        <Form.Item name="expected_value_yuan" label={t('pipeline.field.expectedValue')}>
          <Input addonAfter="元" data-testid="new-opportunity-value" />
        </Form.Item>
        <Form.Item name="expected_close_date" label={t('pipeline.field.expectedCloseDate')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="product_lines" label={t('pipeline.field.productLines')}>
          <Input placeholder={t('pipeline.productLinesHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OpportunityCard({
  o,
  canWrite,
  onAdvance,
}: {
  o: Opportunity;
  canWrite: boolean;
  onAdvance: (o: Opportunity) => void;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      draggable={canWrite && o.stage < 5}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', JSON.stringify({ id: o.id, stage: o.stage }));
        e.dataTransfer.effectAllowed = 'move';
      }}
      style={{ marginBottom: 8, cursor: canWrite && o.stage < 5 ? 'grab' : undefined }}
      data-testid={`opportunity-card-${o.id}`}
      title={
        <Link to={`/pipeline/opportunities/${o.id}`} data-testid="opportunity-link">
          {o.name}
        </Link>
      }
      extra={o.stalled ? <Tag color="orange">{t('pipeline.stalled')}</Tag> : null}
    >
      <Typography.Text type="secondary">{o.account_name}</Typography.Text>
      <div>
        ¥{fenToYuan(o.expected_value_fen)}
        {o.win_probability !== null && o.win_probability !== undefined && <Tag style={{ marginLeft: 8 }}>{o.win_probability}%</Tag>}
      </div>
      <div>
        <Typography.Text type="secondary">
          {o.owner_name} · {t('pipeline.daysInStage', { n: o.days_in_stage ?? 0 })}
        </Typography.Text>
      </div>
      {canWrite && o.stage < 5 && (
        <Button size="small" type="link" icon={<ArrowRightOutlined />} onClick={() => onAdvance(o)} data-testid="advance-button" style={{ paddingLeft: 0 }}>
          {t('pipeline.advance')}
        </Button>
      )}
    </Card>
  );
}

export default function PipelineBoard() {
  const { t, locale } = useI18n();
  const { can, user } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<Opportunity[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [mine, setMine] = useState(true);
  const [refused, setRefused] = useState<{ o: Opportunity; items: UnmetItem[] } | null>(null);
  const [creating, setCreating] = useState(false);
  const [dropTarget, setDropTarget] = useState<number | null>(null);
  const canWrite = can('opportunities.write');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await listOpportunities({ status: 'open', limit: 500, view: 'card', owner_id: mine && user ? user.id : undefined });
      setItems(page.items);
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setLoading(false);
    }
  }, [mine, user, t]);
  useEffect(() => void load(), [load]);

  const columns = useMemo(() => boardColumns(items), [items]);

  const advance = async (o: Opportunity) => {
    try {
      const moved = await advanceOpportunity(o.id);
      message.success(t('pipeline.advanced', { stage: t(stageKey(moved.stage)) }));
      void load();
    } catch (e) {
      const gate = await getGate(o.id).catch(() => null);
      const unmet = unmetItems(e, gate, locale);
      if (unmet.length) setRefused({ o, items: unmet });
      else message.error(describeError(e, t));
    }
  };

  const onDrop = (stage: number, e: React.DragEvent) => {
    e.preventDefault();
    setDropTarget(null);
    let data: { id: number; stage: number };
    try {
      data = JSON.parse(e.dataTransfer.getData('text/plain'));
    } catch {
      return;
    }
    if (data.stage === stage) return;
    const o = items.find((x) => x.id === data.id);
    if (!o) return;
    if (!canDrop(data.stage, stage)) {
      message.warning(t('pipeline.noSkipping'));
      return;
    }
    void advance(o);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('pipeline.board')}
          </Typography.Title>
          <Space wrap>
            <Select
              value={mine ? 'mine' : 'all'}
              onChange={(v) => setMine(v === 'mine')}
              options={[
                { value: 'mine', label: t('pipeline.mine') },
                { value: 'all', label: t('pipeline.allVisible') },
              ]}
              style={{ width: 160 }}
              data-testid="board-scope"
            />
            <Button icon={<BarChartOutlined />} onClick={() => navigate('/pipeline/insight')}>
              {t('pipeline.insight')}
            </Button>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-opportunity">
                {t('pipeline.new')}
              </Button>
            )}
          </Space>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Spin spinning={loading}>
        <Row gutter={[12, 12]} wrap={false} style={{ overflowX: 'auto' }} data-testid="pipeline-board">
          {STAGES.map((stage) => (
            <Col key={stage} flex="1 0 220px">
              <Card
                size="small"
                title={
                  <Space>
                    <Badge count={columns[stage].length} showZero color="#1677ff" />
                    {t(stageKey(stage))}
                  </Space>
                }
                styles={{ body: { minHeight: 320, background: dropTarget === stage ? '#e6f4ff' : '#fafafa', padding: 8 } }}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDropTarget(stage);
                }}
                onDragLeave={() => setDropTarget(null)}
                onDrop={(e) => onDrop(stage, e)}
                data-testid={`stage-column-${stage}`}
              >
                {columns[stage].length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.empty')} />
                ) : (
                  columns[stage].map((o) => <OpportunityCard key={o.id} o={o} canWrite={canWrite} onAdvance={(x) => void advance(x)} />)
                )}
              </Card>
            </Col>
          ))}
        </Row>
      </Spin>
      <GateRefusal
        opportunity={refused?.o ?? null}
        items={refused?.items ?? []}
        onClose={() => setRefused(null)}
        onDone={() => {
          setRefused(null);
          void load();
        }}
      />
      <NewOpportunityModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(o) => {
          setCreating(false);
          navigate(`/pipeline/opportunities/${o.id}`);
        }}
      />
    </Space>
  );
}
