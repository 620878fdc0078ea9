// 二级客户 tab: the account's secondary customers (direct / indirect retailers, mixed dealers)
// with their latest growth record; add / edit / delete, and per customer a drawer with the
// growth records (newest first) and a form to add one.
import { useCallback, useEffect, useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App as AntApp, Button, Col, DatePicker, Drawer, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { LineChartOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError, formFieldErrors } from '../../../api/errors';
import { formatDate } from '../../../utils/format';
import { useMediaQuery, PHONE_QUERY } from '../../../utils/useMediaQuery';
import { changesBody, createBody, formatFen, yuanToFen } from './forms';
import { useRecordForm } from './useRecordForm';
import {
  createGrowth,
  createSecondaryCustomer,
  deleteSecondaryCustomer,
  listGrowth,
  listSecondaryCustomers,
  updateSecondaryCustomer,
} from './service';
import type { TabProps } from './ContactsTab';
import { SECONDARY_KINDS, type GrowthInput, type GrowthRecord, type SecondaryCustomer, type SecondaryCustomerInput } from './types';

const FIELDS = ['name', 'kind', 'contact_name', 'phone', 'province', 'city', 'address', 'business_status', 'resources', 'notes'] as const;
const GROWTH_FIELDS = ['recorded_on', 'revenue_fen', 'outlets', 'note'];

/** The growth record body from the form: date as YYYY-MM-DD, yuan → fen. */
export function growthBody(values: { recorded_on?: Dayjs | null; revenue_yuan?: number | null; outlets?: number | null; note?: string | null }): GrowthInput {
  const out: GrowthInput = { recorded_on: values.recorded_on ? values.recorded_on.format('YYYY-MM-DD') : '' };
  const fen = yuanToFen(values.revenue_yuan);
  if (fen !== null) out.revenue_fen = fen;
  if (typeof values.outlets === 'number') out.outlets = values.outlets;
  const note = values.note?.trim();
  if (note) out.note = note;
  return out;
}

function SecondaryModal({
  open,
  accountId,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  accountId: number;
  customer: SecondaryCustomer | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { form, saving, error, submit } = useRecordForm<SecondaryCustomer>({
    open,
    record: customer,
    fields: FIELDS,
    initialValues: (c) => (c ? { ...c } : undefined),
    save: (values, c) =>
      c
        ? updateSecondaryCustomer(c.id, c.version, changesBody<SecondaryCustomerInput>(values, c, FIELDS))
        : createSecondaryCustomer(accountId, createBody<SecondaryCustomerInput>(values, FIELDS)),
    onSaved,
  });

  const text = (name: string, label: MessageKey, max = 200, testid?: string) => (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={t(label)}>
        <Input maxLength={max} data-testid={testid} />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open={open}
      title={customer ? t('secondary.edit') : t('secondary.new')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'secondary-save' } as never}
      width={640}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('secondary.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('secondary.name') }) }]}>
              <Input maxLength={200} data-testid="secondary-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('secondary.kind')} rules={[{ required: true, message: t('common.required', { field: t('secondary.kind') }) }]}>
              <Select data-testid="secondary-kind" options={SECONDARY_KINDS.map((k) => ({ value: k, label: t(`secondary.kind.${k}` as MessageKey) }))} />
            </Form.Item>
          </Col>
          {text('contact_name', 'secondary.contactName', 100, 'secondary-contact')}
          {text('phone', 'secondary.phone', 50)}
          {text('province', 'secondary.province', 50)}
          {text('city', 'secondary.city', 50)}
          <Col xs={24}>
            <Form.Item name="address" label={t('secondary.address')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          {text('business_status', 'secondary.businessStatus', 500)}
          {text('resources', 'secondary.resources', 1000)}
          <Col xs={24}>
            <Form.Item name="notes" label={t('secondary.notes')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function GrowthDrawer({ customer, canWrite, onClose, onAdded }: { customer: SecondaryCustomer | null; canWrite: boolean; onClose: () => void; onAdded: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const phone = useMediaQuery(PHONE_QUERY);
  const [form] = Form.useForm();
  const [records, setRecords] = useState<GrowthRecord[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    if (!customer) return;
    setLoading(true);
    try {
      setRecords((await listGrowth(customer.id)).items);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [customer?.id]);

  useEffect(() => {
    if (!customer) return;
    form.resetFields();
    form.setFieldsValue({ recorded_on: dayjs() });
    void load();
  }, [customer, form, load]);

  const add = async () => {
    if (!customer) return;
    let values: Parameters<typeof growthBody>[0];
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await createGrowth(customer.id, growthBody(values));
      message.success(t('common.created'));
      form.resetFields(['revenue_yuan', 'outlets', 'note']);
      await load();
      onAdded();
    } catch (e) {
      const fields = formFieldErrors(e, GROWTH_FIELDS, t).map((f) => (f.name[0] === 'revenue_fen' ? { ...f, name: ['revenue_yuan'] } : f));
      if (fields.length) form.setFields(fields as never);
      message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={customer !== null}
      onClose={onClose}
      title={customer ? t('secondary.growthOf', { name: customer.name }) : ''}
      width={phone ? '100%' : 640}
      destroyOnClose
      data-testid="growth-drawer"
    >
      {canWrite ? (
        <Form form={form} layout="vertical" autoComplete="off" style={{ marginBottom: 16 }} data-testid="growth-form">
          <Row gutter={12}>
            <Col xs={24} sm={8}>
              <Form.Item name="recorded_on" label={t('secondary.recordedOn')} rules={[{ required: true, message: t('common.required', { field: t('secondary.recordedOn') }) }]}>
                <DatePicker style={{ width: '100%' }} data-testid="growth-date" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name="revenue_yuan" label={t('secondary.revenueYuan')}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="growth-revenue" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name="outlets" label={t('secondary.outlets')}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="growth-outlets" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="note" label={t('secondary.growthNote')}>
                <Input maxLength={1000} data-testid="growth-note" />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" icon={<PlusOutlined />} loading={saving} onClick={() => void add()} data-testid="growth-add">
            {t('secondary.addGrowth')}
          </Button>
        </Form>
      ) : null}
      <Table<GrowthRecord>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={records}
        pagination={false}
        scroll={{ x: 520 }}
        data-testid="growth-table"
        locale={{ emptyText: <Empty description={t('secondary.noGrowth')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        columns={[
          { title: t('secondary.recordedOn'), dataIndex: 'recorded_on', width: 110, render: (v: string) => formatDate(v) },
          { title: t('secondary.revenueYuan'), dataIndex: 'revenue_fen', width: 130, align: 'right', render: (v: number | null) => formatFen(v) },
          { title: t('secondary.outlets'), dataIndex: 'outlets', width: 80, align: 'right' },
          { title: t('secondary.growthNote'), dataIndex: 'note' },
        ]}
      />
    </Drawer>
  );
}

export default function SecondaryCustomersTab({ accountId, canWrite }: TabProps) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<SecondaryCustomer[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<SecondaryCustomer | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const [growthOf, setGrowthOf] = useState<SecondaryCustomer | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await listSecondaryCustomers(accountId)).items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [accountId]);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (row: SecondaryCustomer) => {
    try {
      await deleteSecondaryCustomer(row.id);
      message.success(t('common.deleted'));
      await load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const columns: TableProps<SecondaryCustomer>['columns'] = [
    { title: t('secondary.name'), dataIndex: 'name', fixed: 'left', width: 140 },
    { title: t('secondary.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag>{t(`secondary.kind.${k}` as MessageKey)}</Tag> },
    { title: t('secondary.contactName'), dataIndex: 'contact_name', width: 90 },
    { title: t('secondary.phone'), dataIndex: 'phone', width: 120 },
    { title: t('secondary.region'), key: 'region', width: 120, render: (_: unknown, r) => [r.province, r.city].filter(Boolean).join(' ') },
    {
      title: t('secondary.latestGrowth'),
      key: 'latest',
      width: 220,
      render: (_: unknown, r) =>
        r.latest_growth ? (
          <Space direction="vertical" size={0} data-testid={`secondary-latest-${r.id}`}>
            <Typography.Text type="secondary">{formatDate(r.latest_growth.recorded_on)}</Typography.Text>
            <span>
              {r.latest_growth.revenue_fen !== null ? `¥${formatFen(r.latest_growth.revenue_fen)}` : ''}
              {r.latest_growth.outlets !== null ? ` · ${t('secondary.outletsN', { n: r.latest_growth.outlets })}` : ''}
            </span>
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: canWrite ? 210 : 100,
      render: (_: unknown, row) => (
        <Space size={0} wrap>
          <Button type="link" size="small" icon={<LineChartOutlined />} onClick={() => setGrowthOf(row)} data-testid={`secondary-growth-${row.id}`}>
            {t('secondary.growth')}
          </Button>
          {canWrite ? (
            <>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  setEditing(row);
                  setModalOpen(true);
                }}
              >
                {t('common.edit')}
              </Button>
              <Popconfirm
                title={t('secondary.deleteConfirm', { name: row.name })}
                onConfirm={() => remove(row)}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
              >
                <Button type="link" size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            </>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="secondary-tab">
      {error ? <Alert type="error" showIcon message={describeError(error, t)} /> : null}
      {canWrite ? (
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setModalOpen(true);
            }}
            data-testid="secondary-new"
          >
            {t('secondary.new')}
          </Button>
        </div>
      ) : null}
      <Table<SecondaryCustomer>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="secondary-table"
        locale={{ emptyText: <Empty description={t('secondary.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      />
      <SecondaryModal
        open={modalOpen}
        accountId={accountId}
        customer={editing}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          void load();
        }}
      />
      <GrowthDrawer customer={growthOf} canWrite={canWrite} onClose={() => setGrowthOf(null)} onAdded={() => void load()} />
    </Space>
  );
}
