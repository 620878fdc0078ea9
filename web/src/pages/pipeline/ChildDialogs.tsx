// Editing and deleting an opportunity's samples and plan steps (the detail page's stage 2 and 3
// tables). The dialogs run on the accounts' useRecordForm (reset on open, validate, field errors
// of a 422 under the fields, a 409 "changed by someone else, reload"); a PATCH carries only what
// changed, so a new delivery date keeps the sample's technical sign-off.
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Col, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Tooltip } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n';
import { useAuth } from '../../auth/AuthContext';
import { describeError } from '../../api/errors';
import { searchUsers } from '../accounts/service';
import { useRecordForm } from '../accounts/tabs/useRecordForm';
import {
  PLAN_STEP_FIELDS,
  SAMPLE_FIELDS,
  deliveredBeforeRequested,
  planStepChanges,
  planStepValues,
  resetsSignOff,
  sampleChanges,
  sampleValues,
} from './pipeline';
import { deletePlanStep, deleteSample, updatePlanStep, updateSample } from './service';
import type { OpportunitySample, PlanStep } from './types';

interface DialogProps<R> {
  /** The record being edited; null: closed. */
  record: R | null;
  onClose: () => void;
  onSaved: () => void;
}

export function SampleDialog({ record, onClose, onSaved }: DialogProps<OpportunitySample>) {
  const { t } = useI18n();
  const { form, saving, error, submit } = useRecordForm<OpportunitySample>({
    open: record !== null,
    record,
    fields: SAMPLE_FIELDS,
    initialValues: (r) => (r ? sampleValues(r) : undefined),
    save: async (values, r) => {
      const changes = sampleChanges(values, r!);
      return Object.keys(changes).length ? updateSample(r!.id!, r!.version!, changes) : r;
    },
    onSaved: () => {
      onClose();
      onSaved();
    },
  });
  const specification = Form.useWatch('specification', form);
  const quantity = Form.useWatch('quantity', form);
  const signedOff = record !== null && record.result !== 'pending';
  const loseSignOff = signedOff && record !== null && resetsSignOff(sampleChanges({ specification, quantity }, record));

  return (
    <Modal
      open={record !== null}
      title={t('pipeline.sample.edit')}
      onCancel={() => {
        onClose();
        // After a refusal (409: changed meanwhile) the page reloads, so the next edit starts fresh.
        if (error) onSaved();
      }}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      width={600}
      okButtonProps={{ 'data-testid': 'sample-save' } as never}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="sample-error" /> : null}
      {loseSignOff ? (
        <Alert
          type="warning"
          showIcon
          message={t('pipeline.sample.resetsSignOff')}
          style={{ marginBottom: 16 }}
          data-testid="sample-resets-sign-off"
        />
      ) : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item
          name="specification"
          label={t('pipeline.sample.specification')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('pipeline.sample.specification') }) }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} data-testid="sample-specification" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item
              name="quantity"
              label={t('pipeline.sample.quantity')}
              rules={[{ required: true, message: t('common.required', { field: t('pipeline.sample.quantity') }) }]}
            >
              <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="sample-quantity" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item
              name="requested_on"
              label={t('pipeline.sample.requestedOn')}
              rules={[{ required: true, message: t('common.required', { field: t('pipeline.sample.requestedOn') }) }]}
            >
              <Input type="date" data-testid="sample-requested-on" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item
              name="delivered_on"
              label={t('pipeline.sample.deliveredOn')}
              dependencies={['requested_on']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    deliveredBeforeRequested(getFieldValue('requested_on'), value)
                      ? Promise.reject(new Error(t('pipeline.sample.deliveredTooEarly')))
                      : Promise.resolve(),
                }),
              ]}
            >
              <Input type="date" data-testid="sample-delivered-on" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('pipeline.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} data-testid="sample-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Owner of a plan step: the current owner and the user themself, and anyone found by name for a
 * user who may list users (users.read).
 */
function OwnerSelect({ record, value, onChange }: { record: PlanStep | null; value?: number; onChange?: (v: number) => void }) {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const [found, setFound] = useState<{ value: number; label: string }[]>([]);
  const seq = useRef(0);
  const searchable = can('users.read');

  const search = async (q: string) => {
    const mine = ++seq.current;
    try {
      const page = await searchUsers(q.trim());
      if (mine === seq.current) setFound(page.items.filter((u) => u.active).map((u) => ({ value: u.id, label: u.display_name })));
    } catch {
      if (mine === seq.current) setFound([]);
    }
  };

  useEffect(() => {
    if (record && searchable) void search('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [record, searchable]);

  const options = new Map<number, string>();
  if (record?.owner_id) options.set(record.owner_id, record.owner_name ?? String(record.owner_id));
  if (user) options.set(user.id, user.display_name);
  for (const o of found) options.set(o.value, o.label);
  return (
    <Select
      value={value}
      onChange={onChange}
      showSearch
      filterOption={searchable ? false : (input, option) => String(option?.label ?? '').includes(input)}
      onSearch={searchable ? (q) => void search(q) : undefined}
      options={[...options].map(([id, label]) => ({ value: id, label }))}
      placeholder={t('pipeline.step.ownerPlaceholder')}
      data-testid="step-owner"
    />
  );
}

export function PlanStepDialog({ record, onClose, onSaved }: DialogProps<PlanStep>) {
  const { t } = useI18n();
  const { form, saving, error, submit } = useRecordForm<PlanStep>({
    open: record !== null,
    record,
    fields: PLAN_STEP_FIELDS,
    initialValues: (r) => (r ? planStepValues(r) : undefined),
    save: async (values, r) => {
      const changes = planStepChanges(values, r!);
      return Object.keys(changes).length ? updatePlanStep(r!.id!, r!.version!, changes) : r;
    },
    onSaved: () => {
      onClose();
      onSaved();
    },
  });

  return (
    <Modal
      open={record !== null}
      title={t('pipeline.step.edit')}
      onCancel={() => {
        onClose();
        // After a refusal (409: changed meanwhile) the page reloads, so the next edit starts fresh.
        if (error) onSaved();
      }}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      width={560}
      okButtonProps={{ 'data-testid': 'step-save' } as never}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="step-error" /> : null}
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item
          name="title"
          label={t('pipeline.step.title')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('pipeline.step.title') }) }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} data-testid="step-title" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="owner_id" label={t('pipeline.step.owner')}>
              <OwnerSelect record={record} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="due_date" label={t('pipeline.step.due')}>
              <Input type="date" data-testid="step-due-date" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** Edit and delete (with a confirmation) buttons of one row. */
export function RowActions({
  kind,
  name,
  onEdit,
  onDelete,
  onDeleted,
}: {
  kind: 'sample' | 'step';
  name: string;
  onEdit: () => void;
  onDelete: () => Promise<unknown>;
  onDeleted: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const remove = async () => {
    try {
      await onDelete();
      message.success(t('common.deleted'));
      onDeleted();
    } catch (e) {
      message.error(describeError(e, t));
      onDeleted();
    }
  };
  return (
    <Space size={0}>
      <Tooltip title={t('common.edit')}>
        <Button
          type="text"
          size="small"
          icon={<EditOutlined />}
          onClick={onEdit}
          aria-label={`${t('common.edit')} ${name}`}
          data-testid={`${kind}-edit`}
        />
      </Tooltip>
      <Popconfirm
        title={t(kind === 'sample' ? 'pipeline.sample.deleteConfirm' : 'pipeline.step.deleteConfirm')}
        description={name.length > 40 ? `${name.slice(0, 40)}…` : name}
        onConfirm={() => remove()}
        okText={t('common.delete')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, 'data-testid': `${kind}-delete-ok` } as never}
      >
        <Tooltip title={t('common.delete')}>
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`${t('common.delete')} ${name}`}
            data-testid={`${kind}-delete`}
          />
        </Tooltip>
      </Popconfirm>
    </Space>
  );
}

export const removeSample = (s: OpportunitySample) => deleteSample(s.id!);
export const removePlanStep = (s: PlanStep) => deletePlanStep(s.id!);
