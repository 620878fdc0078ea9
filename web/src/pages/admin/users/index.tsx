// Users administration (access users.admin): list with search and paging, create and edit.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Input, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n';
import { describeError } from '../../../api/errors';
import type { Page, Role, User } from '../../../api/types';
import { formatInstant } from '../../../utils/format';
import { buildDepartmentTree, departmentOptions, listDepartments, type DepartmentOption } from '../departments/service';
import { listRoles, listUsers } from './service';
import UserFormModal, { roleLabel } from './components/UserFormModal';

export default function UsersPage() {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [data, setData] = useState<Page<User>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [roles, setRoles] = useState<Role[]>([]);
  const [departments, setDepartments] = useState<DepartmentOption[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const [modalOpen, setModalOpen] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await listUsers({ q: q || undefined, limit: size, offset: (page - 1) * size }));
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

  useEffect(() => {
    listRoles()
      .then((p) => setRoles(p.items))
      .catch((e) => message.error(describeError(e, t)));
    listDepartments()
      .then((p) => setDepartments(departmentOptions(buildDepartmentTree(p.items))))
      .catch((e) => message.error(describeError(e, t)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const roleByCode = useMemo(() => new Map(roles.map((r) => [r.code, r])), [roles]);

  const columns: TableProps<User>['columns'] = [
    { title: t('user.username'), dataIndex: 'username', width: 140 },
    { title: t('user.displayName'), dataIndex: 'display_name', width: 140 },
    { title: t('user.department'), dataIndex: 'department_name', width: 160 },
    {
      title: t('user.roles'),
      dataIndex: 'roles',
      render: (codes: string[] = []) =>
        codes.map((code) => {
          const role = roleByCode.get(code);
          return <Tag key={code}>{role ? roleLabel(role, locale) : code}</Tag>;
        }),
    },
    {
      title: t('user.status'),
      dataIndex: 'active',
      width: 90,
      render: (active: boolean) => (active ? <Tag color="green">{t('user.statusActive')}</Tag> : <Tag>{t('user.statusInactive')}</Tag>),
    },
    { title: t('user.updatedAt'), dataIndex: 'updated_at', width: 150, render: (v: string) => formatInstant(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_: unknown, row) => (
        <Button
          type="link"
          size="small"
          icon={<EditOutlined />}
          data-testid={`user-edit-${row.username}`}
          onClick={() => {
            setEditing(row);
            setModalOpen(true);
          }}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('user.list')}</Typography.Title>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', flex: '1 1 260px', justifyContent: 'flex-end' }}>
          <Input.Search
            allowClear
            placeholder={t('user.searchPlaceholder')}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
            style={{ maxWidth: 320, flex: '1 1 200px' }}
            data-testid="users-search"
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="user-new"
            onClick={() => {
              setEditing(null);
              setModalOpen(true);
            }}
          >
            {t('user.new')}
          </Button>
        </div>
      </div>
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data.items}
        loading={loading}
        scroll={{ x: 960 }}
        pagination={{
          current: page,
          pageSize: size,
          total: data.total,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          size: 'small',
          onChange: (p, s) => {
            setPage(s !== size ? 1 : p);
            setSize(s);
          },
        }}
      />
      <UserFormModal
        open={modalOpen}
        user={editing}
        roles={roles}
        departments={departments}
        onClose={() => setModalOpen(false)}
        onSaved={() => {
          setModalOpen(false);
          void load();
        }}
      />
    </Card>
  );
}
