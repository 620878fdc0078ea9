// New account (/accounts/new) and edit (/accounts/:id/edit). Server-side validation (422)
// shows under the fields; a stale edit (409) says the record was changed by someone else.
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Col, Form, Input, Result, Row, Space, Spin, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { describeError, formFieldErrors } from '../../api/errors';
import { isApiError } from '../../api/client';
import type { Account, AccountInput } from '../../api/types';
import { createAccount, getAccount, updateAccount } from './service';

export const ACCOUNT_FIELDS = ['name', 'industry', 'province', 'city', 'address'] as const;

function trimmed(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim() : '';
}

/** The body of POST /accounts: trimmed values, empty optional fields left out. */
export function toCreateInput(values: Record<string, unknown>): AccountInput {
  const out: Record<string, string> = { name: trimmed(values.name) };
  for (const field of ACCOUNT_FIELDS) {
    const value = trimmed(values[field]);
    if (value) out[field] = value;
  }
  return out as unknown as AccountInput;
}

/**
 * The fields of PATCH /accounts/{id}: only what differs from the loaded record (a cleared
 * optional field is sent as ""), so the audit log shows exactly what the user changed.
 */
export function toChanges(values: Record<string, unknown>, original: Account): Partial<AccountInput> {
  const out: Record<string, string> = {};
  for (const field of ACCOUNT_FIELDS) {
    const value = trimmed(values[field]);
    const before = original[field] ?? '';
    if (value !== before) out[field] = value;
  }
  return out as Partial<AccountInput>;
}

export default function AccountForm() {
  const { id } = useParams();
  const isEdit = id !== undefined;
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [account, setAccount] = useState<Account | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(isEdit);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);

  const load = async () => {
    if (!id) return;
    setLoading(true);
    setLoadError(null);
    try {
      const a = await getAccount(id);
      setAccount(a);
      form.setFieldsValue({
        name: a.name,
        industry: a.industry ?? '',
        province: a.province ?? '',
        city: a.city ?? '',
        address: a.address ?? '',
      });
      setStale(false);
      setFormError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const onFinish = async (values: Record<string, unknown>) => {
    setSaving(true);
    setFormError(null);
    setStale(false);
    try {
      const saved =
        isEdit && account
          ? await updateAccount(account.id, account.version, toChanges(values, account))
          : await createAccount(toCreateInput(values));
      message.success(isEdit ? t('common.saved') : t('common.created'));
      navigate(`/accounts/${saved.id}`);
    } catch (error) {
      if (isApiError(error) && error.status === 409 && isEdit) {
        setStale(true);
        setFormError(t('error.stale'));
      } else {
        const fields = formFieldErrors(error, ACCOUNT_FIELDS, t);
        if (fields.length) form.setFields(fields);
        setFormError(describeError(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  if (loading) {
    return (
      <Card>
        <Spin />
      </Card>
    );
  }
  if (loadError) {
    return (
      <Result
        status="warning"
        title={describeError(loadError, t)}
        extra={<Button onClick={() => navigate('/accounts')}>{t('common.back')}</Button>}
      />
    );
  }

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {isEdit ? t('account.edit') : t('account.new')}
        {account ? (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {account.archive_no}
          </Typography.Text>
        ) : null}
      </Typography.Title>
      {formError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16, maxWidth: 640 }}
          message={formError}
          data-testid="form-error"
          action={
            stale ? (
              <Button size="small" onClick={() => void load()}>
                {t('common.reload')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      <Form form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 640 }} data-testid="account-form">
        <Form.Item name="name" label={t('account.name')} rules={[{ required: true, whitespace: true, message: t('account.nameRequired') }]}>
          <Input maxLength={200} data-testid="account-name" />
        </Form.Item>
        <Form.Item name="industry" label={t('account.industry')}>
          <Input maxLength={100} data-testid="account-industry" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="province" label={t('account.province')}>
              <Input maxLength={50} data-testid="account-province" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="city" label={t('account.city')}>
              <Input maxLength={50} data-testid="account-city" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="address" label={t('account.address')}>
          <Input.TextArea rows={2} maxLength={300} data-testid="account-address" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="account-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(isEdit ? `/accounts/${id}` : '/accounts')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
