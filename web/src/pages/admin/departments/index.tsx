// Department administration (access users.admin): the organisation as a tree table, with
// create (top level or child), rename and delete (refused with 409 while it has users or children).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, TreeSelect, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n';
import { describeError, formFieldErrors } from '../../../api/errors';
import { isApiError } from '../../../api/client';
import type { Department } from '../../../api/types';
import { formatInstant } from '../../../utils/format';
import {
  buildDepartmentTree,
  createDepartment,
  deleteDepartment,
  departmentOptions,
  listDepartments,
  updateDepartment,
  type DepartmentNode,
} from './service';

type Dialog = { kind: 'create'; parentId: number | null } | { kind: 'rename'; department: Department } | null;

export default function DepartmentsPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<number[]>([]);
  const seen = useRef(new Set<number>());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; parent_id?: number | null }>();

  const tree = useMemo(() => buildDepartmentTree(departments), [departments]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await listDepartments();
      setDepartments(page.items);
      // Departments start expanded when first seen; what the user collapsed stays collapsed.
      const fresh = page.items.map((d) => d.id).filter((id) => !seen.current.has(id));
      fresh.forEach((id) => seen.current.add(id));
      setExpanded((prev) => [...new Set([...prev, ...fresh])]);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const openDialog = (next: Dialog) => {
    setDialogError(null);
    form.resetFields();
    if (next?.kind === 'create') form.setFieldsValue({ name: '', parent_id: next.parentId });
    if (next?.kind === 'rename') form.setFieldsValue({ name: next.department.name });
    setDialog(next);
  };

  const submit = async () => {
    let values: { name: string; parent_id?: number | null };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setDialogError(null);
    try {
      if (dialog?.kind === 'create') {
        const created = await createDepartment(values.name.trim(), values.parent_id ?? null);
        const parentId = created.parent_id;
        if (parentId !== null) setExpanded((prev) => [...new Set([...prev, parentId])]);
        message.success(t('common.created'));
      } else if (dialog?.kind === 'rename') {
        await updateDepartment(dialog.department.id, dialog.department.version, { name: values.name.trim() });
        message.success(t('common.saved'));
      }
      setDialog(null);
      await load();
    } catch (e) {
      const fields = formFieldErrors(e, ['name', 'parent_id'], t);
      if (fields.length) form.setFields(fields as never);
      const stale = isApiError(e) && e.status === 409 && dialog?.kind === 'rename';
      setDialogError(describeError(e, t, stale ? { 409: 'error.stale' } : {}));
    } finally {
      setSaving(false);
    }
  };

  const remove = async (department: Department) => {
    try {
      await deleteDepartment(department.id);
      message.success(t('common.deleted'));
      await load();
    } catch (e) {
      message.error(describeError(e, t, { 409: 'dept.deleteBlocked' }));
    }
  };

  const columns: TableProps<DepartmentNode>['columns'] = [
    {
      title: t('dept.name'),
      dataIndex: 'name',
      render: (name: string) => <span data-testid={`dept-${name}`}>{name}</span>,
    },
    { title: t('account.updatedAt'), dataIndex: 'updated_at', width: 150, responsive: ['lg'], render: (v: string) => formatInstant(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 1,
      render: (_: unknown, row) => (
        <Space size={0} wrap={false}>
          <Button
            type="link"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => openDialog({ kind: 'create', parentId: row.id })}
            data-testid={`dept-add-child-${row.name}`}
          >
            {t('dept.newChild')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            onClick={() => openDialog({ kind: 'rename', department: row })}
            data-testid={`dept-rename-${row.name}`}
          >
            {t('dept.rename')}
          </Button>
          <Popconfirm
            title={t('dept.deleteConfirm', { name: row.name })}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => remove(row)}
          >
            <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`dept-delete-${row.name}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const parentChoices = departmentOptions(tree);

  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('dept.list')}</Typography.Title>
        <Space wrap>
          <Button onClick={() => setExpanded(expanded.length ? [] : departments.map((d) => d.id))}>
            {expanded.length ? t('dept.collapseAll') : t('dept.expandAll')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            // A new department goes under the company's root by default (when there is one root).
            onClick={() => openDialog({ kind: 'create', parentId: tree.length === 1 ? tree[0].id : null })}
            data-testid="dept-new"
          >
            {t('dept.new')}
          </Button>
        </Space>
      </div>
      <Table<DepartmentNode>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={tree}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
        }}
      />
      <Modal
        open={dialog !== null}
        title={dialog?.kind === 'rename' ? `${t('dept.rename')} · ${dialog.department.name}` : t('dept.new')}
        onCancel={() => setDialog(null)}
        onOk={() => void submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'dept-save' } as never}
        forceRender
      >
        {dialogError ? <Alert type="error" showIcon message={dialogError} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('dept.name')} rules={[{ required: true, whitespace: true, message: t('dept.nameRequired') }]}>
            <Input maxLength={100} autoFocus data-testid="dept-name" />
          </Form.Item>
          {dialog?.kind === 'create' ? (
            <Form.Item name="parent_id" label={t('dept.parent')}>
              <TreeSelect
                treeData={parentChoices}
                treeDefaultExpandAll
                allowClear
                showSearch
                treeNodeFilterProp="title"
                placeholder={t('dept.parentNone')}
                data-testid="dept-parent"
              />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </Card>
  );
}
