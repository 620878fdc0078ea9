// The one HTTP client of the web app.
// - Sends the session cookie (same origin) and, on state-changing methods, the CSRF header
//   `X-CSRF-Token` with the value of the JS-readable `kam_csrf` cookie.
// - Turns every error response (application/problem+json, or anything else) into an ApiError,
//   in this one place; pages never look at raw responses.
// - On 401 sends the browser to /login (except for calls that opt out, such as the login call).

export const API_BASE = '/api/v1';
export const CSRF_COOKIE = 'kam_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** One per-field problem, as in problem+json `errors: [{field, message}]`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error answer of the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly type?: string;
  readonly errors: FieldError[];

  constructor(init: { status: number; title?: string; detail?: string; type?: string; errors?: FieldError[] }) {
    super(init.detail || init.title || `HTTP ${init.status}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title || `HTTP ${init.status}`;
    this.detail = init.detail;
    this.type = init.type;
    this.errors = init.errors ?? [];
  }

  /** The message of the first error on `field`, if any. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function asFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const out: FieldError[] = [];
  for (const item of value) {
    if (item && typeof item === 'object') {
      const { field, message } = item as Record<string, unknown>;
      out.push({ field: typeof field === 'string' ? field : '', message: typeof message === 'string' ? message : String(message ?? '') });
    }
  }
  return out;
}

/** Builds an ApiError from a problem+json body (already parsed) and the HTTP status. */
export function problemToError(status: number, body: unknown, statusText = ''): ApiError {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const p = body as Record<string, unknown>;
    return new ApiError({
      status: typeof p.status === 'number' ? p.status : status,
      title: typeof p.title === 'string' ? p.title : statusText,
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      type: typeof p.type === 'string' ? p.type : undefined,
      errors: asFieldErrors(p.errors),
    });
  }
  return new ApiError({ status, title: statusText, detail: typeof body === 'string' && body ? body : undefined });
}

/** Reads an error response: problem+json or JSON bodies are parsed, anything else kept as text. */
export async function parseErrorResponse(res: Response): Promise<ApiError> {
  const contentType = res.headers.get('content-type') ?? '';
  let body: unknown = undefined;
  try {
    const text = await res.text();
    if (text) body = /json/i.test(contentType) ? JSON.parse(text) : text.slice(0, 500);
  } catch {
    body = undefined;
  }
  return problemToError(res.status, body, res.statusText);
}

export function readCookie(
  name: string,
  cookieString: string = typeof document === 'undefined' ? '' : document.cookie,
): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export function buildUrl(path: string, query?: Query): string {
  const url = API_BASE + (path.startsWith('/') ? path : `/${path}`);
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Default true: a 401 answer sends the browser to the login page. */
  redirectOn401?: boolean;
}

type UnauthorizedHandler = () => void;

function defaultUnauthorizedHandler(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  const back = encodeURIComponent(pathname + search);
  window.location.assign(`/login?redirect=${back}`);
}

let onUnauthorized: UnauthorizedHandler = defaultUnauthorizedHandler;

/** Replaces the 401 reaction (tests; or the app, to navigate without a reload). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler ?? defaultUnauthorizedHandler;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const upper = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (STATE_CHANGING.has(upper)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method: upper,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, title: 'Network error', detail: cause instanceof Error ? cause.message : undefined });
  }
  if (!res.ok) {
    const error = await parseErrorResponse(res);
    if (res.status === 401 && options.redirectOn401 !== false) onUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  del: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
