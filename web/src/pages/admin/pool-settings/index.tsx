// 公海规则 (admin): how many accounts one user may own, how many they may claim a day, and after
// how many days without activity an account goes back to the pool, per tier (A/B/C, none).
// Saved with the settings' version (409: changed by someone else); the recovery job can be run
// at once from here.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Form, InputNumber, Popconfirm, Row, Space, Spin, Typography } from 'antd';
import { ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n';
import { describeError, formFieldErrors } from '../../../api/errors';
import type { PoolSettings } from '../../accounts/tabs/types';
import { getPoolSettings, poolSettingsChanges, runPoolRecovery, updatePoolSettings } from './service';

type Values = Omit<PoolSettings, 'version'>;
const FIELDS = ['max_owned_per_user', 'max_claims_per_day', 'recovery_days'];
const TIERS = ['A', 'B', 'C', 'none'] as const;

export default function PoolSettingsPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [settings, setSettings] = useState<PoolSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [running, setRunning] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const s = await getPoolSettings();
      setSettings(s);
      form.setFieldsValue({ max_owned_per_user: s.max_owned_per_user, max_claims_per_day: s.max_claims_per_day, recovery_days: { ...s.recovery_days } });
    } catch (e) {
      setError(describeError(e, t));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    if (!settings) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const changes = poolSettingsChanges(values, settings);
    if (Object.keys(changes).length === 0) {
      message.info(t('pool.settings.unchanged'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await updatePoolSettings(settings.version, changes);
      setSettings(saved);
      form.setFieldsValue({ max_owned_per_user: saved.max_owned_per_user, max_claims_per_day: saved.max_claims_per_day, recovery_days: { ...saved.recovery_days } });
      message.success(t('common.saved'));
    } catch (e) {
      const fields = formFieldErrors(e, FIELDS, t);
      if (fields.length) form.setFields(fields as never);
      setError(describeError(e, t, { 409: 'error.stale' }));
    } finally {
      setSaving(false);
    }
  };

  const runRecovery = async () => {
    setRunning(true);
    try {
      const result = await runPoolRecovery();
      message.success(t('pool.settings.recovered', { n: result.recovered }));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setRunning(false);
    }
  };

  const days = (tier: (typeof TIERS)[number]) => (
    <Col xs={12} sm={6} key={tier}>
      <Form.Item
        name={['recovery_days', tier]}
        label={tier === 'none' ? t('pool.settings.tierNone') : t('pool.settings.tierN', { tier })}
        rules={[{ required: true, message: t('common.required', { field: t('pool.settings.recoveryDays') }) }]}
      >
        <InputNumber min={1} max={3650} precision={0} addonAfter={t('pool.settings.days')} style={{ width: '100%' }} data-testid={`pool-days-${tier}`} />
      </Form.Item>
    </Col>
  );

  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('pool.settings.title')}</Typography.Title>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('common.reload')}
          </Button>
          <Popconfirm title={t('pool.settings.runConfirm')} onConfirm={() => runRecovery()} okText={t('common.ok')} cancelText={t('common.cancel')}>
            <Button icon={<ThunderboltOutlined />} loading={running} data-testid="pool-run-recovery">
              {t('pool.settings.runRecovery')}
            </Button>
          </Popconfirm>
        </Space>
      </div>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="pool-settings-error" /> : null}
      {!settings && !error ? <Spin /> : null}
      <Form form={form} layout="vertical" style={{ maxWidth: 720, display: settings ? undefined : 'none' }} data-testid="pool-settings-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="max_owned_per_user"
              label={t('pool.settings.maxOwned')}
              extra={t('pool.settings.maxOwnedHelp')}
              rules={[{ required: true, message: t('common.required', { field: t('pool.settings.maxOwned') }) }]}
            >
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} data-testid="pool-max-owned" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="max_claims_per_day"
              label={t('pool.settings.maxClaims')}
              extra={t('pool.settings.maxClaimsHelp')}
              rules={[{ required: true, message: t('common.required', { field: t('pool.settings.maxClaims') }) }]}
            >
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} data-testid="pool-max-claims" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('pool.settings.recoveryDays')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('pool.settings.recoveryHelp')}</Typography.Paragraph>
        <Row gutter={16}>{TIERS.map(days)}</Row>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="pool-settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
