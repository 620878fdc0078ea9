// The create / edit dialog of one record (contact, secondary customer, competitor, ...): reset
// the form when the dialog opens, validate, save, say "saved" or "created", put a 422's field
// errors under their fields and the rest in one message (a 409 while editing is a stale copy).
import { useEffect, useState } from 'react';
import { App as AntApp, Form } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError, formFieldErrors, type FormFieldError } from '../../../api/errors';
import { isApiError } from '../../../api/client';

export interface RecordFormOptions<R> {
  open: boolean;
  /** The record being edited; null while creating. */
  record: R | null;
  /** Field names the server may report errors for (default: shown under the field). */
  fields: readonly string[];
  /** Form values right after the dialog opens (undefined: empty). */
  initialValues: (record: R | null) => Record<string, unknown> | undefined;
  /** Also run when the dialog opens (e.g. load a picker's first page). */
  onOpen?: (record: R | null) => void;
  save: (values: Record<string, unknown>, record: R | null) => Promise<unknown>;
  onSaved: () => void;
  /** Moves server field errors to the form's own field names. */
  mapFieldErrors?: (errors: FormFieldError[]) => FormFieldError[];
  /** A 409 while creating is a duplicate: this message, also under `field` when given. */
  duplicate?: { message: MessageKey; field?: string };
}

export function useRecordForm<R>(options: RecordFormOptions<R>) {
  const { open, record, fields, initialValues, onOpen, save, onSaved, mapFieldErrors, duplicate } = options;
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    const values = initialValues(record);
    if (values) form.setFieldsValue(values);
    onOpen?.(record);
    // The callbacks are the caller's inline functions: the dialog resets on open and record only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, record, form]);

  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await save(values, record);
      message.success(record ? t('common.saved') : t('common.created'));
      onSaved();
    } catch (e) {
      const found = formFieldErrors(e, fields, t);
      const errors = mapFieldErrors ? mapFieldErrors(found) : found;
      if (errors.length) form.setFields(errors as never);
      const conflict = isApiError(e) && e.status === 409;
      if (conflict && !record && duplicate?.field) form.setFields([{ name: [duplicate.field], errors: [t(duplicate.message)] }]);
      const overrides = conflict ? (record ? { 409: 'error.stale' } : duplicate ? { 409: duplicate.message } : {}) : {};
      setError(describeError(e, t, overrides as never));
    } finally {
      setSaving(false);
    }
  };

  return { form, saving, error, submit };
}
