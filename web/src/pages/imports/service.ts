// POST /imports (multipart/form-data): accounts or contacts from CSV or XLSX, as a dry run
// (check only) or for real (all or nothing). The JSON client cannot send a form, so this one
// call builds its own request, with the same CSRF header and the same error handling.
import { API_BASE, ApiError, CSRF_COOKIE, CSRF_HEADER, parseErrorResponse, readCookie } from '../../api/client';

export const IMPORT_KINDS = ['accounts', 'contacts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const ON_DUPLICATE = ['fail', 'skip', 'update'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];

/** The server refuses uploads above this (413); checked here first to save the upload. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export interface ImportRowError {
  row: number;
  column?: string | null;
  message: string;
}

export interface ImportResult {
  kind: ImportKind;
  dry_run: boolean;
  rows: number;
  valid: number;
  created: number;
  updated: number;
  skipped: number;
  errors: ImportRowError[];
}

export interface ImportOptions {
  kind: ImportKind;
  dryRun: boolean;
  onDuplicate: OnDuplicate;
}

/** The form fields of POST /imports, in the order the contract lists them. */
export function importForm(file: Blob, fileName: string, options: ImportOptions): FormData {
  const form = new FormData();
  form.append('kind', options.kind);
  form.append('dry_run', options.dryRun ? 'true' : 'false');
  form.append('on_duplicate', options.onDuplicate);
  form.append('file', file, fileName);
  return form;
}

export async function runImport(file: File, options: ImportOptions, signal?: AbortSignal): Promise<ImportResult> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/imports`, {
      method: 'POST',
      headers, // no Content-Type: the browser sets multipart/form-data with its boundary
      credentials: 'same-origin',
      body: importForm(file, file.name, options),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, title: 'Network error', detail: cause instanceof Error ? cause.message : undefined });
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const body = (await res.json()) as Partial<ImportResult>;
  return {
    kind: body.kind ?? options.kind,
    dry_run: body.dry_run ?? options.dryRun,
    rows: body.rows ?? 0,
    valid: body.valid ?? 0,
    created: body.created ?? 0,
    updated: body.updated ?? 0,
    skipped: body.skipped ?? 0,
    errors: Array.isArray(body.errors) ? body.errors : [],
  };
}

/** What is wrong with a chosen file before it is sent, or null. */
export function fileProblem(file: { name: string; size: number }): 'type' | 'size' | null {
  if (!/\.(csv|xlsx)$/i.test(file.name)) return 'type';
  if (file.size > MAX_IMPORT_BYTES) return 'size';
  return null;
}

/** Headers of the template CSV per kind (Chinese, as the 客户档案表 names them). */
export const TEMPLATE_HEADERS: Record<ImportKind, string[]> = {
  accounts: ['客户名称', '统一社会信用代码', '行业', '省份', '城市', '地址'],
  contacts: ['客户名称', '姓名', '职务', '电话'],
};

/** A template CSV: UTF-8 with BOM (so Excel reads the Chinese headers), one header line. */
export function templateCsv(kind: ImportKind): string {
  return `\uFEFF${TEMPLATE_HEADERS[kind].join(',')}\r\n`;
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
