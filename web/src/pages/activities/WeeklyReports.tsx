// 周报: my report of an ISO week, generated from the week's visits, contact logs and
// follow-ups with a next-week plan; I add a summary and submit (the content is frozen then).
// A manager (reports.review) sees the team's reports of the week and reviews them.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Empty, Input, List, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../utils/format';
import { downloadFile } from '../../components/download';
import { isoWeekOf, shiftWeek } from './logic';
import { getWeeklyReport, getWeeklyReportById, listWeeklyReports, reviewWeeklyReport, saveWeeklyReport, submitWeeklyReport } from './service';
import type { WeeklyReport } from './types';

const STATUS_COLOR: Record<string, string> = { not_started: 'default', draft: 'orange', submitted: 'blue', reviewed: 'green' };

type Row = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

function WeekPicker({ week, onChange }: { week: string; onChange: (w: string) => void }) {
  return (
    <Space>
      <Button icon={<LeftOutlined />} onClick={() => onChange(shiftWeek(week, -1))} data-testid="week-prev" />
      <Typography.Text strong data-testid="week-label">{week}</Typography.Text>
      <Button icon={<RightOutlined />} onClick={() => onChange(shiftWeek(week, 1))} data-testid="week-next" />
    </Space>
  );
}

export function ReportContent({ report }: { report: WeeklyReport }) {
  const { t } = useI18n();
  const c = report.content;
  if (!c) return <Empty />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="report-content">
      <Space wrap size="large">
        <Statistic title={t('activities.report.visits')} value={c.counts.visits ?? 0} />
        <Statistic title={t('activities.report.contactLogs')} value={c.counts.contact_logs ?? 0} />
        <Statistic title={t('activities.report.followUpsDone')} value={c.counts.follow_ups_done ?? 0} suffix={`/ ${t('activities.report.onTime')} ${c.counts.follow_ups_on_time ?? 0}`} />
        <Statistic title={t('activities.report.followUpsOverdue')} value={c.counts.follow_ups_overdue ?? 0} />
      </Space>
      <Card size="small" title={t('activities.report.visits')}>
        <List size="small" dataSource={c.visits as Row[]} locale={{ emptyText: t('activities.report.none') }}
          renderItem={(v) => <List.Item>{formatInstant(s(v.occurred_at))} · <b>{s(v.account_name)}</b> · {s(v.key_points)} {v.customer_views ? `（${s(v.customer_views)}）` : ''}</List.Item>} />
      </Card>
      <Card size="small" title={t('activities.report.contactLogs')}>
        <List size="small" dataSource={c.contact_logs as Row[]} locale={{ emptyText: t('activities.report.none') }}
          renderItem={(l) => <List.Item>{formatInstant(s(l.occurred_at))} · <b>{s(l.account_name)}</b> · {t(`activities.contactKind.${s(l.kind)}` as never)} · {s(l.content)} {s(l.result)}</List.Item>} />
      </Card>
      <Card size="small" title={t('activities.report.followUpsDone')}>
        <List size="small" dataSource={c.follow_ups_done as Row[]} locale={{ emptyText: t('activities.report.none') }}
          renderItem={(f) => <List.Item>{s(f.title)} · {s(f.customer_opinion)} {f.on_time ? <Tag color="green">{t('activities.report.onTime')}</Tag> : <Tag color="red">{t('activities.report.late')}</Tag>}</List.Item>} />
      </Card>
      <Card size="small" title={t('activities.report.nextWeek', { week: c.next_week.week })}>
        <List size="small" dataSource={c.next_week.planned_visits as Row[]} locale={{ emptyText: t('activities.report.none') }}
          renderItem={(p) => <List.Item>{formatInstant(s(p.planned_at))} · <b>{s(p.account_name)}</b> · {s(p.purpose)}</List.Item>} />
        <Typography.Text type="secondary">{t('activities.report.openTasks', { n: c.next_week.open_tasks.length })}</Typography.Text>
      </Card>
    </Space>
  );
}

function MyReport() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const [week, setWeek] = useState(() => isoWeekOf(new Date()));
  const [report, setReport] = useState<WeeklyReport | null>(null);
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!user) return;
    try {
      const r = await getWeeklyReport(user.id, week);
      setReport(r);
      setSummary(r.summary ?? '');
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [user, week, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const editable = !report || report.status === 'not_started' || report.status === 'draft';
  const save = async (andSubmit: boolean) => {
    try {
      let r = await saveWeeklyReport(week, summary);
      if (andSubmit && r.id) r = await submitWeeklyReport(r.id, summary);
      setReport(r);
      message.success(andSubmit ? t('activities.report.submitted') : t('common.saved'));
    } catch (e) {
      setError(describeError(e, t));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <WeekPicker week={week} onChange={setWeek} />
        {report && <Tag color={STATUS_COLOR[report.status]} data-testid="report-status">{t(`activities.report.status.${report.status}` as never)}</Tag>}
        <Button size="small" onClick={() => void downloadFile('/forms/visit-plans.xlsx', { week }, 'visit-plans.xlsx').catch((e) => setError(describeError(e, t)))}>{t('activities.forms.visitPlans')}</Button>
        <Button size="small" onClick={() => void downloadFile('/forms/contact-logs.xlsx', { week }, 'contact-logs.xlsx').catch((e) => setError(describeError(e, t)))}>{t('activities.forms.contactLogs')}</Button>
        <a href={`/api/v1/forms/visit-plans.html?week=${week}`} target="_blank" rel="noreferrer">{t('activities.forms.print')}</a>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {report?.manager_comment && <Alert type="info" showIcon message={t('activities.report.managerComment')} description={report.manager_comment} />}
      <Card size="small" title={t('activities.report.summary')}>
        <Input.TextArea rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} disabled={!editable} data-testid="report-summary" />
        {editable && (
          <Space style={{ marginTop: 8 }}>
            <Button onClick={() => void save(false)} data-testid="report-save">{t('common.save')}</Button>
            <Button type="primary" onClick={() => void save(true)} data-testid="report-submit">{t('activities.report.submit')}</Button>
          </Space>
        )}
      </Card>
      {report && <ReportContent report={report} />}
    </Space>
  );
}

function TeamReports() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [week, setWeek] = useState(() => shiftWeek(isoWeekOf(new Date()), -1));
  const [items, setItems] = useState<WeeklyReport[]>([]);
  const [open, setOpen] = useState<WeeklyReport | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await listWeeklyReports({ week, limit: 200 })).items);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [week, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const show = async (r: WeeklyReport) => {
    if (!r.id) return;
    setComment('');
    setOpen(await getWeeklyReportById(r.id));
  };
  const review = async () => {
    if (!open?.id) return;
    try {
      setOpen(await reviewWeeklyReport(open.id, comment));
      message.success(t('activities.report.reviewed'));
      void load();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <WeekPicker week={week} onChange={setWeek} />
      {error && <Alert type="error" showIcon message={error} />}
      <Table rowKey={(r) => String(r.id)} dataSource={items} pagination={false} size="small" data-testid="team-reports"
        columns={[
          { title: t('activities.field.person'), dataIndex: 'user_name' },
          { title: t('activities.report.statusLabel'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(`activities.report.status.${v}` as never)}</Tag> },
          { title: t('activities.report.submittedAt'), dataIndex: 'submitted_at', render: (v: string) => formatInstant(v) },
          { title: t('common.actions'), render: (_: unknown, r: WeeklyReport) => <Button size="small" onClick={() => void show(r)}>{t('activities.report.open')}</Button> },
        ]} />
      <Drawer open={!!open} onClose={() => setOpen(null)} width={720} title={open ? `${open.user_name} · ${open.week}` : ''}>
        {open && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} items={[
              { key: 's', label: t('activities.report.summary'), children: open.summary },
              { key: 'st', label: t('activities.report.statusLabel'), children: t(`activities.report.status.${open.status}` as never) },
              { key: 'c', label: t('activities.report.managerComment'), children: open.manager_comment },
            ]} />
            {open.status === 'submitted' && (
              <Space.Compact style={{ width: '100%' }}>
                <Input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('activities.report.commentHint')} data-testid="report-comment" />
                <Button type="primary" onClick={() => void review()} data-testid="report-review">{t('activities.report.review')}</Button>
              </Space.Compact>
            )}
            <ReportContent report={open} />
          </Space>
        )}
      </Drawer>
    </Space>
  );
}

export default function WeeklyReportsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <Card title={t('activities.report.menu')}>
      <Tabs items={[
        { key: 'mine', label: t('activities.report.mine'), children: <MyReport /> },
        ...(can('reports.review') ? [{ key: 'team', label: t('activities.report.team'), children: <TeamReports /> }] : []),
      ]} />
    </Card>
  );
}
