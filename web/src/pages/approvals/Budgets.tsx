// 预算与审批流: budgets per account, period (quarter or year) and kind with what approved
// requests have committed, for finance, directors and admins (budgets.admin); and the two
// approval chains, which an admin (approvals.admin) edits as data.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError, formFieldErrors } from '../../api/errors';
import { fenToYuan, formatYuan, yuanToFen } from '../accounts/money';
import { listAccounts } from '../accounts/service';
import { isPeriod, periodChoices } from './chain';
import { kindKey } from './index';
import { createBudget, deleteBudget, listBudgets, listChains, putChain, updateBudget } from './service';
import type { ApprovalChain, ApprovalChainStep, Budget, Kind } from './types';

function BudgetModal({ open, budget, onClose, onSaved }: { open: boolean; budget: Budget | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [accounts, setAccounts] = useState<{ value: number; label: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (budget) form.setFieldsValue({ ...budget, amount: fenToYuan(budget.amount_fen) });
    else form.setFieldsValue({ kind: 'gift', period: periodChoices(new Date())[0] });
  }, [open, budget, form]);
  const search = (q: string) =>
    listAccounts({ q: q || undefined, limit: 20 })
      .then((p) => setAccounts(p.items.map((a) => ({ value: a.id, label: a.name }))))
      .catch(() => undefined);
  const save = async () => {
    let v: Record<string, string | number>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const amount_fen = yuanToFen(String(v.amount)) ?? 0;
      if (budget) await updateBudget(budget.id, budget.version, { amount_fen, notes: (v.notes as string) || null });
      else await createBudget({ account_id: Number(v.account_id), kind: v.kind as Kind, period: String(v.period).trim(), amount_fen, notes: (v.notes as string) || null });
      onSaved();
    } catch (e) {
      const fields = formFieldErrors(e, ['account_id', 'kind', 'period', 'notes'], t);
      if (fields.length) form.setFields(fields as never);
      setError(describeError(e, t, { 409: 'approvals.budgetExists' }));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={budget ? t('approvals.editBudget') : t('approvals.newBudget')} onCancel={onClose} onOk={() => void save()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} forceRender okButtonProps={{ 'data-testid': 'budget-save' } as never}>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical">
        {budget ? (
          <Typography.Paragraph>
            {budget.account_name} · {budget.period} · {t(kindKey(budget.kind))}
          </Typography.Paragraph>
        ) : (
          <>
            <Form.Item name="account_id" label={t('approvals.account')} rules={[{ required: true, message: t('common.required', { field: t('approvals.account') }) }]}>
              <Select showSearch filterOption={false} onSearch={search} onFocus={() => void search('')} options={accounts} data-testid="budget-account" />
            </Form.Item>
            <Form.Item name="kind" label={t('approvals.kind')}>
              <Select options={(['gift', 'reception'] as const).map((k) => ({ value: k, label: t(kindKey(k)) }))} />
            </Form.Item>
            <Form.Item name="period" label={t('approvals.period')} rules={[{ validator: (_, v: string) => (isPeriod(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('approvals.badPeriod')))) }]}>
              <Select options={periodChoices(new Date()).map((p) => ({ value: p, label: p }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="amount" label={t('approvals.amount')} rules={[{ validator: (_, v: string) => (yuanToFen(v ?? '') == null ? Promise.reject(new Error(t('approvals.badAmount'))) : Promise.resolve()) }]}>
          <Input prefix="¥" inputMode="decimal" data-testid="budget-amount" />
        </Form.Item>
        <Form.Item name="notes" label={t('approvals.notes')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ChainEditor({ chain, onSaved }: { chain: ApprovalChain; onSaved: (c: ApprovalChain) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [steps, setSteps] = useState<ApprovalChainStep[]>(chain.steps);
  const [saving, setSaving] = useState(false);
  useEffect(() => setSteps(chain.steps), [chain]);
  const set = (i: number, change: Partial<ApprovalChainStep>) => setSteps((s) => s.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const save = async () => {
    setSaving(true);
    try {
      onSaved(await putChain(chain.kind, chain.version, steps.map(({ name, resolver, min_amount_fen, when_over_budget }) => ({ name, resolver, min_amount_fen, when_over_budget }))));
      message.success(t('common.saved'));
    } catch (e) {
      message.error(describeError(e, t, { 409: 'error.stale' }));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {steps.map((s, i) => (
        <Space key={i} wrap>
          <Tag>{i + 1}</Tag>
          <Input value={s.name} onChange={(e) => set(i, { name: e.target.value })} style={{ width: 160 }} />
          <Input value={s.resolver} onChange={(e) => set(i, { resolver: e.target.value })} style={{ width: 180 }} />
          <InputNumber
            value={s.min_amount_fen == null ? null : Number(fenToYuan(s.min_amount_fen))}
            onChange={(v) => set(i, { min_amount_fen: v == null ? null : Math.round(Number(v) * 100) })}
            placeholder={t('approvals.always')}
            addonBefore={`${t('approvals.above')} ¥`}
            min={0}
            precision={0}
          />
          <Checkbox checked={!!s.when_over_budget} onChange={(e) => set(i, { when_over_budget: e.target.checked })}>
            {t('approvals.whenOverBudget')}
          </Checkbox>
          <Button size="small" onClick={() => setSteps((x) => x.filter((_, j) => j !== i))} disabled={steps.length === 1}>
            {t('common.delete')}
          </Button>
        </Space>
      ))}
      <Space>
        <Button icon={<PlusOutlined />} onClick={() => setSteps((x) => [...x, { name: '', resolver: 'role:finance', min_amount_fen: null, when_over_budget: false }])}>
          {t('approvals.addStep')}
        </Button>
        <Button type="primary" loading={saving} onClick={() => void save()}>
          {t('common.save')}
        </Button>
      </Space>
    </Space>
  );
}

export default function BudgetsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [data, setData] = useState<{ items: Budget[]; total: number }>({ items: [], total: 0 });
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<Budget | null>(null);
  const [open, setOpen] = useState(false);
  const [chains, setChains] = useState<ApprovalChain[]>([]);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await listBudgets({ limit: 20, offset: (page - 1) * 20 }));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    listChains()
      .then((c) => setChains(c.items))
      .catch(() => undefined);
  }, []);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('approvals.budgets')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(null); setOpen(true); }} data-testid="budget-new">
            {t('approvals.newBudget')}
          </Button>
        }
      >
        <Table<Budget>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data.items}
          data-testid="budgets-table"
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('approvals.account'), dataIndex: 'account_name' },
            { title: t('approvals.period'), dataIndex: 'period' },
            { title: t('approvals.kind'), dataIndex: 'kind', render: (k: string) => t(kindKey(k)) },
            { title: t('approvals.amount'), dataIndex: 'amount_fen', align: 'right', render: (v: number) => `¥${formatYuan(v)}` },
            { title: t('approvals.committed'), dataIndex: 'committed_fen', align: 'right', render: (v: number) => `¥${formatYuan(v)}` },
            { title: t('approvals.remaining'), dataIndex: 'remaining_fen', align: 'right', render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : undefined}>¥{formatYuan(v)}</Typography.Text> },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, b) => (
                <Space>
                  <Button size="small" onClick={() => { setEditing(b); setOpen(true); }}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('common.delete')} onConfirm={() => void deleteBudget(b.id).then(load).catch((e) => message.error(describeError(e, t)))}>
                    <Button size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {chains.map((c) => (
        <Card key={c.kind} title={`${t('approvals.chainOf')} · ${t(kindKey(c.kind))}`} size="small">
          {can('approvals.admin') ? (
            <ChainEditor chain={c} onSaved={(n) => setChains((all) => all.map((x) => (x.kind === n.kind ? n : x)))} />
          ) : (
            <Typography.Text>{c.steps.map((s) => s.name).join(' → ')}</Typography.Text>
          )}
        </Card>
      ))}
      <BudgetModal open={open} budget={editing} onClose={() => setOpen(false)} onSaved={() => { setOpen(false); void load(); }} />
    </Space>
  );
}
