// 我的待办: open tasks in the four quadrants (urgent / important), overdue ones marked; a
// follow-up is completed with its record (method and the customer's opinion). Managers also
// see overdue follow-ups per person and this month's follow-up compliance.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Empty, Form, Input, List, Modal, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../utils/format';
import { groupByQuadrant, isoToLocalInput, localInputToIso, percent, QUADRANTS } from './logic';
import { completeTask, createTask, followUpCompliance, listTasks, overdueFollowUps } from './service';
import type { FollowUpCompliance, OverdueFollowUps, Task } from './types';

function CompleteModal({ task, onClose, onDone }: { task: Task | null; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const followUp = task?.kind === 'follow_up';
  useEffect(() => {
    form.resetFields();
    setError(null);
  }, [task, form]);
  const submit = async () => {
    if (!task) return;
    let values: { method?: 'phone' | 'visit' | 'video' | 'message'; customer_opinion?: string; notes?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await completeTask(task.id, values);
      onDone();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={!!task} title={followUp ? t('activities.tasks.completeFollowUp') : t('activities.tasks.complete')} onCancel={onClose} onOk={() => void submit()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'complete-submit' } as never}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {task && <Typography.Paragraph>{task.title}</Typography.Paragraph>}
      <Form form={form} layout="vertical">
        {followUp && (
          <>
            <Form.Item name="method" label={t('activities.field.followUpMethod')} rules={[{ required: true, message: t('common.required', { field: t('activities.field.followUpMethod') }) }]}>
              <Select data-testid="complete-method" options={['phone', 'visit', 'video', 'message'].map((m) => ({ value: m, label: t(`activities.followUpMethod.${m}` as never) }))} />
            </Form.Item>
            <Form.Item name="customer_opinion" label={t('activities.field.customerOpinion')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('activities.field.customerOpinion') }) }]}>
              <Input.TextArea rows={3} data-testid="complete-opinion" />
            </Form.Item>
          </>
        )}
        <Form.Item name="notes" label={t('activities.field.notes')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}

function NewTaskModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ due_at: isoToLocalInput(new Date(Date.now() + 24 * 3600 * 1000)), important: true });
    }
  }, [open, form]);
  const submit = async () => {
    let v: { title: string; due_at: string; urgent?: boolean; important?: boolean };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await createTask({ title: v.title, due_at: localInputToIso(v.due_at) ?? '', urgent: !!v.urgent, important: !!v.important });
      onSaved();
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  return (
    <Modal open={open} title={t('activities.tasks.new')} onCancel={onClose} onOk={() => void submit()}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="title" label={t('activities.field.title')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('activities.field.title') }) }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="due_at" label={t('activities.field.dueAt')} rules={[{ required: true }]}><Input type="datetime-local" /></Form.Item>
        <Space>
          <Form.Item name="urgent" valuePropName="checked"><Checkbox>{t('activities.field.urgent')}</Checkbox></Form.Item>
          <Form.Item name="important" valuePropName="checked"><Checkbox>{t('activities.field.important')}</Checkbox></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function MyTasks() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [completing, setCompleting] = useState<Task | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => {
    if (!user) return;
    try {
      setTasks((await listTasks({ assignee_id: user.id, status: 'open', limit: 200 })).items);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [user, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const groups = groupByQuadrant(tasks);
  const colors = { q1: '#fff1f0', q2: '#e6f4ff', q3: '#fffbe6', q4: '#f5f5f5' };
  return (
    <>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('activities.tasks.new')}</Button>
        <Link to="/visits/new"><Button>{t('activities.visit.record')}</Button></Link>
      </Space>
      <Row gutter={[12, 12]}>
        {QUADRANTS.map((q) => (
          <Col xs={24} md={12} key={q}>
            <Card size="small" title={t(`activities.quadrant.${q}` as never)} style={{ background: colors[q] }} data-testid={`quadrant-${q}`}>
              {groups[q].length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <List
                  dataSource={groups[q]}
                  renderItem={(task) => (
                    <List.Item
                      data-testid={`task-${task.id}`}
                      actions={[<Button key="done" size="small" onClick={() => setCompleting(task)} data-testid={`task-complete-${task.id}`}>{t('activities.tasks.done')}</Button>]}
                    >
                      <List.Item.Meta
                        title={<Space wrap>{task.title}{task.kind === 'follow_up' && <Tag color="purple">{t('activities.kind.follow_up')}</Tag>}{task.overdue && <Tag color="red" data-testid="task-overdue">{t('activities.tasks.overdue')}</Tag>}</Space>}
                        description={<>{t('activities.field.dueAt')}: {formatInstant(task.due_at)}{task.account_name ? ` · ${task.account_name}` : ''}</>}
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Col>
        ))}
      </Row>
      <CompleteModal task={completing} onClose={() => setCompleting(null)} onDone={() => { setCompleting(null); message.success(t('common.saved')); void load(); }} />
      <NewTaskModal open={creating} onClose={() => setCreating(false)} onSaved={() => { setCreating(false); void load(); }} />
    </>
  );
}

function TeamFollowUps() {
  const { t } = useI18n();
  const [overdue, setOverdue] = useState<OverdueFollowUps | null>(null);
  const [compliance, setCompliance] = useState<FollowUpCompliance | null>(null);
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    overdueFollowUps().then(setOverdue).catch((e) => setError(describeError(e, t)));
  }, [t]);
  useEffect(() => {
    followUpCompliance(month).then(setCompliance).catch((e) => setError(describeError(e, t)));
  }, [month, t]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Card size="small" title={t('activities.followUps.overdueTitle', { n: overdue?.total ?? 0 })}>
        <Table size="small" rowKey="user_id" pagination={false} dataSource={overdue?.items ?? []}
          columns={[
            { title: t('activities.field.person'), dataIndex: 'display_name' },
            { title: t('activities.followUps.overdue'), dataIndex: 'overdue' },
            { title: t('activities.followUps.oldest'), dataIndex: 'oldest_due_at', render: (v: string) => formatInstant(v) },
          ]} />
      </Card>
      <Card size="small" title={t('activities.followUps.complianceTitle')} extra={<Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 160 }} />}>
        <Typography.Paragraph>{t('activities.followUps.team', { rate: percent(compliance?.team.rate_bp) })}</Typography.Paragraph>
        <Table size="small" rowKey="user_id" pagination={false} dataSource={compliance?.items ?? []}
          columns={[
            { title: t('activities.field.person'), dataIndex: 'display_name' },
            { title: t('activities.followUps.judged'), dataIndex: 'judged' },
            { title: t('activities.followUps.onTime'), dataIndex: 'on_time' },
            { title: t('activities.followUps.late'), dataIndex: 'late' },
            { title: t('activities.followUps.overdue'), dataIndex: 'overdue' },
            { title: t('activities.followUps.rate'), dataIndex: 'rate_bp', render: (v: number | null) => percent(v) },
          ]} />
      </Card>
    </Space>
  );
}

export default function TasksPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <Card title={t('activities.tasks.menu')}>
      <Tabs
        items={[
          { key: 'mine', label: t('activities.tasks.mine'), children: <MyTasks /> },
          ...(can('reports.review') ? [{ key: 'team', label: t('activities.followUps.menu'), children: <TeamFollowUps /> }] : []),
        ]}
      />
    </Card>
  );
}
