// 礼品馈赠申请表 / 客户接待申请表 as a form: create a draft (or edit a draft or a returned
// request), then save, or save and submit into the approval chain. Money is typed in yuan and
// sent as integer fen; the total is computed as the server will (quantity × unit price, or
// the sum of the budget lines).
import { useEffect, useMemo, useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App as AntApp, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Spin, Statistic, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { describeError, formFieldErrors } from '../../api/errors';
import { fenToYuan, formatYuan, yuanToFen } from '../accounts/money';
import { getAccount, listAccounts } from '../accounts/service';
import { linesTotalFen } from './chain';
import { announceInboxChange } from './MenuIcon';
import { actOn, createRequest, getRequest, updateRequest } from './service';
import type { ApprovalRequest, GiftRequest, Kind, ReceptionRequest } from './types';

const GIFT_FIELDS = ['account_id', 'opportunity_id', 'recipient_name', 'recipient_title', 'gift_name', 'quantity', 'unit_price_fen', 'gift_date', 'occasion'];
const RECEPTION_FIELDS = ['account_id', 'opportunity_id', 'visitor_company', 'visitors', 'visitor_count', 'purpose', 'start_date', 'end_date', 'itinerary', 'lodging', 'meals', 'transport', 'hosts', 'budget_lines'];

// The local calendar day (a gift on the morning of the 30th in Beijing is the 30th, not UTC's 29th).
const today = () => dayjs().format('YYYY-MM-DD');
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v ?? null);

/** Account search for the form: the caller's visible accounts by name. */
function AccountSelect({ value, onChange, initialLabel }: { value?: number; onChange?: (v: number) => void; initialLabel?: string }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: number; label: string }[]>(value && initialLabel ? [{ value, label: initialLabel }] : []);
  const [loading, setLoading] = useState(false);
  const search = (q: string) => {
    setLoading(true);
    listAccounts({ q: q || undefined, limit: 20 })
      .then((page) => setOptions(page.items.map((a) => ({ value: a.id, label: a.name }))))
      .catch(() => undefined)
      .finally(() => setLoading(false));
  };
  useEffect(() => {
    if (value && initialLabel) setOptions((o) => (o.some((x) => x.value === value) ? o : [{ value, label: initialLabel }, ...o]));
  }, [value, initialLabel]);
  return (
    <Select
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={search}
      onFocus={() => options.length <= 1 && search('')}
      loading={loading}
      options={options}
      placeholder={t('approvals.accountSearch')}
      data-testid="approval-account"
    />
  );
}

function toFormValues(r: ApprovalRequest): Record<string, unknown> {
  if (r.kind === 'gift') {
    const g = r as GiftRequest;
    return { ...g, unit_price: fenToYuan(g.unit_price_fen) };
  }
  const v = r as ReceptionRequest;
  return { ...v, budget_lines: v.budget_lines.map((l) => ({ item: l.item, amount: fenToYuan(l.amount_fen) })) };
}

function toBody(kind: Kind, values: Record<string, unknown>): Record<string, unknown> {
  const fields = kind === 'gift' ? GIFT_FIELDS : RECEPTION_FIELDS;
  const body: Record<string, unknown> = {};
  for (const f of fields) if (f in values) body[f] = blankToNull(values[f]);
  if (kind === 'gift') {
    body.unit_price_fen = yuanToFen(String(values.unit_price ?? ''));
  } else {
    const lines = (values.budget_lines as { item?: string; amount?: string }[] | undefined) ?? [];
    body.budget_lines = lines.map((l) => ({ item: (l?.item ?? '').trim(), amount_fen: yuanToFen(l?.amount ?? '') ?? 0 }));
    const visitors = (values.visitors as { name?: string; title?: string }[] | undefined) ?? [];
    body.visitors = visitors.filter((p) => p?.name?.trim()).map((p) => ({ name: p.name!.trim(), title: p.title?.trim() || null }));
  }
  return body;
}

export default function RequestForm() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const kind: Kind = params.kind === 'reception' ? 'reception' : 'gift';
  const id = params.id ? Number(params.id) : null;
  const [form] = Form.useForm();
  const [existing, setExisting] = useState<ApprovalRequest | null>(null);
  const [accountLabel, setAccountLabel] = useState<string | undefined>();
  const [loading, setLoading] = useState(!!id);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;

  useEffect(() => {
    if (!id) {
      const account = search.get('account_id');
      // Opened from an account page: show its name in the picker.
      if (account) getAccount(account).then((a) => setAccountLabel(a.name)).catch(() => undefined);
      form.setFieldsValue(
        kind === 'gift'
          ? { quantity: 1, gift_date: today(), account_id: account ? Number(account) : undefined }
          : { start_date: today(), end_date: today(), visitors: [{}], budget_lines: [{ item: t('approvals.lineMeals') }], account_id: account ? Number(account) : undefined },
      );
      return;
    }
    setLoading(true);
    getRequest(kind, id)
      .then((r) => {
        setExisting(r);
        form.setFieldsValue(toFormValues(r));
      })
      .catch((e) => setError(describeError(e, t)))
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, id]);

  const totalFen = useMemo(() => {
    if (!values) return undefined;
    if (kind === 'gift') {
      const price = yuanToFen(String(values.unit_price ?? ''));
      const quantity = Number(values.quantity ?? 0);
      return price === undefined || !Number.isInteger(quantity) ? undefined : (price ?? 0) * quantity;
    }
    return linesTotalFen(values.budget_lines as { amount?: string }[]);
  }, [values, kind]);

  const save = async (submit: boolean) => {
    let raw: Record<string, unknown>;
    try {
      raw = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body = toBody(kind, raw);
      let saved = existing ? await updateRequest(kind, existing.id, existing.version, body) : await createRequest(kind, body);
      if (submit) saved = await actOn(kind, saved.id, 'submit', { version: saved.version });
      message.success(submit ? t('approvals.submitted') : t('common.saved'));
      announceInboxChange();
      navigate(`/approvals/${kind}/${saved.id}`);
    } catch (e) {
      const known = [...(kind === 'gift' ? GIFT_FIELDS : RECEPTION_FIELDS), 'unit_price'];
      const fields = formFieldErrors(e, known, t).map((f) => (f.name[0] === 'unit_price_fen' ? { ...f, name: ['unit_price'] } : f));
      if (fields.length) form.setFields(fields as never);
      setError(describeError(e, t, { 409: 'error.stale' }));
    } finally {
      setSaving(false);
    }
  };

  if (loading) return <Spin />;
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const yuanRule = { validator: (_: unknown, v: string) => (yuanToFen(v ?? '') === undefined ? Promise.reject(new Error(t('approvals.badAmount'))) : Promise.resolve()) };
  const title = t(kind === 'gift' ? 'approvals.giftForm' : 'approvals.receptionForm');

  return (
    <Card title={existing ? `${title} #${existing.id}` : title} data-testid="approval-form">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="approval-form-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="account_id" label={t('approvals.account')} rules={[{ required: true, message: t('common.required', { field: t('approvals.account') }) }]}>
              <AccountSelect initialLabel={existing?.account_name ?? accountLabel} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="opportunity_id" label={t('approvals.opportunity')}>
              <InputNumber min={1} precision={0} style={{ width: '100%' }} placeholder={t('approvals.opportunityHint')} />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'gift' ? (
          <>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="recipient_name" label={t('approvals.recipient')} rules={required(t('approvals.recipient'))}>
                  <Input maxLength={100} data-testid="gift-recipient" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="recipient_title" label={t('approvals.recipientTitle')}>
                  <Input maxLength={100} data-testid="gift-recipient-title" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="gift_name" label={t('approvals.gift')} rules={required(t('approvals.gift'))}>
                  <Input maxLength={200} data-testid="gift-name" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="quantity" label={t('approvals.quantity')} rules={[{ required: true, message: t('common.required', { field: t('approvals.quantity') }) }]}>
                  <InputNumber min={1} max={1000000} precision={0} style={{ width: '100%' }} data-testid="gift-quantity" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="unit_price" label={t('approvals.unitPrice')} rules={[...required(t('approvals.unitPrice')), yuanRule]}>
                  <Input prefix="¥" inputMode="decimal" data-testid="gift-unit-price" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="gift_date" label={t('approvals.giftDate')} rules={required(t('approvals.giftDate'))}>
                  <Input type="date" data-testid="gift-date" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="occasion" label={t('approvals.occasion')} rules={required(t('approvals.occasion'))}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="gift-occasion" />
            </Form.Item>
          </>
        ) : (
          <>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="visitor_company" label={t('approvals.visitorCompany')}>
                  <Input maxLength={200} data-testid="reception-company" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="visitor_count" label={t('approvals.visitorCount')}>
                  <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text strong>{t('approvals.visitors')}</Typography.Text>
            <Form.List name="visitors">
              {(fields, { add, remove }) => (
                <div style={{ marginTop: 8 }}>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'name']} rules={required(t('approvals.visitorName'))}>
                        <Input placeholder={t('approvals.visitorName')} maxLength={100} data-testid="visitor-name" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'title']}>
                        <Input placeholder={t('approvals.recipientTitle')} maxLength={100} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Form.Item>
                    <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />}>
                      {t('approvals.addVisitor')}
                    </Button>
                  </Form.Item>
                </div>
              )}
            </Form.List>
            <Row gutter={16}>
              <Col xs={12} md={6}>
                <Form.Item name="start_date" label={t('approvals.startDate')} rules={required(t('approvals.startDate'))}>
                  <Input type="date" data-testid="reception-start" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="end_date" label={t('approvals.endDate')} rules={required(t('approvals.endDate'))}>
                  <Input type="date" data-testid="reception-end" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="hosts" label={t('approvals.hosts')}>
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="purpose" label={t('approvals.purpose')} rules={required(t('approvals.purpose'))}>
              <Input.TextArea rows={2} maxLength={2000} data-testid="reception-purpose" />
            </Form.Item>
            <Form.Item name="itinerary" label={t('approvals.itinerary')}>
              <Input.TextArea rows={2} maxLength={4000} />
            </Form.Item>
            <Row gutter={16}>
              {(['lodging', 'meals', 'transport'] as const).map((f) => (
                <Col xs={24} md={8} key={f}>
                  <Form.Item name={f} label={t(`approvals.${f}`)}>
                    <Input.TextArea rows={2} maxLength={2000} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <Typography.Text strong>{t('approvals.budgetLines')}</Typography.Text>
            <Form.List name="budget_lines">
              {(fields, { add, remove }) => (
                <div style={{ marginTop: 8 }}>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'item']} rules={required(t('approvals.lineItem'))}>
                        <Input placeholder={t('approvals.lineItem')} maxLength={200} data-testid="line-item" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'amount']} rules={[...required(t('approvals.lineAmount')), yuanRule]}>
                        <Input prefix="¥" placeholder={t('approvals.lineAmount')} inputMode="decimal" data-testid="line-amount" />
                      </Form.Item>
                      {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(field.name)} /> : null}
                    </Space>
                  ))}
                  <Form.Item>
                    <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} data-testid="add-line">
                      {t('approvals.addLine')}
                    </Button>
                  </Form.Item>
                </div>
              )}
            </Form.List>
          </>
        )}
        <Statistic title={t('approvals.total')} prefix="¥" value={totalFen === undefined ? '—' : formatYuan(totalFen)} data-testid="approval-total" />
        <Space style={{ marginTop: 24 }} wrap>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          <Button loading={saving} onClick={() => void save(false)} data-testid="approval-save">
            {t('approvals.saveDraft')}
          </Button>
          <Button type="primary" loading={saving} onClick={() => void save(true)} data-testid="approval-save-submit">
            {t('approvals.saveAndSubmit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
