import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, problemToError, readCookie, request, setUnauthorizedHandler, api } from './client';

function jsonResponse(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

describe('api client', () => {
  const fetchMock = vi.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    document.cookie = 'kam_csrf=csrf-123';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setUnauthorizedHandler(null);
    document.cookie = 'kam_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('parses a problem+json error into status, title, detail and field errors', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        422,
        {
          type: 'https://kam/errors/validation',
          title: 'Validation failed',
          status: 422,
          detail: '2 fields are invalid',
          errors: [
            { field: 'name', message: '名称不能为空' },
            { field: 'city', message: 'too long' },
          ],
        },
        'application/problem+json',
      ),
    );
    const error = await api.post('/accounts', { name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.status).toBe(422);
    expect(e.title).toBe('Validation failed');
    expect(e.detail).toBe('2 fields are invalid');
    expect(e.errors).toHaveLength(2);
    expect(e.fieldMessage('name')).toBe('名称不能为空');
  });

  it('keeps a non-JSON error body as detail', async () => {
    fetchMock.mockResolvedValue(
      new Response('upstream down', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/plain' } }),
    );
    const e = (await api.get('/accounts').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(502);
    expect(e.detail).toBe('upstream down');
    expect(e.errors).toEqual([]);
  });

  it('turns a failed fetch into a status-0 ApiError', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const e = (await api.get('/accounts').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
  });

  it('sends the CSRF cookie value on state-changing methods only, and credentials always', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { ok: true }));
    await api.get('/accounts', { query: { q: '华为', limit: 20, offset: 0, sort: undefined } });
    await api.patch('/accounts/1', { version: 3, name: 'x' });
    await api.del('/accounts/1');
    const [getUrl, getInit] = fetchMock.mock.calls[0];
    expect(getUrl).toBe('/api/v1/accounts?q=%E5%8D%8E%E4%B8%BA&limit=20&offset=0');
    expect(getInit.credentials).toBe('same-origin');
    expect(getInit.headers['X-CSRF-Token']).toBeUndefined();
    const [, patchInit] = fetchMock.mock.calls[1];
    expect(patchInit.method).toBe('PATCH');
    expect(patchInit.headers['X-CSRF-Token']).toBe('csrf-123');
    expect(patchInit.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(patchInit.body)).toEqual({ version: 3, name: 'x' });
    expect(fetchMock.mock.calls[2][1].headers['X-CSRF-Token']).toBe('csrf-123');
  });

  it('calls the unauthorized handler on 401, unless the call opts out', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fetchMock.mockImplementation(async () => jsonResponse(401, { title: 'Unauthorized', status: 401 }, 'application/problem+json'));
    await expect(api.get('/accounts')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await expect(request('POST', '/auth/login', { body: {}, redirectOn401: false })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('returns undefined for 204 No Content', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.del('/accounts/7')).resolves.toBeUndefined();
  });
});

describe('client helpers', () => {
  it('reads a cookie among others', () => {
    expect(readCookie('kam_csrf', 'a=1; kam_csrf=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('missing', 'a=1')).toBeUndefined();
  });

  it('builds URLs without empty parameters', () => {
    expect(buildUrl('/users', { q: '', limit: 10, offset: undefined })).toBe('/api/v1/users?limit=10');
    expect(buildUrl('accounts')).toBe('/api/v1/accounts');
  });

  it('problemToError tolerates odd bodies', () => {
    expect(problemToError(500, null, 'Internal').title).toBe('Internal');
    expect(problemToError(400, { errors: 'nope' }).errors).toEqual([]);
  });
});
