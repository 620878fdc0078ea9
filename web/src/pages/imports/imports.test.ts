import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError } from '../../api/client';
import { fileProblem, formatBytes, importForm, runImport, templateCsv, MAX_IMPORT_BYTES } from './service';

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'kam_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('import request', () => {
  it('sends kind, dry_run, on_duplicate and the file as multipart fields', () => {
    const form = importForm(new Blob(['名称\n甲']), '客户.csv', { kind: 'contacts', dryRun: false, onDuplicate: 'update' });
    expect(form.get('kind')).toBe('contacts');
    expect(form.get('dry_run')).toBe('false');
    expect(form.get('on_duplicate')).toBe('update');
    expect((form.get('file') as File).name).toBe('客户.csv');
  });

  it('posts with the CSRF header and no JSON content type, and reads the answer', async () => {
    document.cookie = 'kam_csrf=tok123';
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ kind: 'accounts', dry_run: true, rows: 3, valid: 2, created: 0, updated: 0, skipped: 0, errors: [{ row: 3, column: 'name', message: 'is required' }] }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const result = await runImport(new File(['x'], 'a.csv'), { kind: 'accounts', dryRun: true, onDuplicate: 'fail' });
    expect(result.rows).toBe(3);
    expect(result.errors).toEqual([{ row: 3, column: 'name', message: 'is required' }]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/imports');
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('tok123');
    expect(headers['Content-Type']).toBeUndefined();
    expect(init.body).toBeInstanceOf(FormData);
  });

  it('turns a 413 into an ApiError', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ title: 'Payload Too Large', status: 413 }), { status: 413, headers: { 'Content-Type': 'application/problem+json' } }));
    const error = await runImport(new File(['x'], 'a.csv'), { kind: 'accounts', dryRun: true, onDuplicate: 'fail' }).catch((e: unknown) => e);
    expect(isApiError(error) && error.status).toBe(413);
  });
});

describe('file checks before upload', () => {
  it('takes csv and xlsx up to 10 MB', () => {
    expect(fileProblem({ name: '客户.CSV', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'a.xlsx', size: MAX_IMPORT_BYTES })).toBeNull();
    expect(fileProblem({ name: 'a.xlsx', size: MAX_IMPORT_BYTES + 1 })).toBe('size');
    expect(fileProblem({ name: 'a.xls', size: 1 })).toBe('type');
  });

  it('offers a template with a BOM and Chinese headers', () => {
    expect(templateCsv('accounts').startsWith('\uFEFF客户名称,统一社会信用代码')).toBe(true);
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
