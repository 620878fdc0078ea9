// 竞争对手 tab: which competitors are present at the account — products, price level against
// ours, estimated share, strengths and weaknesses. The competitor is picked from the registry
// (searched as you type); a name not in the registry can be created on the spot.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Progress, Row, Select, Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { createCompetitor, listCompetitors } from '../../competitors/service';
import { changesBody, createBody } from './forms';
import { useRecordForm } from './useRecordForm';
import { createAccountCompetitor, deleteAccountCompetitor, listAccountCompetitors, updateAccountCompetitor } from './service';
import type { TabProps } from './ContactsTab';
import { PRICE_LEVELS, type AccountCompetitor, type AccountCompetitorInput, type Competitor } from './types';

const FIELDS = ['products', 'price_level', 'share_percent', 'strengths', 'weaknesses', 'notes'] as const;
const NEW_PREFIX = 'new:';
const PRICE_COLORS: Record<string, string> = { higher: 'red', similar: 'default', lower: 'green' };

/** Select options from registry hits, plus "create «text»" when the typed name is not among them. */
export function competitorOptions(hits: Pick<Competitor, 'id' | 'name'>[], typed: string, createLabel: (name: string) => string) {
  const options: { value: string; label: string }[] = hits.map((c) => ({ value: String(c.id), label: c.name }));
  const name = typed.trim();
  if (name && !hits.some((c) => c.name === name)) options.push({ value: `${NEW_PREFIX}${name}`, label: createLabel(name) });
  return options;
}

function PresenceModal({
  open,
  accountId,
  presence,
  onClose,
  onSaved,
}: {
  open: boolean;
  accountId: number;
  presence: AccountCompetitor | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [hits, setHits] = useState<Competitor[]>([]);
  const [typed, setTyped] = useState('');
  const searchSeq = useRef(0);

  const search = useCallback(
    async (q: string) => {
      setTyped(q);
      const seq = ++searchSeq.current;
      try {
        const page = await listCompetitors({ q: q.trim() || undefined, limit: 50 });
        if (seq === searchSeq.current) setHits(page.items);
      } catch (e) {
        if (seq === searchSeq.current) message.error(describeError(e, t));
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const { form, saving, error, submit } = useRecordForm<AccountCompetitor>({
    open,
    record: presence,
    fields: [...FIELDS, 'competitor_id', 'name'],
    initialValues: (r) => (r ? { ...r, competitor: String(r.competitor_id) } : undefined),
    onOpen: (r) => {
      if (!r) void search('');
    },
    save: async (values, r) => {
      if (r) return updateAccountCompetitor(r.id, r.version, changesBody<AccountCompetitorInput>(values, r, FIELDS));
      const picked = String(values.competitor ?? '');
      let competitorId: number;
      if (picked.startsWith(NEW_PREFIX)) {
        const created = await createCompetitor({ name: picked.slice(NEW_PREFIX.length) });
        competitorId = created.id;
      } else {
        competitorId = Number(picked);
      }
      return createAccountCompetitor(accountId, { ...createBody<AccountCompetitorInput>(values, FIELDS), competitor_id: competitorId });
    },
    onSaved,
    // The picker stands for both the chosen competitor and a new one's name.
    mapFieldErrors: (errors) =>
      errors.map((f) => (f.name[0] === 'competitor_id' || f.name[0] === 'name' ? { ...f, name: ['competitor'] } : f)),
    duplicate: { message: 'competitor.duplicateOnAccount' },
  });

  return (
    <Modal
      open={open}
      title={presence ? `${t('competitor.editPresence')} · ${presence.competitor_name}` : t('competitor.addPresence')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'presence-save' } as never}
      width={600}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="presence-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Row gutter={12}>
          {!presence ? (
            <Col xs={24}>
              <Form.Item name="competitor" label={t('competitor.competitor')} rules={[{ required: true, message: t('common.required', { field: t('competitor.competitor') }) }]}>
                <Select
                  showSearch
                  filterOption={false}
                  onSearch={(q) => void search(q)}
                  options={competitorOptions(hits, typed, (name) => t('competitor.createNamed', { name }))}
                  placeholder={t('competitor.searchOrCreate')}
                  notFoundContent={null}
                  data-testid="presence-competitor"
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} sm={12}>
            <Form.Item name="price_level" label={t('competitor.priceLevel')}>
              <Select
                allowClear
                data-testid="presence-price"
                options={PRICE_LEVELS.map((p) => ({ value: p, label: t(`competitor.price.${p}` as MessageKey) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="share_percent" label={t('competitor.share')}>
              <InputNumber min={0} max={100} precision={0} addonAfter="%" style={{ width: '100%' }} data-testid="presence-share" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="products" label={t('competitor.products')}>
              <Input maxLength={500} data-testid="presence-products" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="strengths" label={t('competitor.strengths')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="weaknesses" label={t('competitor.weaknesses')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('competitor.notes')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

export default function CompetitorsTab({ accountId, canWrite }: TabProps) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<AccountCompetitor[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<AccountCompetitor | null>(null);
  const [modalOpen, setModalOpen] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await listAccountCompetitors(accountId)).items);
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

  const remove = async (row: AccountCompetitor) => {
    try {
      await deleteAccountCompetitor(row.id);
      message.success(t('common.deleted'));
      await load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const columns: TableProps<AccountCompetitor>['columns'] = [
    { title: t('competitor.competitor'), dataIndex: 'competitor_name', fixed: 'left', width: 130 },
    { title: t('competitor.products'), dataIndex: 'products', width: 160 },
    {
      title: t('competitor.priceLevel'),
      dataIndex: 'price_level',
      width: 100,
      render: (p: string | null) => (p ? <Tag color={PRICE_COLORS[p]}>{t(`competitor.price.${p}` as MessageKey)}</Tag> : ''),
    },
    {
      title: t('competitor.share'),
      dataIndex: 'share_percent',
      width: 140,
      render: (v: number | null) => (v === null || v === undefined ? '' : <Progress percent={v} size="small" />),
    },
    { title: t('competitor.strengths'), dataIndex: 'strengths', width: 160 },
    { title: t('competitor.weaknesses'), dataIndex: 'weaknesses', width: 160 },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_: unknown, row) => (
        <Space size={0}>
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
            title={t('competitor.removeConfirm', { name: row.competitor_name })}
            onConfirm={() => remove(row)}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
          >
            <Button type="link" size="small" danger>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="competitors-tab">
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
            data-testid="presence-new"
          >
            {t('competitor.addPresence')}
          </Button>
        </div>
      ) : null}
      <Table<AccountCompetitor>
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 980 }}
        data-testid="presence-table"
        locale={{ emptyText: <Empty description={t('competitor.nonePresent')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      />
      <PresenceModal
        open={modalOpen}
        accountId={accountId}
        presence={editing}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          void load();
        }}
      />
    </Space>
  );
}
