// Shared helpers of the black-box API tests (not a test file itself).
//
// Run (against a running `kam serve`, SQLite or PostgreSQL):
//   KAM_URL=http://127.0.0.1:18090 KAM_ADMIN_PASSWORD='...' \
//     node --test --test-concurrency=1 tests/api/
//
// Every file of a run shares one database, so every name a test creates carries
// the per-run SUFFIX (and, where needed, a per-file tag) and tests never assume
// an empty table. Only Node 20's built-in fetch and test runner are used.
import assert from 'node:assert/strict';

export const BASE_URL = (process.env.KAM_URL || 'http://127.0.0.1:18090').replace(/\/+$/, '');
export const API = `${BASE_URL}/api/v1`;
export const ADMIN_USER = process.env.KAM_ADMIN_USER || 'admin';
export const ADMIN_PASSWORD = process.env.KAM_ADMIN_PASSWORD || '';
/** Password given to every user the tests create (≥ 12 characters). */
export const USER_PASSWORD = 'Test-Pass-2026!';

/** Every 5xx response this process has seen (files assert it stays empty). */
export const serverErrors = [];

let counter = 0;
/** A short suffix unique to this process (one test file) and run. */
export const SUFFIX = `${Date.now().toString(36)}${Math.floor(Math.random() * 46656).toString(36).padStart(3, '0')}`;
/** A name unique within the run: `${prefix}${SUFFIX}${n}`. */
export function unique(prefix = 't') {
  counter += 1;
  return `${prefix}${SUFFIX}${counter}`;
}

export function requireAdminPassword() {
  assert.ok(ADMIN_PASSWORD, 'set KAM_ADMIN_PASSWORD to the admin password of the server at KAM_URL');
}

/**
 * One HTTP request. Options:
 *   token    bearer token (or a session object from login())
 *   body     a value to send as JSON (content type application/json)
 *   raw      a string/Buffer to send as is (give contentType yourself)
 *   contentType, headers, query (object → query string)
 * Returns { status, headers, body (parsed JSON or null), text, contentType }.
 */
export async function request(method, path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const token = typeof options.token === 'object' && options.token ? options.token.token : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (options.raw !== undefined) {
    payload = options.raw;
    if (options.contentType) headers['content-type'] = options.contentType;
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = options.contentType || 'application/json';
  }
  let url = path.startsWith('http') ? path : `${API}${path}`;
  if (options.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined) qs.append(k, String(v));
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const res = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  if (res.status >= 500) serverErrors.push(`${method} ${url.replace(BASE_URL, '')} → ${res.status} ${text.slice(0, 200)}`);
  const contentType = res.headers.get('content-type') || '';
  let body = null;
  if (text && /json/.test(contentType)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return { status: res.status, headers: res.headers, body, text, contentType };
}

export const get = (path, token, query) => request('GET', path, { token, query });
export const post = (path, token, body) => request('POST', path, { token, body });
export const patch = (path, token, body) => request('PATCH', path, { token, body });
export const del = (path, token) => request('DELETE', path, { token });

/** Asserts the status; the message shows the body so failures say why. */
export function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what ? `${what}: ` : ''}expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res;
}

/** Asserts an application/problem+json error with the given status (and optional field). */
export function expectProblem(res, status, field, what = '') {
  expectStatus(res, status, what);
  assert.match(res.contentType, /^application\/problem\+json/, `${what} content type of a ${status}: ${res.contentType}`);
  assert.ok(res.body && typeof res.body === 'object', `${what} problem body is JSON`);
  assert.equal(res.body.status, status, `${what} problem.status`);
  assert.equal(typeof res.body.title, 'string', `${what} problem.title`);
  assert.equal(typeof res.body.type, 'string', `${what} problem.type`);
  assert.ok(Array.isArray(res.body.errors), `${what} problem.errors is an array`);
  if (field) {
    assert.ok(res.body.errors.length >= 1, `${what} problem.errors is not empty`);
    assert.ok(res.body.errors.some((e) => e.field === field), `${what} an error names field "${field}": ${res.text}`);
    assert.equal(res.body.errors[0].field, field, `${what} errors[0].field`);
    for (const e of res.body.errors) assert.equal(typeof e.message, 'string');
  }
  return res;
}

/** Logs in; returns { token, csrf, user, cookies: {name: value}, setCookies: [raw] }. */
export async function login(username, password = USER_PASSWORD) {
  const res = await request('POST', '/auth/login', { body: { username, password } });
  expectStatus(res, 200, `login ${username}`);
  const setCookies = res.headers.getSetCookie();
  const cookies = {};
  for (const c of setCookies) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    cookies[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return { token: res.body.token, csrf: res.body.csrf_token, user: res.body.user, cookies, setCookies };
}

let adminPromise;
/** The admin's session, logged in once per file. */
export function admin() {
  requireAdminPassword();
  if (!adminPromise) adminPromise = login(ADMIN_USER, ADMIN_PASSWORD);
  return adminPromise;
}

let rolesPromise;
/** Role code → id, from GET /roles. */
export async function roleIds() {
  if (!rolesPromise) {
    rolesPromise = (async () => {
      const a = await admin();
      const res = expectStatus(await get('/roles', a), 200, 'GET /roles');
      return Object.fromEntries(res.body.items.map((r) => [r.code, r.id]));
    })();
  }
  return rolesPromise;
}

export async function createDepartment(name, parentId = null, token) {
  const res = await post('/departments', token || (await admin()), { name, parent_id: parentId });
  expectStatus(res, 201, `create department ${name}`);
  return res.body;
}

/** Creates a user with the given role codes; returns the user record (password USER_PASSWORD). */
export async function createUser({ username, displayName, departmentId, roles = [], password = USER_PASSWORD }) {
  const ids = await roleIds();
  const roleIdList = roles.map((code) => {
    assert.ok(ids[code], `role ${code} exists`);
    return ids[code];
  });
  const res = await post('/users', await admin(), {
    username,
    password,
    display_name: displayName || username,
    department_id: departmentId,
    role_ids: roleIdList,
  });
  expectStatus(res, 201, `create user ${username}`);
  return res.body;
}

/** Creates a user and logs in as it; returns the session with .user. */
export async function userSession(options) {
  const user = await createUser(options);
  const session = await login(user.username, options.password || USER_PASSWORD);
  return session;
}

export async function createAccount(token, fields) {
  const body = typeof fields === 'string' ? { name: fields } : fields;
  const res = await post('/accounts', token, body);
  expectStatus(res, 201, `create account ${body.name}`);
  return res.body;
}

/** All items of a list (follows offset paging with limit 200). */
export async function listAll(path, token, query = {}) {
  const items = [];
  let total = 0;
  for (let offset = 0; ; offset += 200) {
    const res = expectStatus(await get(path, token, { ...query, limit: 200, offset }), 200, `GET ${path}`);
    total = res.body.total;
    items.push(...res.body.items);
    if (res.body.items.length < 200) break;
  }
  return { items, total };
}

export const ARCHIVE_NO = /^KA-\d{4}-\d{6}$/;
