// New account (/accounts/new) and edit (/accounts/:id/edit): every field of the customer
// archive, grouped as on the 客户档案表 (基本信息, 经营信息, 需求与偏好, 分类), enums as selects with
// Chinese labels, the annual revenue in yuan (integer fen on the wire), province and city with
// suggestions from the official division list. Server-side validation (422) shows under the
// fields; a stale edit (409) says the record was changed by someone else.
import { useEffect, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, App as AntApp, AutoComplete, Button, Card, Col, Divider, Form, Input, Result, Row, Select, Space, Spin, Typography } from 'antd';
import type { FormInstance, FormRule } from 'antd';
import { useI18n, type Translate } from '../../i18n';
import { describeError, formFieldErrors } from '../../api/errors';
import { isApiError } from '../../api/client';
import { citiesOf, divisionProblem, useDivisions, type Province } from '../../components/divisions';
import {
  ARCHIVE_FIELDS,
  ARCHIVE_FIELD_NAMES,
  ENUMS,
  SECTIONS,
  SECTION_LABELS,
  creditCodeProblem,
  enumLabelKey,
  fieldMax,
  normalizeCreditCode,
  type ArchiveAccount,
  type EnumField,
  type FieldSpec,
} from './archive';
import { fenToYuan, yuanToFen } from './money';
import { createAccount, getAccount, updateAccount } from './service';

/** Field names of the original form (kept for callers that only know those). */
export const ACCOUNT_FIELDS = ARCHIVE_FIELD_NAMES;

type FormValues = Record<string, unknown>;
type Body = Record<string, string | number | null>;

function trimmed(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw).trim();
}

/** A whole number typed on the form → number, null when blank, undefined when not digits. */
export function parseInteger(raw: unknown): number | null | undefined {
  const text = trimmed(raw).replace(/[,，\s]/g, '');
  if (text === '') return null;
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The wire value of one field from the form's value (null = empty). */
function wireValue(spec: FieldSpec, raw: unknown): string | number | null {
  switch (spec.kind) {
    case 'enum':
      return typeof raw === 'string' && raw ? raw : null;
    case 'integer':
      return parseInteger(raw) ?? null;
    case 'money':
      return yuanToFen(trimmed(raw)) ?? null;
    default: {
      const text = trimmed(raw);
      if (spec.name === 'credit_code') return normalizeCreditCode(text) || null;
      return text || null;
    }
  }
}

/** The value the record holds, in the same terms as wireValue (null = empty). */
function recordValue(spec: FieldSpec, account: ArchiveAccount): string | number | null {
  const value = (account as unknown as Record<string, unknown>)[spec.name];
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'number' || typeof value === 'string' ? value : String(value);
}

/** The body of POST /accounts: trimmed values, empty optional fields left out, money in fen. */
export function toCreateInput(values: FormValues): Body {
  const out: Body = { name: trimmed(values.name) };
  for (const spec of ARCHIVE_FIELDS) {
    if (spec.name === 'tier_override_reason' && !values.tier) continue;
    const value = wireValue(spec, values[spec.name]);
    if (value !== null) out[spec.name] = value;
  }
  return out;
}

/**
 * The fields of PATCH /accounts/{id}: only what differs from the loaded record, so the audit
 * log shows exactly what the user changed. A cleared text field is sent as "", a cleared
 * select or number as null. The tier's reason goes along whenever the tier changes.
 */
export function toChanges(values: FormValues, original: ArchiveAccount): Body {
  const out: Body = {};
  for (const spec of ARCHIVE_FIELDS) {
    const value = wireValue(spec, values[spec.name]);
    const before = recordValue(spec, original);
    if (value === before) continue;
    const isText = spec.kind === 'text' || spec.kind === 'textarea' || spec.kind === 'province' || spec.kind === 'city';
    out[spec.name] = value === null && isText ? '' : value;
  }
  if ('tier' in out && out.tier !== null && !('tier_override_reason' in out)) {
    out.tier_override_reason = trimmed(values.tier_override_reason);
  }
  return out;
}

/** The form's values for a loaded record (money as yuan with two decimals). */
export function toFormValues(account: ArchiveAccount): FormValues {
  const values: FormValues = {};
  for (const spec of ARCHIVE_FIELDS) {
    const value = (account as unknown as Record<string, unknown>)[spec.name];
    if (spec.kind === 'enum') values[spec.name] = typeof value === 'string' && value ? value : undefined;
    else if (spec.kind === 'money') values[spec.name] = fenToYuan(value as number | null | undefined);
    else if (spec.kind === 'integer') values[spec.name] = value === null || value === undefined ? '' : String(value);
    else values[spec.name] = value === null || value === undefined ? '' : String(value);
  }
  if (!values.relationship_stage) values.relationship_stage = 'establish';
  return values;
}

/** Field-level checks the server makes too, so the person sees them before saving. */
function rulesFor(spec: FieldSpec, t: Translate, provinces: Province[], original: ArchiveAccount | null): FormRule[] {
  switch (spec.name) {
    case 'name':
      return [{ required: true, whitespace: true, message: t('account.nameRequired') }];
    case 'relationship_stage':
      return [{ required: true, message: t('account.selectPlaceholder') }];
    case 'credit_code':
      return [
        {
          validator: async (_rule, raw) => {
            const code = normalizeCreditCode(trimmed(raw));
            if (!code) return;
            const problem = creditCodeProblem(code);
            if (problem === 'length') throw new Error(t('account.creditCodeLength'));
            if (problem === 'characters') throw new Error(t('account.creditCodeCharacters'));
            if (problem === 'checksum') throw new Error(t('account.creditCodeChecksum'));
          },
        },
      ];
    case 'province':
      return [
        {
          validator: async (_rule, raw) => {
            if (divisionProblem(provinces, trimmed(raw), '') === 'province') throw new Error(t('account.provinceUnknown'));
          },
        },
      ];
    case 'city':
      return [
        ({ getFieldValue }) => ({
          validator: async (_rule, raw) => {
            if (divisionProblem(provinces, trimmed(getFieldValue('province')), trimmed(raw)) === 'city') throw new Error(t('account.cityUnknown'));
          },
        }),
      ];
    case 'website':
      return [
        {
          validator: async (_rule, raw) => {
            if (/\s/.test(trimmed(raw))) throw new Error(t('account.websiteInvalid'));
          },
        },
      ];
    case 'tier_override_reason':
      return [
        ({ getFieldValue }) => ({
          validator: async (_rule, raw) => {
            const tier = getFieldValue('tier') as string | undefined;
            const changed = tier && tier !== (original?.tier ?? undefined);
            if (changed && !trimmed(raw)) throw new Error(t('account.tierReasonRequired'));
          },
        }),
      ];
    default:
      break;
  }
  if (spec.kind === 'integer') {
    const min = spec.min ?? 0;
    const max = fieldMax(spec) ?? Number.MAX_SAFE_INTEGER;
    return [
      {
        validator: async (_rule, raw) => {
          const value = parseInteger(raw);
          if (value === null) return;
          if (value === undefined) throw new Error(t('account.integerInvalid'));
          if (value < min || value > max) throw new Error(t('account.integerRange', { min, max }));
        },
      },
    ];
  }
  if (spec.kind === 'money') {
    return [
      {
        validator: async (_rule, raw) => {
          if (yuanToFen(trimmed(raw)) === undefined) throw new Error(t('account.moneyInvalid'));
        },
      },
    ];
  }
  return [];
}

function testId(name: string): string {
  return `account-${name.replace(/_/g, '-')}`;
}

interface FieldInputProps {
  spec: FieldSpec;
  form: FormInstance;
  provinces: Province[];
  /** Injected by Form.Item: value, onChange, id … — passed on to the control. */
  [control: string]: unknown;
}

function FieldInput({ spec, form, provinces, ...control }: FieldInputProps) {
  const { t } = useI18n();
  const province = Form.useWatch('province', form) as string | undefined;
  const id = testId(spec.name);
  switch (spec.kind) {
    case 'enum':
      return (
        <Select
          {...control}
          allowClear={spec.name !== 'relationship_stage'}
          placeholder={t('account.selectPlaceholder')}
          data-testid={id}
          options={ENUMS[spec.name as EnumField].map((value) => ({ value, label: t(enumLabelKey(spec.name as EnumField, value)) }))}
        />
      );
    case 'textarea':
      return <Input.TextArea {...control} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={spec.maxLength} data-testid={id} />;
    case 'integer':
      return <Input {...control} inputMode="numeric" maxLength={16} data-testid={id} />;
    case 'money':
      return <Input {...control} inputMode="decimal" maxLength={24} suffix="元" data-testid={id} />;
    case 'province':
      return (
        <AutoComplete
          {...control}
          options={provinces.map((p) => ({ value: p.name }))}
          filterOption={(input, option) => String(option?.value ?? '').includes(input.trim())}
        >
          <Input maxLength={spec.maxLength} data-testid={id} />
        </AutoComplete>
      );
    case 'city':
      return (
        <AutoComplete
          {...control}
          options={citiesOf(provinces, (province ?? '').trim()).map((c) => ({ value: c.name }))}
          filterOption={(input, option) => String(option?.value ?? '').includes(input.trim())}
        >
          <Input maxLength={spec.maxLength} data-testid={id} />
        </AutoComplete>
      );
    default:
      return <Input {...control} maxLength={spec.maxLength} data-testid={id} />;
  }
}

export default function AccountForm() {
  const { id } = useParams();
  const isEdit = id !== undefined;
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const provinces = useDivisions();
  const tier = Form.useWatch('tier', form) as string | undefined;
  const [account, setAccount] = useState<ArchiveAccount | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(isEdit);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);

  const load = async () => {
    if (!id) return;
    setLoading(true);
    setLoadError(null);
    try {
      const a = await getAccount(id);
      setAccount(a);
      form.resetFields();
      form.setFieldsValue(toFormValues(a));
      setStale(false);
      setFormError(null);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const onFinish = async (values: FormValues) => {
    setSaving(true);
    setFormError(null);
    setStale(false);
    try {
      const saved = isEdit && account ? await updateAccount(account.id, account.version, toChanges(values, account)) : await createAccount(toCreateInput(values));
      message.success(isEdit ? t('common.saved') : t('common.created'));
      navigate(`/accounts/${saved.id}`);
    } catch (error) {
      const duplicateCode =
        isApiError(error) &&
        error.status === 409 &&
        (error.fieldMessage('credit_code') !== undefined || /credit|信用代码/i.test(`${error.detail ?? ''} ${error.title}`));
      if (isApiError(error) && error.status === 409 && isEdit && !duplicateCode) {
        setStale(true);
        setFormError(t('error.stale'));
      } else {
        let fields = formFieldErrors(error, ARCHIVE_FIELD_NAMES, t);
        // A credit code another account already has (409) belongs under that field, in words.
        if (duplicateCode) {
          fields = [...fields.filter((f) => f.name[0] !== 'credit_code'), { name: ['credit_code'], errors: [t('account.creditCodeTaken')] }];
        }
        if (fields.length) form.setFields(fields);
        setFormError(describeError(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  if (loading) {
    return (
      <Card>
        <Spin />
      </Card>
    );
  }
  if (loadError) {
    return <Result status="warning" title={describeError(loadError, t)} extra={<Button onClick={() => navigate('/accounts')}>{t('common.back')}</Button>} />;
  }

  const extraFor = (spec: FieldSpec): ReactNode => {
    if (spec.name === 'credit_code') return t('account.creditCodeHint');
    if (spec.name === 'annual_revenue_fen') return t('account.moneyHint');
    if (spec.name === 'tier') return t('account.tierHelp');
    return undefined;
  };

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {isEdit ? t('account.edit') : t('account.new')}
        {account ? (
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {account.archive_no}
          </Typography.Text>
        ) : null}
      </Typography.Title>
      {formError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16, maxWidth: 880 }}
          message={formError}
          data-testid="form-error"
          action={
            stale ? (
              <Button size="small" onClick={() => void load()}>
                {t('common.reload')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        style={{ maxWidth: 880 }}
        initialValues={{ relationship_stage: 'establish' }}
        scrollToFirstError
        data-testid="account-form"
      >
        {SECTIONS.map((section) => (
          <section key={section} data-testid={`account-section-${section}`}>
            <Divider orientation="left" orientationMargin={0} style={{ marginTop: section === 'basic' ? 0 : 8 }}>
              {t(SECTION_LABELS[section])}
            </Divider>
            <Row gutter={16}>
              {ARCHIVE_FIELDS.filter((spec) => spec.section === section).map((spec) => {
                if (spec.name === 'tier_override_reason' && !tier && !account?.tier_override_reason) return null;
                return (
                  <Col key={spec.name} xs={24} sm={spec.wide ? 24 : 12}>
                    <Form.Item
                      name={spec.name}
                      label={t(spec.label)}
                      extra={extraFor(spec)}
                      rules={rulesFor(spec, t, provinces, account)}
                      dependencies={spec.name === 'city' ? ['province'] : spec.name === 'tier_override_reason' ? ['tier'] : undefined}
                      normalize={spec.name === 'credit_code' ? (v: unknown) => normalizeCreditCode(String(v ?? '')) : undefined}
                    >
                      <FieldInput spec={spec} form={form} provinces={provinces} />
                    </Form.Item>
                  </Col>
                );
              })}
            </Row>
          </section>
        ))}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="account-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(isEdit ? `/accounts/${id}` : '/accounts')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
