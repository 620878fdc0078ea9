// 竞争对手库: the registry of competitors (name unique), searchable; create, edit and delete
// for users who may write accounts. Accounts refer to these entries in their 竞争对手 tab.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import type { Page } from '../../api/types';
import type { Competitor, CompetitorInput } from '../accounts/tabs/types';
import { changesBody, createBody } from '../accounts/tabs/forms';
import { useRecordForm } from '../accounts/tabs/useRecordForm';
import { createCompetitor, deleteCompetitor, listCompetitors, updateCompetitor } from './service';

const FIELDS = ['name', 'website', 'main_products', 'strengths', 'weaknesses', 'notes'] as const;
const PAGE_SIZE = 20;

function CompetitorModal({ open, competitor, onClose, onSaved }: { open: boolean; competitor: Competitor | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { form, saving, error, submit } = useRecordForm<Competitor>({
    open,
    record: competitor,
    fields: FIELDS,
    initialValues: (c) => (c ? { ...c } : undefined),
    save: (values, c) =>
      c
        ? updateCompetitor(c.id, c.version, changesBody<CompetitorInput>(values, c, FIELDS))
        : createCompetitor(createBody<CompetitorInput & { name: string }>(values, FIELDS)),
    onSaved,
    duplicate: { message: 'competitor.nameTaken', field: 'name' },
  });

  return (
    <Modal
      open={open}
      title={competitor ? `${t('competitor.edit')} · ${competitor.name}` : t('competitor.new')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'competitor-save' } as never}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="competitor-form-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item name="name" label={t('competitor.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('competitor.name') }) }]}>
          <Input maxLength={200} data-testid="competitor-name" />
        </Form.Item>
        <Form.Item name="website" label={t('competitor.website')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="main_products" label={t('competitor.mainProducts')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="competitor-products" />
        </Form.Item>
        <Form.Item name="strengths" label={t('competitor.strengths')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="weaknesses" label={t('competitor.weaknesses')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="notes" label={t('competitor.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function CompetitorsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(PAGE_SIZE);
  const [data, setData] = useState<Page<Competitor>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<Competitor | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const canWrite = can('accounts.write');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await listCompetitors({ q: q || undefined, limit: size, offset: (page - 1) * size }));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, page, size]);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (row: Competitor) => {
    try {
      await deleteCompetitor(row.id);
      message.success(t('common.deleted'));
      await load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const columns: TableProps<Competitor>['columns'] = [
    { title: t('competitor.name'), dataIndex: 'name', width: 160, fixed: 'left' },
    {
      title: t('competitor.website'),
      dataIndex: 'website',
      width: 180,
      render: (w: string | null) => (w && /^https?:\/\//i.test(w) ? <Typography.Link href={w} target="_blank" rel="noopener noreferrer">{w}</Typography.Link> : w),
    },
    { title: t('competitor.mainProducts'), dataIndex: 'main_products', width: 200 },
    { title: t('competitor.strengths'), dataIndex: 'strengths', width: 180 },
    { title: t('competitor.weaknesses'), dataIndex: 'weaknesses', width: 180 },
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
            data-testid={`competitor-edit-${row.id}`}
          >
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('competitor.deleteConfirm', { name: row.name })}
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
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('competitor.registry')}</Typography.Title>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', flex: '1 1 260px', justifyContent: 'flex-end' }}>
          <Input.Search
            allowClear
            placeholder={t('competitor.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
            enterButton={t('common.search')}
            style={{ maxWidth: 360, flex: '1 1 200px' }}
            data-testid="competitors-search"
          />
          {canWrite ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setModalOpen(true);
              }}
              data-testid="competitor-new"
            >
              {t('competitor.new')}
            </Button>
          ) : null}
        </div>
      </div>
      <Table<Competitor>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data.items}
        loading={loading}
        scroll={{ x: 1000 }}
        data-testid="competitors-table"
        pagination={{
          current: page,
          pageSize: size,
          total: data.total,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          size: 'small',
          onChange: (p, s) => {
            setPage(p);
            setSize(s);
          },
        }}
      />
      <CompetitorModal
        open={modalOpen}
        competitor={editing}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          void load();
        }}
      />
    </Card>
  );
}
