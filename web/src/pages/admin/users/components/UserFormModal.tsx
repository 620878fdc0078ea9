// Create / edit a user in a modal. Create: username, display name, password (≥ 12), department,
// roles, e-mail, phone. Edit: everything but the username; a new password only when typed.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Form, Input, Modal, Select, Switch, TreeSelect } from 'antd';
import { useI18n } from '../../../../i18n';
import { describeError, formFieldErrors } from '../../../../api/errors';
import { isApiError } from '../../../../api/client';
import type { Role, User } from '../../../../api/types';
import type { DepartmentOption } from '../../departments/service';
import { createUser, updateUser, type UpdateUserInput } from '../service';

export const MIN_PASSWORD_LENGTH = 12;
const FIELDS = ['username', 'password', 'display_name', 'department_id', 'role_ids', 'active', 'email', 'phone'];

interface Values {
  username?: string;
  password?: string;
  display_name: string;
  department_id?: number | null;
  role_ids: number[];
  active?: boolean;
  email?: string;
  phone?: string;
}

export function roleLabel(role: Role, locale: string): string {
  const name = locale === 'en' ? role.name_en || role.name : role.name;
  return name && name !== role.code ? `${name} (${role.code})` : role.code;
}

/** The PATCH body: only what changed; password only when one was typed. */
export function userChanges(values: Values, user: User): UpdateUserInput {
  const out: UpdateUserInput = {};
  const display = (values.display_name ?? '').trim();
  if (display !== user.display_name) out.display_name = display;
  // Every user belongs to a department: it can be changed, not removed.
  if (typeof values.department_id === 'number' && values.department_id !== user.department_id) out.department_id = values.department_id;
  const roles = [...(values.role_ids ?? [])].sort((a, b) => a - b);
  const before = [...(user.role_ids ?? [])].sort((a, b) => a - b);
  if (roles.join(',') !== before.join(',')) out.role_ids = roles;
  if (values.active !== undefined && values.active !== user.active) out.active = values.active;
  if (values.password) out.password = values.password;
  const email = (values.email ?? '').trim();
  if (email !== (user.email ?? '')) out.email = email;
  const phone = (values.phone ?? '').trim();
  if (phone !== (user.phone ?? '')) out.phone = phone;
  return out;
}

interface Props {
  open: boolean;
  user: User | null; // null: create
  roles: Role[];
  departments: DepartmentOption[];
  onClose: () => void;
  onSaved: (user: User) => void;
}

export default function UserFormModal({ open, user, roles, departments, onClose, onSaved }: Props) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isEdit = user !== null;

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (user) {
      form.setFieldsValue({
        display_name: user.display_name,
        department_id: user.department_id,
        role_ids: user.role_ids ?? [],
        active: user.active,
        email: user.email ?? '',
        phone: user.phone ?? '',
      });
    } else {
      form.setFieldsValue({ role_ids: [], active: true });
    }
  }, [open, user, form]);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      let saved: User;
      if (user) {
        saved = await updateUser(user.id, user.version, userChanges(values, user));
      } else {
        saved = await createUser({
          username: (values.username ?? '').trim(),
          password: values.password ?? '',
          display_name: values.display_name.trim(),
          department_id: values.department_id as number, // required by the form
          role_ids: values.role_ids ?? [],
          ...(values.email?.trim() ? { email: values.email.trim() } : {}),
          ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
        });
      }
      message.success(isEdit ? t('common.saved') : t('common.created'));
      onSaved(saved);
    } catch (e) {
      const fields = formFieldErrors(e, FIELDS, t);
      if (fields.length) form.setFields(fields as never);
      const stale = isApiError(e) && e.status === 409 && isEdit;
      setError(describeError(e, t, stale ? { 409: 'error.stale' } : {}));
    } finally {
      setSaving(false);
    }
  };

  const passwordRules = [
    ...(isEdit ? [] : [{ required: true, message: t('user.passwordMin') }]),
    { min: MIN_PASSWORD_LENGTH, message: t('user.passwordMin') },
  ];

  return (
    <Modal
      open={open}
      title={isEdit ? `${t('user.edit')} · ${user?.username}` : t('user.new')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'user-save' } as never}
      width={560}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="user-form-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off" data-testid="user-form">
        {!isEdit ? (
          <Form.Item
            name="username"
            label={t('user.username')}
            rules={[{ required: true, whitespace: true, message: t('user.usernameRequired') }]}
          >
            <Input maxLength={64} autoComplete="off" data-testid="user-username" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="display_name"
          label={t('user.displayName')}
          rules={[{ required: true, whitespace: true, message: t('user.displayNameRequired') }]}
        >
          <Input maxLength={100} data-testid="user-display-name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={isEdit ? t('user.newPassword') : t('user.password')}
          rules={passwordRules}
          extra={isEdit ? t('user.newPasswordHelp') : t('user.passwordMin')}
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item name="department_id" label={t('user.department')} rules={[{ required: true, message: t('user.departmentRequired') }]}>
          <TreeSelect
            treeData={departments}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            data-testid="user-department"
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item
          name="role_ids"
          label={t('user.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('user.rolesRequired') }]}
        >
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={roles.map((r) => ({ value: r.id, label: roleLabel(r, locale) }))}
            data-testid="user-roles"
          />
        </Form.Item>
        {isEdit ? (
          <Form.Item name="active" label={t('user.active')} valuePropName="checked">
            <Switch data-testid="user-active" />
          </Form.Item>
        ) : null}
        <Form.Item name="email" label={t('user.email')} rules={[{ type: 'email', message: t('user.emailInvalid') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('user.phone')}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
