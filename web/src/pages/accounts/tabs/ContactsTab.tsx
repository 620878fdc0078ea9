// 联系人 tab: the account's contacts with their place in the buying centre (采购决策链): the
// relationship stage, a summary (decision makers, supporters, opponents, insiders), the
// relationship map (lazy: echarts is a separate chunk) and the list with add / edit / mark
// left / delete. Everything comes from one call, GET /accounts/{id}/buying-center.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Form, Input, Modal, Popconfirm, Rate, Row, Select, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { ATTITUDE_COLORS, summarizeContacts } from './buyingCenter';
import { changesBody, createBody } from './forms';
import { useRecordForm } from './useRecordForm';
import { createContact, deleteContact, getBuyingCenter, updateContact } from './service';
import { ATTITUDES, BUYING_ROLES, type BuyingCenter, type Contact, type ContactInput, type RelationshipStage } from './types';

const RelationshipMap = lazy(() => import('./RelationshipMap'));

const FIELDS = ['name', 'title', 'department', 'phone', 'email', 'buying_role', 'attitude', 'relationship_level', 'status', 'notes'] as const;
const STAGE_COLORS: Record<RelationshipStage, string> = { establish: 'default', stabilize: 'blue', strengthen: 'green' };
const ATTITUDE_TAG: Record<string, string> = { supporter: 'success', neutral: 'default', opponent: 'error' };

export interface TabProps {
  accountId: number;
  accountName: string;
  canWrite: boolean;
  /** Called after a change that may change the account itself (relationship stage, owner…). */
  onAccountChanged?: () => void;
}

type Values = Partial<Record<(typeof FIELDS)[number], unknown>>;

function ContactModal({
  open,
  accountId,
  contact,
  onClose,
  onSaved,
}: {
  open: boolean;
  accountId: number;
  contact: Contact | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { form, saving, error, submit } = useRecordForm<Contact>({
    open,
    record: contact,
    fields: FIELDS,
    initialValues: (c) => (c ? { ...c } : { status: 'active' }),
    save: (values: Values, c) =>
      c
        ? updateContact(c.id, c.version, changesBody<ContactInput>(values, c, FIELDS))
        : createContact({ ...createBody<ContactInput & { name: string }>(values, FIELDS), account_id: accountId }),
    onSaved,
  });

  return (
    <Modal
      open={open}
      title={contact ? t('contact.edit') : t('contact.new')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'contact-save' } as never}
      width={600}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="contact-form-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off" data-testid="contact-form">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('contact.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('contact.name') }) }]}>
              <Input maxLength={100} data-testid="contact-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="title" label={t('contact.title')}>
              <Input maxLength={100} data-testid="contact-title" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="buying_role" label={t('contact.buyingRole')}>
              <Select
                allowClear
                data-testid="contact-role"
                options={BUYING_ROLES.map((role) => ({ value: role, label: t(`contact.role.${role}` as MessageKey) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="attitude" label={t('contact.attitude')}>
              <Select
                allowClear
                data-testid="contact-attitude"
                options={ATTITUDES.map((a) => ({ value: a, label: t(`contact.attitude.${a}` as MessageKey) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="relationship_level" label={t('contact.level')}>
              <Rate count={5} data-testid="contact-level" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="status" label={t('contact.status')}>
              <Select
                data-testid="contact-status"
                options={(['active', 'left'] as const).map((s) => ({ value: s, label: t(`contact.status.${s}` as MessageKey) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="department" label={t('contact.department')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('contact.phone')}>
              <Input maxLength={50} data-testid="contact-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="email" label={t('contact.email')} rules={[{ type: 'email', message: t('contact.emailInvalid') }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('contact.notes')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

export function RelationshipStageTag({ stage }: { stage: RelationshipStage | undefined }) {
  const { t } = useI18n();
  const s = stage ?? 'establish';
  return (
    <Tag color={STAGE_COLORS[s]} data-testid="relationship-stage" data-stage={s}>
      {t(`contact.stage.${s}` as MessageKey)}
    </Tag>
  );
}

export default function ContactsTab({ accountId, accountName, canWrite, onAccountChanged }: TabProps) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [data, setData] = useState<BuyingCenter | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [modalOpen, setModalOpen] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await getBuyingCenter(accountId));
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

  const changed = async () => {
    await load();
    onAccountChanged?.();
  };

  const setStatus = async (contact: Contact, status: 'active' | 'left') => {
    try {
      await updateContact(contact.id, contact.version, { status });
      message.success(t('common.saved'));
      await changed();
    } catch (e) {
      message.error(describeError(e, t, { 409: 'error.stale' }));
      void load();
    }
  };

  const remove = async (contact: Contact) => {
    try {
      await deleteContact(contact.id);
      message.success(t('common.deleted'));
      await changed();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  if (error && !data) return <Alert type="error" showIcon message={describeError(error, t)} action={<Button onClick={() => void load()}>{t('common.reload')}</Button>} />;
  if (!data) return <Spin />;

  const contacts = data.contacts;
  const summary = data.summary ?? summarizeContacts(contacts);

  const columns: TableProps<Contact>['columns'] = [
    {
      title: t('contact.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 110,
      render: (name: string, row) => (
        <Typography.Text delete={row.status === 'left'} type={row.status === 'left' ? 'secondary' : undefined}>
          {name}
        </Typography.Text>
      ),
    },
    { title: t('contact.title'), dataIndex: 'title', width: 110 },
    {
      title: t('contact.buyingRole'),
      dataIndex: 'buying_role',
      width: 100,
      render: (role: string | null) => (role ? t(`contact.role.${role}` as MessageKey) : ''),
    },
    {
      title: t('contact.attitude'),
      dataIndex: 'attitude',
      width: 90,
      render: (a: string | null) => (a ? <Tag color={ATTITUDE_TAG[a]}>{t(`contact.attitude.${a}` as MessageKey)}</Tag> : ''),
    },
    {
      title: t('contact.level'),
      dataIndex: 'relationship_level',
      width: 150,
      render: (level: number | null) => (level ? <Rate disabled count={5} value={level} style={{ fontSize: 14 }} /> : ''),
    },
    {
      title: t('contact.status'),
      dataIndex: 'status',
      width: 80,
      render: (s: string) => <Tag color={s === 'left' ? 'default' : 'blue'}>{t(`contact.status.${s}` as MessageKey)}</Tag>,
    },
    { title: t('contact.phone'), dataIndex: 'phone', width: 130 },
    { title: t('contact.department'), dataIndex: 'department', width: 110 },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_: unknown, row) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={() => {
              setEditing(row);
              setModalOpen(true);
            }}
            data-testid={`contact-edit-${row.id}`}
          >
            {t('common.edit')}
          </Button>
          {row.status === 'left' ? (
            <Button type="link" size="small" onClick={() => void setStatus(row, 'active')} data-testid={`contact-active-${row.id}`}>
              {t('contact.markActive')}
            </Button>
          ) : (
            <Popconfirm
              title={t('contact.markLeftConfirm', { name: row.name })}
              onConfirm={() => setStatus(row, 'left')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': 'contact-left-confirm' } as never}
            >
              <Button type="link" size="small" data-testid={`contact-left-${row.id}`}>
                {t('contact.markLeft')}
              </Button>
            </Popconfirm>
          )}
          <Popconfirm
            title={t('contact.deleteConfirm', { name: row.name })}
            onConfirm={() => remove(row)}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'contact-delete-confirm' } as never}
          >
            <Button type="link" size="small" danger data-testid={`contact-delete-${row.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  const stat = (key: MessageKey, value: number, color?: string, testid?: string) => (
    <Col xs={12} sm={6}>
      <Statistic title={t(key)} value={value} valueStyle={color ? { color } : undefined} data-testid={testid} />
    </Col>
  );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="contacts-tab">
      <div className="kam-page-header" style={{ marginBottom: 0 }}>
        <Space wrap>
          <Typography.Text type="secondary">{t('contact.relationshipStage')}</Typography.Text>
          <RelationshipStageTag stage={data.relationship_stage} />
        </Space>
        {canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setModalOpen(true);
            }}
            data-testid="contact-new"
          >
            {t('contact.new')}
          </Button>
        ) : null}
      </div>
      <Card size="small" data-testid="buying-center-summary">
        <Row gutter={[12, 12]}>
          {stat('contact.summary.decisionMakers', summary.decision_makers, undefined, 'summary-decision-makers')}
          {stat('contact.summary.supporters', summary.supporters, ATTITUDE_COLORS.supporter, 'summary-supporters')}
          {stat('contact.summary.opponents', summary.opponents, ATTITUDE_COLORS.opponent, 'summary-opponents')}
          {stat('contact.summary.insiders', summary.insiders, undefined, 'summary-insiders')}
        </Row>
      </Card>
      {contacts.length ? (
        <Card size="small" title={t('contact.map')} styles={{ body: { padding: 8 } }}>
          <Suspense fallback={<Spin style={{ display: 'block', padding: 48 }} />}>
            <RelationshipMap accountName={accountName} contacts={contacts} />
          </Suspense>
        </Card>
      ) : null}
      <Table<Contact>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contacts}
        loading={loading}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('contact.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        onRow={(row) => ({ style: row.status === 'left' ? { opacity: 0.6 } : undefined, 'data-testid': `contact-row-${row.id}` }) as never}
        data-testid="contacts-table"
      />
      <ContactModal
        open={modalOpen}
        accountId={accountId}
        contact={editing}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          void changed();
        }}
      />
    </Space>
  );
}
