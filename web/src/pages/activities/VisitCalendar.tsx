// 拜访日历: the caller's visit plans and visits on a month calendar or as a week list;
// plan a visit (客户拜访计划表), record one from a plan, and the calendar feed URL that
// phone calendars subscribe to.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App as AntApp, Badge, Button, Calendar, Card, Form, Input, List, Modal, Segmented, Space, Tag, Typography } from 'antd';
import { CalendarOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import AccountSelect from './AccountSelect';
import { byDay, isoToLocalInput, isoWeekOf, localDay, localInputToIso, shiftWeek, weekDays, type CalendarEntry } from './logic';
import { createVisitPlan, getCalendarFeed, listVisitPlans, listVisits, revokeCalendarFeed, rotateCalendarFeed } from './service';
import type { Visit, VisitPlan } from './types';

function PlanModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ planned_at: isoToLocalInput(new Date(Date.now() + 24 * 3600 * 1000)) });
      setError(null);
    }
  }, [open, form]);
  const submit = async () => {
    let v: Record<string, string | undefined>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await createVisitPlan({
        account_id: Number(v.account_id),
        planned_at: localInputToIso(v.planned_at ?? '') ?? '',
        contacts_to_meet: v.contacts_to_meet || undefined,
        purpose: v.purpose || undefined,
        materials: v.materials || undefined,
        our_participants: v.our_participants || undefined,
        expected_outcome: v.expected_outcome || undefined,
      });
      onSaved();
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  const req = (f: string) => [{ required: true, message: t('common.required', { field: f }) }];
  return (
    <Modal open={open} title={t('activities.plan.new')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ 'data-testid': 'plan-submit' } as never}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="account_id" label={t('activities.field.account')} rules={req(t('activities.field.account'))}><AccountSelect testId="plan-account" /></Form.Item>
        <Form.Item name="planned_at" label={t('activities.field.plannedAt')} rules={req(t('activities.field.plannedAt'))}><Input type="datetime-local" data-testid="plan-planned-at" /></Form.Item>
        <Form.Item name="contacts_to_meet" label={t('activities.field.contactsToMeet')}><Input maxLength={500} /></Form.Item>
        <Form.Item name="purpose" label={t('activities.field.purpose')}><Input.TextArea rows={2} maxLength={1000} data-testid="plan-purpose" /></Form.Item>
        <Form.Item name="materials" label={t('activities.field.materials')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        <Form.Item name="our_participants" label={t('activities.field.ourParticipants')}><Input maxLength={500} /></Form.Item>
        <Form.Item name="expected_outcome" label={t('activities.field.expectedOutcome')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}

function FeedCard() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [url, setUrl] = useState<string | null>(null);
  const act = async (f: () => Promise<{ url: string } | void>) => {
    try {
      const r = await f();
      setUrl(r ? r.url : null);
      if (!r) message.success(t('activities.feed.revoked'));
    } catch (e) {
      message.error(describeError(e, t));
    }
  };
  return (
    <Card size="small" title={<Space><CalendarOutlined />{t('activities.feed.title')}</Space>}>
      <Typography.Paragraph type="secondary">{t('activities.feed.help')}</Typography.Paragraph>
      {url && <Typography.Paragraph copyable={{ text: url }} code data-testid="feed-url" style={{ wordBreak: 'break-all' }}>{url}</Typography.Paragraph>}
      <Space wrap>
        <Button onClick={() => void act(getCalendarFeed)} data-testid="feed-show">{t('activities.feed.show')}</Button>
        <Button onClick={() => void act(rotateCalendarFeed)}>{t('activities.feed.rotate')}</Button>
        <Button danger onClick={() => void act(async () => { await revokeCalendarFeed(); })}>{t('activities.feed.revoke')}</Button>
      </Space>
    </Card>
  );
}

export default function VisitCalendar() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [plans, setPlans] = useState<VisitPlan[]>([]);
  const [visits, setVisits] = useState<Visit[]>([]);
  const [mode, setMode] = useState<'week' | 'month'>('week');
  const [week, setWeek] = useState(() => isoWeekOf(new Date()));
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!user) return;
    try {
      const [p, v] = await Promise.all([
        listVisitPlans({ owner_id: user.id, limit: 200 }),
        listVisits({ owner_id: user.id, limit: 200 }),
      ]);
      setPlans(p.items);
      setVisits(v.items);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [user, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const days = useMemo(() => {
    const entries: CalendarEntry[] = [
      ...plans.filter((p) => p.status !== 'cancelled').map((p) => ({ kind: 'plan' as const, id: p.id, at: p.planned_at, title: p.account_name ?? '', status: p.status })),
      ...visits.map((v) => ({ kind: 'visit' as const, id: v.id, at: v.occurred_at, title: v.account_name ?? '' })),
    ];
    return byDay(entries);
  }, [plans, visits]);

  const entryView = (e: CalendarEntry) => (
    <Space size={4} wrap key={`${e.kind}-${e.id}`} data-testid={`cal-${e.kind}-${e.id}`}>
      <Badge status={e.kind === 'visit' ? 'success' : e.status === 'done' ? 'default' : 'processing'} />
      <span>{dayjs(e.at).format('HH:mm')} {e.title}</span>
      {e.kind === 'plan' && e.status === 'planned' && (
        <Link to={`/visits/new?plan=${e.id}`} data-testid={`plan-record-${e.id}`}>{t('activities.visit.record')}</Link>
      )}
    </Space>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('activities.calendar.menu')}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented value={mode} onChange={(v) => setMode(v as 'week' | 'month')} options={[{ value: 'week', label: t('activities.calendar.week') }, { value: 'month', label: t('activities.calendar.month') }]} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setPlanning(true)} data-testid="plan-new">{t('activities.plan.new')}</Button>
          <Link to="/visits/new"><Button data-testid="visit-new">{t('activities.visit.record')}</Button></Link>
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        {mode === 'week' ? (
          <>
            <Space style={{ marginBottom: 8 }}>
              <Button icon={<LeftOutlined />} onClick={() => setWeek(shiftWeek(week, -1))} />
              <Typography.Text strong data-testid="cal-week">{week}</Typography.Text>
              <Button icon={<RightOutlined />} onClick={() => setWeek(shiftWeek(week, 1))} />
            </Space>
            <List
              dataSource={weekDays(week)}
              renderItem={(day) => (
                <List.Item>
                  <Space direction="vertical" size={2}>
                    <Typography.Text type="secondary">{day} {t(`activities.weekday.${dayjs(day).day()}` as never)}</Typography.Text>
                    {(days.get(day) ?? []).map(entryView)}
                  </Space>
                </List.Item>
              )}
            />
          </>
        ) : (
          <Calendar
            cellRender={(value: Dayjs, info) => {
              if (info.type !== 'date') return info.originNode;
              const list = days.get(value.format('YYYY-MM-DD')) ?? [];
              return <>{list.map((e) => <div key={`${e.kind}-${e.id}`}><Tag color={e.kind === 'visit' ? 'green' : 'blue'}>{dayjs(e.at).format('HH:mm')} {e.title}</Tag></div>)}</>;
            }}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('activities.calendar.legend')} · {t('activities.calendar.today')} {localDay(new Date().toISOString())} · {plans.filter((p) => p.status === 'planned').length} {t('activities.plan.open')} · {visits.length} {t('activities.visit.count')}
        </Typography.Paragraph>
      </Card>
      <FeedCard />
      <PlanModal open={planning} onClose={() => setPlanning(false)} onSaved={() => { setPlanning(false); void load(); }} />
    </Space>
  );
}
