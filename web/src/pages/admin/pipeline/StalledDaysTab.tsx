// 停滞天数: after how many days without a stage change an open opportunity of each stage counts as
// stalled (the board's 停滞 tag, the stalled list of 开发分析). Saved with PUT /pipeline/settings;
// a 422 on `stages[i]` shows under that stage's input.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Col, Form, InputNumber, Row, Spin, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { STAGES } from '../../pipeline/types';
import { MAX_STALLED_DAYS, rowErrors, serverProblem, settingsBody, stalledDays } from './config';
import { SaveBar } from './parts';
import { getPipelineSettings, putPipelineSettings } from './service';

type Values = { days: Record<number, number | null> };

export default function StalledDaysTab() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [saved, setSaved] = useState<Record<number, number | null> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const days = Form.useWatch('days', form);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const current = stalledDays(await getPipelineSettings());
      setSaved(current);
      setSaveError(null);
      form.resetFields();
      form.setFieldsValue({ days: current });
    } catch (e) {
      setLoadError(describeError(e, t));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = saved !== null && days !== undefined && STAGES.some((s) => (days?.[s] ?? null) !== saved[s]);

  const save = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body = settingsBody(values.days);
    setSaving(true);
    setSaveError(null);
    try {
      await putPipelineSettings(body);
      message.success(t('common.saved'));
      await load();
    } catch (e) {
      // stages[i] is the i-th entry of the body: its stage's input shows the message.
      const { rows, general } = rowErrors(
        e,
        body.stages.map((s) => String(s.stage)),
        'stages',
      );
      form.setFields(
        [...rows].map(([stage, messages]) => ({
          name: ['days', Number(stage)],
          errors: messages.map((m) => {
            const known = serverProblem(m);
            return known ? t(`pipeline.admin.problem.${known}` as MessageKey) : m;
          }),
        })) as never,
      );
      const text = describeError(e, t);
      setSaveError(general.length ? `${text} ${general.join('; ')}` : text);
    } finally {
      setSaving(false);
    }
  };

  if (loadError)
    return <Alert type="error" showIcon message={loadError} action={<Button onClick={() => void load()}>{t('common.reload')}</Button>} />;

  return (
    <div data-testid="stalled-tab">
      <Typography.Paragraph type="secondary">{t('pipeline.admin.stalledHelp')}</Typography.Paragraph>
      {saveError ? <Alert type="error" showIcon message={saveError} style={{ marginBottom: 16 }} data-testid="stalled-error" /> : null}
      {saved === null ? <Spin /> : null}
      <Form form={form} layout="vertical" style={{ maxWidth: 960, display: saved === null ? 'none' : undefined }} autoComplete="off">
        <Row gutter={16}>
          {STAGES.map((stage) => (
            <Col xs={24} sm={12} lg={8} key={stage}>
              <Form.Item
                name={['days', stage]}
                label={`${stage} · ${t(`pipeline.stage.${stage}` as MessageKey)}`}
                rules={[{ required: true, message: t('common.required', { field: t('pipeline.admin.stalledDays') }) }]}
              >
                <InputNumber
                  min={1}
                  max={MAX_STALLED_DAYS}
                  precision={0}
                  addonAfter={t('pool.settings.days')}
                  style={{ width: '100%' }}
                  aria-label={`${t('pipeline.admin.stalledDays')} ${t(`pipeline.stage.${stage}` as MessageKey)}`}
                  data-testid={`stalled-days-${stage}`}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
      <SaveBar
        testid="stalled"
        dirty={dirty}
        saving={saving}
        onSave={() => void save()}
        onDiscard={() => form.setFieldsValue({ days: saved ?? {} })}
      />
    </div>
  );
}
