// 产品介绍会 / 研讨会: events with their guest lists - invite contacts, record replies and
// attendance, and turn an attendee into a lead (an opportunity at stage 1 and a follow-up task on
// the attendee's account).
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../utils/format';
import { isoToLocalInput, localInputToIso } from './logic';
import { createEvent, inviteContact, listEvents, listInvitations, raiseLead, searchContacts, setInvitationStatus } from './service';
import type { Event, EventInvitation } from './types';

const STATUSES: EventInvitation['status'][] = ['invited', 'accepted', 'declined', 'attended', 'absent'];

function GuestList({ event, canWrite }: { event: Event; canWrite: boolean }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<EventInvitation[]>([]);
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const load = useCallback(async () => setItems((await listInvitations(event.id)).items), [event.id]);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
      await load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canWrite && (
        <Select
          showSearch filterOption={false} placeholder={t('activities.events.invite')} style={{ width: 320 }} value={null as never}
          onSearch={(q) => void searchContacts(q).then((p) => setOptions(p.items.map((c) => ({ value: c.id, label: `${c.name} · ${c.account_name ?? ''}` }))))}
          onChange={(id: number) => void act(() => inviteContact(event.id, id))} options={options}
        />
      )}
      <Table size="small" rowKey="id" pagination={false} dataSource={items}
        columns={[
          { title: t('activities.events.contact'), render: (_: unknown, i: EventInvitation) => `${i.contact_name}${i.contact_title ? `（${i.contact_title}）` : ''}` },
          { title: t('activities.field.account'), dataIndex: 'account_name' },
          { title: t('activities.report.statusLabel'), render: (_: unknown, i: EventInvitation) => (
            <Select size="small" value={i.status} disabled={!canWrite} style={{ width: 110 }} onChange={(s) => void act(() => setInvitationStatus(i, s))}
              options={STATUSES.map((s) => ({ value: s, label: t(`activities.events.status.${s}` as never) }))} />) },
          { title: t('activities.events.lead'), render: (_: unknown, i: EventInvitation) => i.lead_task_id ? (
            <Space size={4}><Tag color="green">{i.lead_note}</Tag>{i.lead_opportunity_id ? <Link to={`/pipeline/opportunities/${i.lead_opportunity_id}`} data-testid="lead-opportunity">{t('activities.events.leadOpportunity')}</Link> : null}</Space>
          ) : (
            canWrite && i.status === 'attended' ? <Button size="small" onClick={() => { const note = window.prompt(t('activities.events.leadNote')); if (note) void act(() => raiseLead(i.id, note)); }}>{t('activities.events.raiseLead')}</Button> : null) },
        ]} />
    </Space>
  );
}

export default function EventsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [events, setEvents] = useState<Event[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const load = useCallback(async () => {
    try {
      setEvents((await listEvents()).items);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);
  const submit = async () => {
    let v: { topic: string; kind: 'presentation' | 'seminar'; starts_at: string; place?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await createEvent({ topic: v.topic, kind: v.kind, starts_at: localInputToIso(v.starts_at) ?? '', place: v.place || undefined });
      setCreating(false);
      void load();
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  return (
    <Card title={t('activities.events.menu')} extra={can('activities.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); form.setFieldsValue({ kind: 'presentation', starts_at: isoToLocalInput(new Date(Date.now() + 7 * 24 * 3600 * 1000)) }); setCreating(true); }}>{t('activities.events.new')}</Button>}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table rowKey="id" dataSource={events} pagination={false}
        expandable={{ expandedRowRender: (e) => <GuestList event={e} canWrite={can('activities.write')} /> }}
        columns={[
          { title: t('activities.events.topic'), dataIndex: 'topic' },
          { title: t('activities.events.kind'), dataIndex: 'kind', render: (k: string) => t(`activities.events.kind.${k}` as never) },
          { title: t('activities.events.startsAt'), dataIndex: 'starts_at', render: (v: string) => formatInstant(v) },
          { title: t('activities.field.place'), dataIndex: 'place' },
          { title: t('activities.events.counts'), render: (_: unknown, e: Event) => `${e.attended} / ${e.invited}` },
        ]} />
      <Modal open={creating} title={t('activities.events.new')} onCancel={() => setCreating(false)} onOk={() => void submit()}>
        <Form form={form} layout="vertical">
          <Form.Item name="topic" label={t('activities.events.topic')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="kind" label={t('activities.events.kind')}>
            <Select options={['presentation', 'seminar'].map((k) => ({ value: k, label: t(`activities.events.kind.${k}` as never) }))} />
          </Form.Item>
          <Form.Item name="starts_at" label={t('activities.events.startsAt')} rules={[{ required: true }]}><Input type="datetime-local" /></Form.Item>
          <Form.Item name="place" label={t('activities.field.place')}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
