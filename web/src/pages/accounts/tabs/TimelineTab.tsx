// 客户动态 (account timeline): visits, contact logs, completed follow-ups and relationship
// stage moves, newest first, paged with the server's cursor; log a contact or move the
// relationship stage (with a reason) from here.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Empty, Form, Input, Modal, Select, Space, Timeline, Typography } from 'antd';
import { useI18n } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { formatInstant } from '../../../utils/format';
import { downloadFile } from '../../../components/download';
import { isoToLocalInput, localInputToIso } from '../../activities/logic';
import { changeStage, createContactLog, getTimeline } from '../../activities/service';
import type { TimelineItem } from '../../activities/types';

// Reasons the server writes itself (other paths than a deliberate move with a typed reason).
const STAGE_REASONS = ['archive_edit', 'decision_maker_left'];
const COLORS: Record<string, string> = { visit: 'green', contact_log: 'blue', follow_up: 'purple', stage_change: 'orange' };

export default function TimelineTab({ accountId, canWrite, onAccountChanged }: { accountId: number; canWrite: boolean; onAccountChanged?: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'log' | 'stage' | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(async (before?: string | null) => {
    try {
      const page = await getTimeline(accountId, before);
      setItems((old) => (before ? [...old, ...page.items] : page.items));
      setNext(page.next ?? null);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [accountId, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (which: 'log' | 'stage') => {
    form.resetFields();
    if (which === 'log') form.setFieldsValue({ kind: 'call', occurred_at: isoToLocalInput(new Date()) });
    setDialog(which);
  };
  const submit = async () => {
    let v: Record<string, string>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      if (dialog === 'log') {
        await createContactLog({ account_id: accountId, kind: v.kind as 'call', occurred_at: localInputToIso(v.occurred_at) ?? '', content: v.content || undefined, result: v.result || undefined, next_step: v.next_step || undefined });
      } else {
        await changeStage(accountId, { stage: v.stage as 'establish', reason: v.reason });
        onAccountChanged?.();
      }
      message.success(t('common.saved'));
      setDialog(null);
      void load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const describe = (i: TimelineItem) => {
    switch (i.kind) {
      case 'visit':
        return <>{t('activities.timeline.visit')}（{t(`activities.method.${i.method ?? 'in_person'}` as never)}）{i.key_points ? `：${i.key_points}` : ''}{i.customer_views ? ` · ${t('activities.field.customerViews')}：${i.customer_views}` : ''}</>;
      case 'contact_log':
        return <>{t(`activities.contactKind.${i.contact_kind ?? 'call'}` as never)}{i.content ? `：${i.content}` : ''}{i.result ? ` · ${i.result}` : ''}</>;
      case 'follow_up':
        return <>{t('activities.timeline.followUp')}{i.customer_opinion ? `：${i.customer_opinion}` : ''}</>;
      default:
        return <>{t('activities.timeline.stage', { from: t(`activities.stage.${i.from_stage ?? 'establish'}` as never), to: t(`activities.stage.${i.to_stage ?? 'establish'}` as never) })}{i.reason ? `（${STAGE_REASONS.includes(i.reason) ? t(`activities.stageReason.${i.reason}` as never) : i.reason}）` : ''}</>;
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="account-timeline">
      {error && <Alert type="error" showIcon message={error} />}
      {canWrite && (
        <Space wrap>
          <Link to="/visits/new"><Button>{t('activities.visit.record')}</Button></Link>
          <Button onClick={() => open('log')} data-testid="timeline-log">{t('activities.timeline.addLog')}</Button>
          <Button onClick={() => open('stage')}>{t('activities.timeline.moveStage')}</Button>
        </Space>
      )}
      <Button size="small" onClick={() => void downloadFile(`/accounts/${accountId}/forms/relationship-actions.xlsx`, undefined, 'relationship.xlsx').catch((e) => message.error(describeError(e, t)))}>
        {t('activities.forms.relationship')}
      </Button>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <Timeline
          items={items.map((i) => ({
            key: `${i.kind}-${i.id}`,
            color: COLORS[i.kind],
            children: (
              <div data-testid={`timeline-${i.kind}`}>
                <Typography.Text type="secondary">{formatInstant(i.occurred_at)} · {i.by_name ?? ''}</Typography.Text>
                <div>{describe(i)}</div>
              </div>
            ),
          }))}
        />
      )}
      {next && <Button onClick={() => void load(next)}>{t('activities.timeline.more')}</Button>}
      <Modal open={dialog !== null} title={dialog === 'log' ? t('activities.timeline.addLog') : t('activities.timeline.moveStage')} onCancel={() => setDialog(null)} onOk={() => void submit()}>
        <Form form={form} layout="vertical">
          {dialog === 'log' ? (
            <>
              <Form.Item name="kind" label={t('activities.field.contactKind')}>
                <Select options={['call', 'email', 'meeting', 'message'].map((k) => ({ value: k, label: t(`activities.contactKind.${k}` as never) }))} />
              </Form.Item>
              <Form.Item name="occurred_at" label={t('activities.field.occurredAt')} rules={[{ required: true }]}><Input type="datetime-local" /></Form.Item>
              <Form.Item name="content" label={t('activities.field.content')}><Input.TextArea rows={3} /></Form.Item>
              <Form.Item name="result" label={t('activities.field.result')}><Input /></Form.Item>
              <Form.Item name="next_step" label={t('activities.field.nextSteps')}><Input /></Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="stage" label={t('activities.field.stage')} rules={[{ required: true }]}>
                <Select options={['establish', 'stabilize', 'strengthen'].map((k) => ({ value: k, label: t(`activities.stage.${k}` as never) }))} />
              </Form.Item>
              <Form.Item name="reason" label={t('activities.field.reason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} /></Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
