// Turns errors (ApiError from client.ts, or anything thrown) into what a person reads:
// one message for a notification, and per-field messages for an antd Form.
// The server's texts are English; the frequent ones are translated here, the rest are shown
// beside a localized message for the status.
import type { MessageKey, Translate } from '../i18n';
import { isApiError } from './client';

/** Per-status message keys that a caller can override (e.g. 409 → "changed by someone else"). */
export type StatusMessages = Partial<Record<number, MessageKey>>;

const DEFAULT_STATUS_KEYS: Record<number, MessageKey> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  409: 'error.409',
  413: 'error.413',
  415: 'error.415',
  422: 'error.422',
};

/** Known server messages (see src/platform/core/fields.cpp and the auth module) → dictionary keys. */
const SERVER_MESSAGES: { pattern: RegExp; key: MessageKey }[] = [
  { pattern: /^is required$/, key: 'server.isRequired' },
  { pattern: /^must not be blank$/, key: 'server.notBlank' },
  { pattern: /^must be at most (\d+) characters$/, key: 'server.atMost' },
  { pattern: /^must be at least (\d+) characters$/, key: 'server.atLeast' },
  { pattern: /^must not contain control characters$/, key: 'server.controlChars' },
  { pattern: /^department does not exist$/, key: 'server.departmentMissing' },
  { pattern: /^the username is already taken$/, key: 'server.usernameTaken' },
  { pattern: /^use 2-64 letters, digits, dot, underscore or hyphen$/, key: 'server.usernamePattern' },
];

/** A server message in the user's language when it is a known one; otherwise unchanged. */
export function localizeServerMessage(message: string, t: Translate): string {
  for (const { pattern, key } of SERVER_MESSAGES) {
    const match = pattern.exec(message.trim());
    if (match) return t(key, { n: match[1] });
  }
  return message;
}

/**
 * The message to show for `error`. An override for the status wins; otherwise a localized text
 * for the status, with the server's `detail` (it explains this case) beside it.
 */
export function describeError(error: unknown, t: Translate, overrides: StatusMessages = {}): string {
  if (!isApiError(error)) {
    return error instanceof Error && error.message ? error.message : t('error.unknown');
  }
  const override = overrides[error.status];
  if (override) return t(override);
  if (error.status === 0) return t('error.network');
  const key = DEFAULT_STATUS_KEYS[error.status];
  const message = key ? t(key) : error.status >= 500 ? t('error.server', { status: error.status }) : error.title || t('error.unknown');
  if (!error.detail) return message;
  return t('error.withDetail', { message, detail: localizeServerMessage(error.detail, t) });
}

export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

/**
 * Per-field errors of a 422 (or any problem with `errors`) in the shape of antd's
 * `form.setFields`. Field paths such as "address.city" or "role_ids[0]" become top-level names.
 * Only fields in `known` (when given) are returned; the rest stay in the general message.
 */
export function formFieldErrors(error: unknown, known?: readonly string[], t?: Translate): FormFieldError[] {
  if (!isApiError(error)) return [];
  const byField = new Map<string, string[]>();
  for (const { field, message } of error.errors) {
    if (!field) continue;
    const top = field.replace(/^\//, '').split(/[.[/]/)[0];
    if (known && !known.includes(top)) continue;
    const list = byField.get(top) ?? [];
    list.push(t ? localizeServerMessage(message, t) : message);
    byField.set(top, list);
  }
  return [...byField].map(([field, errors]) => ({ name: [field], errors }));
}
