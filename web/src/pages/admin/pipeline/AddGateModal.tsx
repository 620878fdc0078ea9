// The "add a gate item" dialog: stage, kind and the kind's parameters; the code and both labels
// are suggested from them until the admin types their own. The item joins the list unsaved.
import { useEffect, useRef } from 'react';
import { Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { STAGES } from '../../pipeline/types';
import {
  EVIDENCE_COUNTS,
  EVIDENCE_FIELDS,
  GATE_KINDS,
  MAX_CODE_LENGTH,
  codeBase,
  countLabel,
  defaultParams,
  fieldLabel,
  gateProblem,
  newKey,
  paramsOfKind,
  suggestCode,
  suggestLabels,
  type GateDraft,
  type Params,
} from './config';
import type { GateKind } from '../../pipeline/types';

interface Values {
  stage: number;
  kind: GateKind;
  field?: string;
  value?: string;
  count?: string;
  min?: number;
  min_level?: number;
  code: string;
  label_zh: string;
  label_en: string;
}

const PARAM_NAMES = ['field', 'value', 'count', 'min', 'min_level'] as const;

function paramsOf(values: Partial<Values>): Params {
  const out: Params = {};
  for (const name of PARAM_NAMES) if (values[name] !== undefined && values[name] !== null) out[name] = values[name];
  return paramsOfKind(values.kind ?? 'count', out);
}

export default function AddGateModal({
  stage,
  drafts,
  onCancel,
  onAdd,
}: {
  /** The stage to add to; null: closed. */
  stage: number | null;
  drafts: readonly GateDraft[];
  onCancel: () => void;
  onAdd: (draft: GateDraft) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  // Which suggested values the admin has typed over (those are left alone).
  const typed = useRef(new Set<string>());

  const suggest = (values: Partial<Values>) => {
    if (!values.kind || !values.stage) return;
    const params = paramsOf(values);
    const next: Partial<Values> = {};
    if (!typed.current.has('code')) next.code = suggestCode(drafts, values.stage, codeBase(values.kind, params));
    const labels = suggestLabels(values.kind, params);
    if (!typed.current.has('label_zh')) next.label_zh = labels.label_zh;
    if (!typed.current.has('label_en')) next.label_en = labels.label_en;
    form.setFieldsValue(next);
  };

  useEffect(() => {
    if (stage === null) return;
    typed.current = new Set();
    form.resetFields();
    const initial: Partial<Values> = { stage, kind: 'count', ...(defaultParams('count') as Partial<Values>) };
    form.setFieldsValue(initial);
    suggest(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stage]);

  const onValuesChange = (changed: Partial<Values>, all: Values) => {
    for (const name of ['code', 'label_zh', 'label_en'] as const) if (name in changed) typed.current.add(name);
    if ('kind' in changed && changed.kind) {
      const defaults = defaultParams(changed.kind) as Partial<Values>;
      form.setFieldsValue(defaults);
      suggest({ ...all, ...defaults });
      return;
    }
    if (!('code' in changed) && !('label_zh' in changed) && !('label_en' in changed)) suggest(all);
  };

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const draft: GateDraft = {
      key: newKey('gate'),
      stage: values.stage,
      code: values.code.trim(),
      kind: values.kind,
      params: paramsOf(values),
      label_zh: values.label_zh.trim(),
      label_en: values.label_en.trim(),
      enabled: true,
      added: true,
    };
    const problem = gateProblem(draft);
    if (problem) {
      form.setFields([
        { name: problem === 'labels' ? 'label_zh' : 'code', errors: [t(`pipeline.admin.problem.${problem}` as MessageKey)] },
      ]);
      return;
    }
    onAdd(draft);
  };

  const required = (label: string) => [{ required: true, message: t('common.required', { field: label }) }];
  return (
    <Modal
      open={stage !== null}
      title={t('pipeline.admin.addGate')}
      onCancel={onCancel}
      onOk={() => void submit()}
      okText={t('pipeline.admin.addToList')}
      cancelText={t('common.cancel')}
      forceRender
      width={640}
      okButtonProps={{ 'data-testid': 'gate-add-ok' } as never}
    >
      <Form form={form} layout="vertical" autoComplete="off" onValuesChange={onValuesChange} data-testid="gate-add-form">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="stage" label={t('pipeline.admin.stage')} rules={required(t('pipeline.admin.stage'))}>
              <Select
                options={STAGES.map((s) => ({ value: s, label: `${s} · ${t(`pipeline.stage.${s}` as MessageKey)}` }))}
                data-testid="gate-add-stage"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('pipeline.admin.kind')} rules={required(t('pipeline.admin.kind'))}>
              <Select
                options={GATE_KINDS.map((k) => ({ value: k, label: t(`pipeline.admin.kind.${k}` as MessageKey) }))}
                data-testid="gate-add-kind"
              />
            </Form.Item>
          </Col>
          {kind === 'field' || kind === 'equals' ? (
            <Col xs={24} sm={kind === 'equals' ? 12 : 24}>
              <Form.Item name="field" label={t('pipeline.admin.param.field')} rules={required(t('pipeline.admin.param.field'))}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  options={EVIDENCE_FIELDS.map((f) => ({ value: f, label: fieldLabel(t, f) }))}
                  data-testid="gate-add-field"
                />
              </Form.Item>
            </Col>
          ) : null}
          {kind === 'equals' ? (
            <Col xs={24} sm={12}>
              <Form.Item
                name="value"
                label={t('pipeline.admin.param.value')}
                extra={t('pipeline.admin.valueHelp')}
                rules={required(t('pipeline.admin.param.value'))}
              >
                <Input maxLength={200} data-testid="gate-add-value" />
              </Form.Item>
            </Col>
          ) : null}
          {kind === 'count' ? (
            <>
              <Col xs={24} sm={16}>
                <Form.Item name="count" label={t('pipeline.admin.param.count')} rules={required(t('pipeline.admin.param.count'))}>
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={EVIDENCE_COUNTS.map((c) => ({ value: c, label: countLabel(t, c) }))}
                    data-testid="gate-add-count"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="min" label={t('pipeline.admin.param.min')} rules={required(t('pipeline.admin.param.min'))}>
                  <InputNumber min={0} max={1000} precision={0} style={{ width: '100%' }} data-testid="gate-add-min" />
                </Form.Item>
              </Col>
            </>
          ) : null}
          {kind === 'decision_makers_level' ? (
            <Col xs={24} sm={12}>
              <Form.Item name="min_level" label={t('pipeline.admin.param.min_level')} rules={required(t('pipeline.admin.param.min_level'))}>
                <InputNumber min={1} max={5} precision={0} style={{ width: '100%' }} data-testid="gate-add-min-level" />
              </Form.Item>
            </Col>
          ) : null}
          {kind === 'decision_makers_touched' ? (
            <Col xs={24} sm={12}>
              <Form.Item name="min" label={t('pipeline.admin.param.min')} rules={required(t('pipeline.admin.param.min'))}>
                <InputNumber min={0} max={1000} precision={0} style={{ width: '100%' }} data-testid="gate-add-min" />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24}>
            <Form.Item name="label_zh" label={t('pipeline.admin.labelZh')} rules={required(t('pipeline.admin.labelZh'))}>
              <Input maxLength={200} data-testid="gate-add-label-zh" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="label_en" label={t('pipeline.admin.labelEn')} rules={required(t('pipeline.admin.labelEn'))}>
              <Input maxLength={200} data-testid="gate-add-label-en" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="code"
              label={t('pipeline.admin.code')}
              extra={t('pipeline.admin.codeHelp')}
              rules={[
                ...required(t('pipeline.admin.code')),
                { max: MAX_CODE_LENGTH, message: t('pipeline.admin.problem.code') },
                { pattern: /^[A-Za-z0-9_.-]+$/, message: t('pipeline.admin.codePattern') },
                {
                  validator: (_, value: string) =>
                    drafts.some((d) => d.code === String(value ?? '').trim())
                      ? Promise.reject(new Error(t('pipeline.admin.problem.codeDuplicate')))
                      : Promise.resolve(),
                },
              ]}
            >
              <Input maxLength={MAX_CODE_LENGTH} data-testid="gate-add-code" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
