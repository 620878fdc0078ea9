// 开发项目详情: the five stages as Steps; one tab per stage with its guidance (工作重点), its gate
// checklist and the evidence editors (stage 1 facts and go/no-go, samples with sign-off, value
// assessment and plan, touchpoints with decision makers, closing records and won/lost), and the
// stage history with overrides.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useParams, Link } from 'react-router-dom';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Col, Descriptions, Form, Input, InputNumber, List, Modal, Radio, Row, Select, Space,
  Spin, Steps, Table, Tabs, Tag, Typography,
} from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import { api } from '../../api/client';
import { describeError } from '../../api/errors';
import type { Page } from '../../api/types';
import { formatInstant } from '../../utils/format';
import { fenToYuan, yuanToFen } from '../accounts/money';
import { GateRefusal, stageKey } from './index';
import { PlanStepDialog, RowActions, SampleDialog, removePlanStep, removeSample } from './ChildDialogs';
import { unmetItems, usefulDetail, type UnmetItem } from './pipeline';
import {
  advanceOpportunity, closeOpportunity, createClosingRecord, createPlanStep, createSample, createTouchpoint, getGate, getHistory,
  getLostReasons, getOpportunity, goNoGo, listClosingRecords, listPlanSteps, listSamples, listTouchpoints, signOffSample,
  updateOpportunity, updatePlanStep,
} from './service';
import {
  CLOSING_KINDS, STAGES, type ClosingRecord, type GateCheck, type LostReason, type Opportunity, type OpportunityChanges,
  type OpportunitySample, type PlanStep, type StageHistoryEntry, type Touchpoint,
} from './types';

interface ContactLite {
  id: number;
  name: string;
  buying_role?: string | null;
  relationship_level?: number | null;
}

function Checklist({ gate, stage }: { gate: GateCheck | null; stage: number }) {
  const { t, locale } = useI18n();
  const items = gate?.stages?.find((s) => s.stage === stage)?.items ?? [];
  return (
    <div data-testid={`checklist-${stage}`}>
    <List
      size="small"
      header={<b>{t('pipeline.checklist')}</b>}
      bordered
      dataSource={items}
      renderItem={(item) => (
        <List.Item data-testid={`check-${item.code}`} data-met={item.met ? 'yes' : 'no'}>
          <Space>
            {item.met ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" />}
            <span>{locale === 'en' ? item.label_en : item.label_zh}</span>
            {!item.met && usefulDetail(item, locale) && <Typography.Text type="secondary">({usefulDetail(item, locale)})</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
    </div>
  );
}

/** Text fields of the opportunity saved together (with its version). */
function FieldsForm({
  o,
  fields,
  onSaved,
  disabled,
  extra,
}: {
  o: Opportunity;
  fields: { name: keyof OpportunityChanges; label: MessageKey; kind?: 'text' | 'urgency' | 'percent' | 'yuan' | 'tags' }[];
  onSaved: (o: Opportunity) => void;
  disabled: boolean;
  extra?: ReactNode;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    const values: Record<string, unknown> = {};
    for (const f of fields) {
      const v = (o as Record<string, unknown>)[f.name];
      values[f.name] = f.kind === 'yuan' ? fenToYuan(v as number) : v;
    }
    form.setFieldsValue(values);
    // Only a new version of the opportunity resets what the user is typing; a refresh of the
    // page's other data (samples, contacts…) must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [o.id, o.version, form]);
  const save = async () => {
    const values = form.getFieldsValue() as Record<string, unknown>;
    const changes: Record<string, unknown> = {};
    for (const f of fields) {
      let v = values[f.name];
      if (f.kind === 'yuan') {
        const fen = yuanToFen(String(v ?? ''));
        if (fen === undefined) {
          message.error(t('pipeline.badAmount'));
          return;
        }
        v = fen;
      }
      if (v === '' || v === undefined) v = null;
      changes[f.name] = v;
    }
    setSaving(true);
    try {
      onSaved(await updateOpportunity(o.id, o.version, changes as OpportunityChanges));
      message.success(t('common.saved'));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form form={form} layout="vertical" disabled={disabled}>
      {fields.map((f) => (
        <Form.Item key={f.name} name={f.name} label={t(f.label)}>
          {f.kind === 'urgency' ? (
            <Radio.Group
              options={['high', 'medium', 'low'].map((u) => ({ value: u, label: t(`pipeline.urgency.${u}` as MessageKey) }))}
            />
          ) : f.kind === 'percent' ? (
            <InputNumber min={0} max={100} addonAfter="%" data-testid={`field-${f.name}`} />
          ) : f.kind === 'yuan' ? (
            <Input addonAfter="元" data-testid={`field-${f.name}`} />
          ) : f.kind === 'tags' ? (
            <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid={`field-${f.name}`} />
          ) : (
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid={`field-${f.name}`} />
          )}
        </Form.Item>
      ))}
      <Space>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="save-fields">
          {t('common.save')}
        </Button>
        {extra}
      </Space>
    </Form>
  );
}

/** A small "add" form in a modal: fields as [name, label, kind]. */
function AddModal({
  open,
  title,
  fields,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  fields: { name: string; label: string; kind: 'text' | 'date' | 'number' | 'select'; options?: { value: string | number; label: string }[] }[];
  onClose: () => void;
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);
  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await onSubmit(values);
      onClose();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'add-submit' } as never}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} rules={[{ required: true, message: t('common.required', { field: f.label }) }]}>
            {f.kind === 'date' ? (
              <Input type="date" data-testid={`add-${f.name}`} />
            ) : f.kind === 'number' ? (
              <InputNumber min={1} style={{ width: '100%' }} data-testid={`add-${f.name}`} />
            ) : f.kind === 'select' ? (
              <Select options={f.options} data-testid={`add-${f.name}`} />
            ) : (
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid={`add-${f.name}`} />
            )}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

/** 成交 / 输单: a fresh form each time it opens. */
function CloseModal({
  kind,
  reasons,
  onCancel,
  onSubmit,
}: {
  kind: 'won' | 'lost';
  reasons: LostReason[];
  onCancel: () => void;
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const [closeForm] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await closeForm.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await onSubmit(values);
    } finally {
      setSaving(false);
    }
  };
  const closing = kind;
  return (
    <Modal
      open
      title={t(closing === 'won' ? 'pipeline.closeWon' : 'pipeline.closeLost')}
      onCancel={onCancel}
      onOk={() => void submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'close-submit' } as never}
    >
      <Form form={closeForm} layout="vertical">
        {closing === 'won' ? (
          <>
            <Form.Item name="won_value" label={t('pipeline.wonValue')} rules={[{ required: true, message: t('common.required', { field: t('pipeline.wonValue') }) }]}>
              <Input addonAfter="元" data-testid="won-value" />
            </Form.Item>
            <Form.Item name="won_date" label={t('pipeline.wonDate')} rules={[{ required: true, message: t('common.required', { field: t('pipeline.wonDate') }) }]}>
              <Input type="date" data-testid="won-date" />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="lost_reason_code" label={t('pipeline.lostReason')} rules={[{ required: true, message: t('common.required', { field: t('pipeline.lostReason') }) }]}>
            <Select options={reasons.map((r) => ({ value: r.code, label: locale === 'en' ? r.label_en : r.label_zh }))} data-testid="lost-reason" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('pipeline.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function OpportunityDetail() {
  const { id } = useParams();
  const { t, locale } = useI18n();
  const { can, user } = useAuth();
  const { message, modal } = AntApp.useApp();
  const [o, setO] = useState<Opportunity | null>(null);
  const [gate, setGate] = useState<GateCheck | null>(null);
  const [history, setHistory] = useState<StageHistoryEntry[]>([]);
  const [samples, setSamples] = useState<OpportunitySample[]>([]);
  const [steps, setSteps] = useState<PlanStep[]>([]);
  const [touches, setTouches] = useState<Touchpoint[]>([]);
  const [records, setRecords] = useState<ClosingRecord[]>([]);
  const [contacts, setContacts] = useState<ContactLite[]>([]);
  const [reasons, setReasons] = useState<LostReason[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState<null | 'sample' | 'step' | 'touch' | 'record'>(null);
  const [refused, setRefused] = useState<UnmetItem[]>([]);
  const [tab, setTab] = useState<string>('');
  const [closing, setClosing] = useState<null | 'won' | 'lost'>(null);
  const [editingSample, setEditingSample] = useState<OpportunitySample | null>(null);
  const [editingStep, setEditingStep] = useState<PlanStep | null>(null);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      const current = await getOpportunity(id);
      const n = current.id;
      const [g, h, s, p, tp, r, cs] = await Promise.all([
        getGate(n), getHistory(n), listSamples(n), listPlanSteps(n), listTouchpoints(n), listClosingRecords(n),
        api.get<Page<ContactLite>>('/contacts', { query: { account_id: current.account_id, status: 'active', limit: 200 } }).catch(() => ({ items: [], total: 0 })),
      ]);
      setO(current);
      setGate(g);
      setHistory(h.items);
      setSamples(s.items);
      setSteps(p.items);
      setTouches(tp.items);
      setRecords(r.items);
      setContacts(cs.items);
      setTab((prev) => prev || String(current.stage));
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [id, t]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    getLostReasons().then((r) => setReasons(r.items.filter((x) => x.enabled !== false)), () => setReasons([]));
  }, []);

  if (error) return <Alert type="error" showIcon message={error} />;
  if (!o) return <Spin />;
  const open = o.status === 'open';
  const writable = open && can('opportunities.write');
  const saved = (next: Opportunity) => {
    setO(next);
    void load();
  };

  const advance = async () => {
    try {
      const moved = await advanceOpportunity(o.id);
      message.success(t('pipeline.advanced', { stage: t(stageKey(moved.stage)) }));
      setTab(String(moved.stage));
      saved(moved);
    } catch (e) {
      const items = unmetItems(e, gate, locale);
      if (items.length) setRefused(items);
      else message.error(describeError(e, t));
    }
  };

  const decide = (decision: 'go' | 'no_go') => {
    let reason = '';
    modal.confirm({
      title: t(decision === 'go' ? 'pipeline.go' : 'pipeline.noGo'),
      content: <Input.TextArea rows={3} placeholder={t('pipeline.decisionReason')} onChange={(e) => (reason = e.target.value)} data-testid="decision-reason" />,
      okButtonProps: { 'data-testid': 'decision-ok' } as never,
      onOk: async () => {
        try {
          saved(await goNoGo(o.id, decision, reason));
        } catch (e) {
          message.error(describeError(e, t));
          throw e;
        }
      },
    });
  };

  const submitClose = async (values: Record<string, unknown>) => {
    const body: Record<string, unknown> = { status: closing, note: values.note || undefined };
    if (closing === 'won') {
      const fen = yuanToFen(String(values.won_value ?? ''));
      if (fen === undefined || fen === null) {
        message.error(t('pipeline.badAmount'));
        return;
      }
      body.won_value_fen = fen;
      body.won_date = values.won_date;
    } else {
      body.lost_reason_code = values.lost_reason_code;
    }
    try {
      const next = await closeOpportunity(o.id, body);
      setClosing(null);
      saved(next);
    } catch (e) {
      const items = unmetItems(e, gate, locale);
      if (items.length) {
        setClosing(null);
        setRefused(items);
      } else message.error(describeError(e, t));
    }
  };

  const stageStatus = (stage: number): 'wait' | 'process' | 'finish' | 'error' => {
    if (o.status === 'won') return 'finish';
    if (stage < o.stage) return 'finish';
    if (stage > o.stage) return 'wait';
    return o.status === 'open' ? 'process' : 'error';
  };
  const gateMet = (stage: number) => gate?.stages?.find((s) => s.stage === stage)?.met;

  const guidance = (stage: number) => (
    <Alert type="info" showIcon message={t(`pipeline.guidance.${stage}` as MessageKey)} style={{ marginBottom: 12 }} />
  );

  const stageBody = (stage: number): ReactNode => {
    switch (stage) {
      case 1:
        return (
          <FieldsForm
            o={o}
            disabled={!writable}
            onSaved={saved}
            fields={[
              { name: 'customer_business_age', label: 'pipeline.field.customerBusinessAge' },
              { name: 'customer_scale', label: 'pipeline.field.customerScale' },
              { name: 'customer_status', label: 'pipeline.field.customerStatus' },
              { name: 'potential_need', label: 'pipeline.field.potentialNeed' },
              { name: 'need_urgency', label: 'pipeline.field.needUrgency', kind: 'urgency' },
              { name: 'supplier_structure', label: 'pipeline.field.supplierStructure' },
              { name: 'supplier_problems', label: 'pipeline.field.supplierProblems' },
            ]}
            extra={
              writable && o.stage === 1 ? (
                <>
                  <Button onClick={() => decide('go')} data-testid="decide-go">
                    {t('pipeline.go')}
                  </Button>
                  <Button danger onClick={() => decide('no_go')} data-testid="decide-no-go">
                    {t('pipeline.noGo')}
                  </Button>
                  {o.go_decision && <Tag color={o.go_decision === 'go' ? 'green' : 'red'}>{t(o.go_decision === 'go' ? 'pipeline.go' : 'pipeline.noGo')}: {o.go_reason}</Tag>}
                </>
              ) : o.go_decision ? (
                <Tag color={o.go_decision === 'go' ? 'green' : 'red'}>{t(o.go_decision === 'go' ? 'pipeline.go' : 'pipeline.noGo')}: {o.go_reason}</Tag>
              ) : null
            }
          />
        );
      case 2:
        return (
          <Space direction="vertical" style={{ width: '100%' }}>
            <FieldsForm o={o} disabled={!writable} onSaved={saved} fields={[{ name: 'requirements', label: 'pipeline.field.requirements' }]} />
            <Typography.Text type="secondary">
              {t('pipeline.insiderHint')} <Link to={`/accounts/${o.account_id}`}>{o.account_name}</Link>
            </Typography.Text>
            <Table<OpportunitySample>
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={samples}
              title={() => (
                <Space>
                  <b>{t('pipeline.samples')}</b>
                  {writable && (
                    <Button size="small" onClick={() => setAdding('sample')} data-testid="add-sample">
                      {t('common.create')}
                    </Button>
                  )}
                </Space>
              )}
              columns={[
                { title: t('pipeline.sample.specification'), key: 'specification', render: (_, s) => <div className="kam-cell-text">{s.specification}</div> },
                { title: t('pipeline.sample.quantity'), dataIndex: 'quantity' },
                {
                  title: t('pipeline.sample.requested'),
                  key: 'requested',
                  render: (_, s) => (
                    <>
                      <div>{s.requested_on}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {s.requested_by_name}
                      </Typography.Text>
                    </>
                  ),
                },
                { title: t('pipeline.sample.deliveredOn'), key: 'delivered_on', render: (_, s) => <span data-testid="sample-delivered">{s.delivered_on ?? '-'}</span> },
                {
                  title: t('pipeline.sample.result'),
                  key: 'result',
                  render: (_, s) =>
                    s.result === 'pending' ? (
                      writable && s.requested_by !== user?.id ? (
                        <Space>
                          <Button size="small" type="primary" onClick={() => void signOffSample(s.id!, 'passed').then(() => load(), (e) => message.error(describeError(e, t)))} data-testid="sign-off-passed">
                            {t('pipeline.sample.pass')}
                          </Button>
                          <Button size="small" danger onClick={() => void signOffSample(s.id!, 'failed').then(() => load(), (e) => message.error(describeError(e, t)))}>
                            {t('pipeline.sample.fail')}
                          </Button>
                        </Space>
                      ) : (
                        <Tag>{t('pipeline.sample.pending')}</Tag>
                      )
                    ) : (
                      <Tag color={s.result === 'passed' ? 'green' : 'red'}>
                        {t(`pipeline.sample.${s.result}` as MessageKey)} · {s.signed_off_by_name}
                      </Tag>
                    ),
                },
                ...(writable
                  ? [
                      {
                        title: t('common.actions'),
                        key: 'actions',
                        width: 80,
                        fixed: 'right' as const,
                        render: (_: unknown, s: OpportunitySample) => (
                          <RowActions kind="sample" name={s.specification ?? ''} onEdit={() => setEditingSample(s)} onDelete={() => removeSample(s)} onDeleted={() => void load()} />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Space>
        );
      case 3:
        return (
          <Space direction="vertical" style={{ width: '100%' }}>
            <FieldsForm
              o={o}
              disabled={!writable}
              onSaved={saved}
              fields={[
                { name: 'win_probability', label: 'pipeline.field.winProbability', kind: 'percent' },
                { name: 'expected_cost_fen', label: 'pipeline.field.expectedCost', kind: 'yuan' },
                { name: 'obstacles', label: 'pipeline.field.obstacles', kind: 'tags' },
              ]}
            />
            <Table<PlanStep>
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={steps}
              title={() => (
                <Space>
                  <b>{t('pipeline.plan')}</b>
                  {writable && (
                    <Button size="small" onClick={() => setAdding('step')} data-testid="add-step">
                      {t('common.create')}
                    </Button>
                  )}
                </Space>
              )}
              columns={[
                {
                  title: t('pipeline.step.done'),
                  key: 'done',
                  width: 60,
                  render: (_, s) => (
                    <Checkbox
                      checked={!!s.done}
                      disabled={!writable}
                      onChange={(e) => void updatePlanStep(s.id!, s.version!, { done: e.target.checked }).then(() => load(), (err) => message.error(describeError(err, t)))}
                    />
                  ),
                },
                { title: t('pipeline.step.title'), key: 'title', render: (_, s) => <div className="kam-cell-text">{s.title}</div> },
                { title: t('pipeline.step.owner'), dataIndex: 'owner_name', width: 120 },
                { title: t('pipeline.step.due'), dataIndex: 'due_date', width: 120 },
                ...(writable
                  ? [
                      {
                        title: t('common.actions'),
                        key: 'actions',
                        width: 80,
                        fixed: 'right' as const,
                        render: (_: unknown, s: PlanStep) => (
                          <RowActions kind="step" name={s.title ?? ''} onEdit={() => setEditingStep(s)} onDelete={() => removePlanStep(s)} onDeleted={() => void load()} />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Space>
        );
      case 4: {
        const dms = contacts.filter((c) => c.buying_role === 'decision_maker');
        return (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('pipeline.decisionMakersHint')} <Link to={`/accounts/${o.account_id}`}>{o.account_name}</Link>
            </Typography.Text>
            <List
              size="small"
              bordered
              header={<b>{t('pipeline.decisionMakers')}</b>}
              dataSource={dms}
              renderItem={(c) => (
                <List.Item>
                  {c.name} · {t('pipeline.level', { n: c.relationship_level ?? '-' })} · {t('pipeline.touchCount', { n: touches.filter((x) => x.contact_id === c.id).length })}
                </List.Item>
              )}
            />
            <Table<Touchpoint>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={touches}
              title={() => (
                <Space>
                  <b>{t('pipeline.touchpoints')}</b>
                  {writable && (
                    <Button size="small" onClick={() => setAdding('touch')} data-testid="add-touch">
                      {t('common.create')}
                    </Button>
                  )}
                </Space>
              )}
              columns={[
                { title: t('pipeline.touch.contact'), dataIndex: 'contact_name', width: 120 },
                { title: t('pipeline.touch.date'), dataIndex: 'touched_on', width: 120 },
                { title: t('pipeline.touch.summary'), dataIndex: 'summary' },
              ]}
            />
          </Space>
        );
      }
      default:
        return (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Table<ClosingRecord>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={records}
              title={() => (
                <Space>
                  <b>{t('pipeline.closingRecords')}</b>
                  {writable && (
                    <Button size="small" onClick={() => setAdding('record')} data-testid="add-record">
                      {t('common.create')}
                    </Button>
                  )}
                </Space>
              )}
              columns={[
                { title: t('pipeline.record.kind'), key: 'kind', width: 140, render: (_, r) => t(`pipeline.kind.${r.kind}` as MessageKey) },
                { title: t('pipeline.record.date'), dataIndex: 'held_on', width: 120 },
                { title: t('pipeline.record.summary'), dataIndex: 'summary' },
              ]}
            />
          </Space>
        );
    }
  };

  const addConfig = {
    sample: {
      title: t('pipeline.samples'),
      fields: [
        { name: 'specification', label: t('pipeline.sample.specification'), kind: 'text' as const },
        { name: 'quantity', label: t('pipeline.sample.quantity'), kind: 'number' as const },
        { name: 'requested_on', label: t('pipeline.sample.requestedOn'), kind: 'date' as const },
      ],
      submit: (v: Record<string, unknown>) => createSample(o.id, v),
    },
    step: {
      title: t('pipeline.plan'),
      fields: [
        { name: 'title', label: t('pipeline.step.title'), kind: 'text' as const },
        { name: 'due_date', label: t('pipeline.step.due'), kind: 'date' as const },
      ],
      submit: (v: Record<string, unknown>) => createPlanStep(o.id, v),
    },
    touch: {
      title: t('pipeline.touchpoints'),
      fields: [
        { name: 'contact_id', label: t('pipeline.touch.contact'), kind: 'select' as const, options: contacts.map((c) => ({ value: c.id, label: c.name })) },
        { name: 'touched_on', label: t('pipeline.touch.date'), kind: 'date' as const },
        { name: 'summary', label: t('pipeline.touch.summary'), kind: 'text' as const },
      ],
      submit: (v: Record<string, unknown>) => createTouchpoint(o.id, v),
    },
    record: {
      title: t('pipeline.closingRecords'),
      fields: [
        { name: 'kind', label: t('pipeline.record.kind'), kind: 'select' as const, options: CLOSING_KINDS.map((k) => ({ value: k, label: t(`pipeline.kind.${k}` as MessageKey) })) },
        { name: 'held_on', label: t('pipeline.record.date'), kind: 'date' as const },
        { name: 'summary', label: t('pipeline.record.summary'), kind: 'text' as const },
      ],
      submit: (v: Record<string, unknown>) => createClosingRecord(o.id, v),
    },
  };
  const current = adding ? addConfig[adding] : null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Row gutter={16} align="middle">
          <Col flex="auto">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="opportunity-name">
              {o.name}{' '}
              <Tag color={{ open: 'blue', won: 'green', lost: 'red', terminated: 'default' }[o.status]} data-testid="opportunity-status">
                {t(`pipeline.status.${o.status}` as MessageKey)}
              </Tag>
              {o.stalled && <Tag color="orange">{t('pipeline.stalled')}</Tag>}
            </Typography.Title>
          </Col>
          <Col>
            <Space wrap>
              {writable && o.stage < 5 && (
                <Button type="primary" onClick={() => void advance()} data-testid="detail-advance">
                  {t('pipeline.advance')}
                </Button>
              )}
              {writable && o.stage === 5 && (
                <Button type="primary" onClick={() => setClosing('won')} data-testid="close-won">
                  {t('pipeline.closeWon')}
                </Button>
              )}
              {writable && (
                <Button danger onClick={() => setClosing('lost')} data-testid="close-lost">
                  {t('pipeline.closeLost')}
                </Button>
              )}
            </Space>
          </Col>
        </Row>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('pipeline.field.account')}>
            <Link to={`/accounts/${o.account_id}`}>{o.account_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('pipeline.field.expectedValue')}>¥{fenToYuan(o.expected_value_fen)}</Descriptions.Item>
          <Descriptions.Item label={t('pipeline.field.weighted')}>¥{fenToYuan(o.weighted_value_fen)}</Descriptions.Item>
          <Descriptions.Item label={t('pipeline.field.owner')}>{o.owner_name}</Descriptions.Item>
          <Descriptions.Item label={t('pipeline.field.expectedCloseDate')}>{o.expected_close_date ?? '-'}</Descriptions.Item>
          <Descriptions.Item label={t('pipeline.field.productLines')}>{(o.product_lines ?? []).join('、') || '-'}</Descriptions.Item>
          {o.status === 'won' && <Descriptions.Item label={t('pipeline.wonValue')}>¥{fenToYuan(o.won_value_fen)} · {o.won_date}</Descriptions.Item>}
          {o.status === 'lost' && (
            <Descriptions.Item label={t('pipeline.lostReason')}>
              {reasons.find((r) => r.code === o.lost_reason_code)?.[locale === 'en' ? 'label_en' : 'label_zh'] ?? o.lost_reason_code}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Steps
          style={{ marginTop: 16 }}
          current={o.stage - 1}
          data-testid="stage-steps"
          items={STAGES.map((s) => ({ title: t(stageKey(s)), status: stageStatus(s) }))}
          responsive
        />
      </Card>
      <Card>
        <Tabs
          activeKey={tab || String(o.stage)}
          onChange={setTab}
          items={[
            ...STAGES.map((s) => ({
              key: String(s),
              label: (
                <span data-testid={`stage-tab-${s}`}>
                  {gateMet(s) ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#d9d9d9" />} {t(stageKey(s))}
                </span>
              ),
              children: (
                <Row gutter={[16, 16]}>
                  <Col xs={24} lg={15}>
                    {guidance(s)}
                    {stageBody(s)}
                  </Col>
                  <Col xs={24} lg={9}>
                    <Checklist gate={gate} stage={s} />
                  </Col>
                </Row>
              ),
            })),
            {
              key: 'history',
              label: <span data-testid="stage-tab-history">{t('pipeline.history')}</span>,
              children: (
                <div data-testid="history-table">
                <Table<StageHistoryEntry>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={history}
                  columns={[
                    { title: t('pipeline.history.stage'), key: 'stage', render: (_, h) => t(stageKey(h.stage ?? 1)) },
                    { title: t('pipeline.history.entered'), key: 'entered', render: (_, h) => `${formatInstant(h.entered_at)} · ${h.entered_by_name ?? ''}` },
                    { title: t('pipeline.history.exited'), key: 'exited', render: (_, h) => (h.exited_at ? `${formatInstant(h.exited_at)} · ${h.exited_by_name ?? ''}` : '-') },
                    {
                      title: t('pipeline.history.override'),
                      key: 'override',
                      render: (_, h) => (h.override ? <Tag color="volcano">{t('pipeline.override')}: {h.override_reason}</Tag> : null),
                    },
                  ]}
                />
                </div>
              ),
            },
          ]}
        />
      </Card>
      {current && (
        <AddModal
          open
          title={current.title}
          fields={current.fields}
          onClose={() => setAdding(null)}
          onSubmit={async (v) => {
            await current.submit(v);
            void load();
          }}
        />
      )}
      <GateRefusal
        opportunity={refused.length ? o : null}
        items={refused}
        onClose={() => setRefused([])}
        onDone={(next) => {
          setRefused([]);
          setTab(String(next.stage));
          saved(next);
        }}
      />
      <SampleDialog record={editingSample} onClose={() => setEditingSample(null)} onSaved={() => void load()} />
      <PlanStepDialog record={editingStep} onClose={() => setEditingStep(null)} onSaved={() => void load()} />
      {closing && (
        <CloseModal kind={closing} reasons={reasons} onCancel={() => setClosing(null)} onSubmit={(values) => submitClose(values)} />
      )}
    </Space>
  );
}
