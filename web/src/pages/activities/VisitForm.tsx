// 客户拜访记录表 on a phone: one column, big controls, a check-in button that reads the
// browser's geolocation. Opened from a plan (?plan=ID) the account is fixed and the plan
// becomes done. After saving it shows the follow-up task the visit raised.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Radio, Result, Space, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../utils/format';
import AccountSelect from './AccountSelect';
import { isoToLocalInput, localInputToIso } from './logic';
import { createVisit, getVisitPlan } from './service';
import type { Visit, VisitPlan } from './types';

interface CheckIn {
  latitude: number;
  longitude: number;
  accuracy: number;
  at: string;
}

export default function VisitForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const planId = params.get('plan');
  const [form] = Form.useForm();
  const [plan, setPlan] = useState<VisitPlan | null>(null);
  const [checkIn, setCheckIn] = useState<CheckIn | null>(null);
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Visit | null>(null);

  useEffect(() => {
    form.setFieldsValue({ occurred_at: isoToLocalInput(new Date()), method: 'in_person' });
    if (!planId) return;
    getVisitPlan(planId)
      .then((p) => {
        setPlan(p);
        form.setFieldsValue({ account_id: p.account_id, customer_participants: p.contacts_to_meet, our_participants: p.our_participants });
      })
      .catch((e) => setError(describeError(e, t)));
  }, [planId, form, t]);

  const locate = () => {
    if (!navigator.geolocation) {
      setError(t('activities.checkin.unavailable'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setCheckIn({ latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: pos.coords.accuracy, at: new Date().toISOString() });
        setLocating(false);
      },
      () => {
        setError(t('activities.checkin.denied'));
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  };

  const submit = async () => {
    let values: Record<string, string | number | undefined>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body = {
        account_id: Number(values.account_id),
        plan_id: plan ? plan.id : undefined,
        occurred_at: localInputToIso(String(values.occurred_at)) ?? '',
        method: values.method as 'in_person' | 'phone' | 'video',
        place: (values.place as string) || undefined,
        customer_participants: (values.customer_participants as string) || undefined,
        our_participants: (values.our_participants as string) || undefined,
        key_points: (values.key_points as string) || undefined,
        customer_views: (values.customer_views as string) || undefined,
        suggestions: (values.suggestions as string) || undefined,
        next_steps: (values.next_steps as string) || undefined,
        ...(checkIn
          ? { checkin_latitude: checkIn.latitude, checkin_longitude: checkIn.longitude, checkin_accuracy_m: checkIn.accuracy, checkin_at: checkIn.at }
          : {}),
      };
      setSaved(await createVisit(body));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };

  if (saved) {
    return (
      <Card style={{ maxWidth: 520, margin: '0 auto' }}>
        <Result
          status="success"
          title={t('activities.visit.saved')}
          subTitle={saved.follow_up ? t('activities.visit.followUpDue', { due: formatInstant(saved.follow_up.due_at) }) : undefined}
          extra={[
            <Link key="tasks" to="/tasks" data-testid="visit-saved-tasks"><Button type="primary">{t('activities.tasks.menu')}</Button></Link>,
            <Button key="again" onClick={() => { setSaved(null); setCheckIn(null); form.resetFields(); form.setFieldsValue({ occurred_at: isoToLocalInput(new Date()), method: 'in_person' }); }}>
              {t('activities.visit.another')}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  const required = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <Card title={t('activities.visit.title')} style={{ maxWidth: 520, margin: '0 auto' }} data-testid="visit-form">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {plan && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('activities.visit.fromPlan', { purpose: plan.purpose ?? '', at: formatInstant(plan.planned_at) })} />}
      <Form form={form} layout="vertical" size="large">
        <Form.Item name="account_id" label={t('activities.field.account')} rules={required(t('activities.field.account'))}>
          <AccountSelect initial={plan ? { id: plan.account_id, name: plan.account_name ?? '' } : null} testId="visit-account" />
        </Form.Item>
        <Form.Item name="occurred_at" label={t('activities.field.occurredAt')} rules={required(t('activities.field.occurredAt'))}>
          <Input type="datetime-local" data-testid="visit-occurred-at" />
        </Form.Item>
        <Form.Item name="method" label={t('activities.field.method')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={['in_person', 'phone', 'video'].map((m) => ({ value: m, label: t(`activities.method.${m}` as never) }))} />
        </Form.Item>
        <Form.Item label={t('activities.checkin.label')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button icon={<EnvironmentOutlined />} onClick={locate} loading={locating} block data-testid="visit-checkin">
              {checkIn ? t('activities.checkin.again') : t('activities.checkin.button')}
            </Button>
            {checkIn && (
              <Typography.Text type="success" data-testid="visit-checkin-result">
                {t('activities.checkin.done', { lat: checkIn.latitude.toFixed(5), lng: checkIn.longitude.toFixed(5), acc: Math.round(checkIn.accuracy) })}
              </Typography.Text>
            )}
          </Space>
        </Form.Item>
        <Form.Item name="place" label={t('activities.field.place')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="customer_participants" label={t('activities.field.customerParticipants')}><Input maxLength={500} /></Form.Item>
        <Form.Item name="our_participants" label={t('activities.field.ourParticipants')}><Input maxLength={500} /></Form.Item>
        <Form.Item name="key_points" label={t('activities.field.keyPoints')}><Input.TextArea rows={3} maxLength={4000} data-testid="visit-key-points" /></Form.Item>
        <Form.Item name="customer_views" label={t('activities.field.customerViews')}><Input.TextArea rows={3} maxLength={4000} data-testid="visit-customer-views" /></Form.Item>
        <Form.Item name="suggestions" label={t('activities.field.suggestions')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Form.Item name="next_steps" label={t('activities.field.nextSteps')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Space style={{ width: '100%' }} direction="vertical">
          <Button type="primary" block onClick={() => void submit()} loading={saving} data-testid="visit-submit">{t('common.save')}</Button>
          <Button block onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
