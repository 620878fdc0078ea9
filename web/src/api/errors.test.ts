import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { describeError, formFieldErrors } from './errors';
import { translate, type Locale } from '../i18n';

const tr = (locale: Locale) => (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) =>
  translate(locale, key, vars);
const t = tr('zh-CN');

describe('describeError', () => {
  it('uses the override for the status first (409 on an edit)', () => {
    const e = new ApiError({ status: 409, title: 'Conflict', detail: 'version mismatch' });
    expect(describeError(e, t, { 409: 'error.stale' })).toBe('该记录已被他人修改，请刷新后重试');
    expect(describeError(e, tr('en'), { 409: 'error.stale' })).toBe('This record was changed by someone else, please reload and retry');
  });

  it("shows login failures in the user's words", () => {
    const overrides = { 401: 'login.badCredentials', 429: 'login.throttled' } as const;
    expect(describeError(new ApiError({ status: 401, title: 'Unauthorized' }), t, overrides)).toBe('用户名或密码错误');
    expect(describeError(new ApiError({ status: 429, title: 'Too Many Requests' }), t, overrides)).toBe('登录尝试次数过多，请稍后再试');
  });

  it('shows a localized text per status, with the server detail beside it (translated when known)', () => {
    expect(describeError(new ApiError({ status: 409, title: 'Conflict', detail: 'username exists' }), t)).toBe(
      '与现有数据冲突，请检查后重试（username exists）',
    );
    expect(describeError(new ApiError({ status: 409, title: 'Conflict', detail: 'username exists' }), tr('en'))).toBe('username exists');
    expect(describeError(new ApiError({ status: 409, title: 'Conflict', detail: 'the username is already taken' }), t)).toBe(
      '与现有数据冲突，请检查后重试（用户名已被占用）',
    );
    expect(describeError(new ApiError({ status: 403, title: 'Forbidden' }), t)).toBe('您没有执行此操作的权限');
    expect(describeError(new ApiError({ status: 503, title: '' }), t)).toBe('服务器错误（503），请稍后重试');
    expect(describeError(new ApiError({ status: 0, title: 'Network error' }), t)).toBe('网络错误，请检查连接后重试');
  });

  it('handles errors that are not API errors', () => {
    expect(describeError(new Error('boom'), t)).toBe('boom');
    expect(describeError('???', t)).toBe('操作失败，请稍后重试');
  });
});

describe('formFieldErrors', () => {
  const e = new ApiError({
    status: 422,
    title: 'Unprocessable',
    errors: [
      { field: 'name', message: 'required' },
      { field: 'name', message: 'too short' },
      { field: 'role_ids[0]', message: 'unknown role' },
      { field: 'owner_id', message: 'server field' },
      { field: '', message: 'general' },
    ],
  });

  it('groups messages per top-level field, in antd setFields shape', () => {
    expect(formFieldErrors(e)).toEqual([
      { name: ['name'], errors: ['required', 'too short'] },
      { name: ['role_ids'], errors: ['unknown role'] },
      { name: ['owner_id'], errors: ['server field'] },
    ]);
  });

  it('translates known server field messages', () => {
    const e422 = new ApiError({
      status: 422,
      title: 'Unprocessable Entity',
      errors: [
        { field: 'name', message: 'must not be blank' },
        { field: 'city', message: 'must be at most 50 characters' },
        { field: 'address', message: 'something new' },
      ],
    });
    expect(formFieldErrors(e422, undefined, t)).toEqual([
      { name: ['name'], errors: ['不能为空'] },
      { name: ['city'], errors: ['最多 50 个字符'] },
      { name: ['address'], errors: ['something new'] },
    ]);
    expect(formFieldErrors(e422, ['city'], tr('en'))).toEqual([{ name: ['city'], errors: ['must be at most 50 characters'] }]);
  });

  it('keeps only the fields the form has', () => {
    expect(formFieldErrors(e, ['name', 'city']).map((f) => f.name[0])).toEqual(['name']);
    expect(formFieldErrors(new Error('x'))).toEqual([]);
  });
});
