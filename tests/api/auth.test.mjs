// Authentication: login, logout, cookies + CSRF, throttling, 401s; the public endpoints.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, BASE_URL, request, get, post, del, expectStatus, expectProblem, login, admin,
  createDepartment, createUser, userSession, unique, USER_PASSWORD, listAll, serverErrors,
} from './lib.mjs';

describe('public endpoints', () => {
  test('GET /health needs no login', async () => {
    const res = expectStatus(await get('/health'), 200);
    assert.match(res.contentType, /application\/json/);
  });

  test('GET /openapi.json needs no login and is an OpenAPI document', async () => {
    const res = expectStatus(await get('/openapi.json'), 200);
    assert.ok(res.body, 'JSON body');
    assert.match(String(res.body.openapi), /^3\./, 'has an openapi version');
    assert.equal(typeof res.body.paths, 'object');
  });

  test('the OpenAPI document describes the account and auth endpoints', async () => {
    const res = expectStatus(await get('/openapi.json'), 200);
    const paths = Object.keys(res.body.paths || {});
    for (const p of ['/api/v1/accounts', '/api/v1/accounts/{id}', '/api/v1/auth/login']) {
      assert.ok(paths.includes(p) || paths.includes(p.replace('/api/v1', '')), `documents ${p}; documented: [${paths.join(', ')}]`);
    }
  });
});

describe('401 without a valid session', () => {
  for (const [method, path] of [
    ['GET', '/accounts'],
    ['POST', '/accounts'],
    ['GET', '/accounts/1'],
    ['PATCH', '/accounts/1'],
    ['DELETE', '/accounts/1'],
    ['GET', '/auth/me'],
    ['GET', '/users'],
    ['GET', '/departments'],
    ['GET', '/roles'],
    ['GET', '/audit?entity=account&entity_id=1'],
  ]) {
    test(`${method} ${path} without a token → 401`, async () => {
      const body = method === 'POST' || method === 'PATCH' ? { name: 'x', version: 1 } : undefined;
      expectProblem(await request(method, path, { body }), 401);
    });
  }

  test('a made-up bearer token → 401', async () => {
    expectProblem(await get('/accounts', 'not-a-real-token'), 401);
    expectProblem(await get('/accounts', 'A'.repeat(43)), 401);
  });

  test('a malformed Authorization header → 401', async () => {
    expectProblem(await request('GET', '/auth/me', { headers: { authorization: 'Basic YWRtaW46eA==' } }), 401);
    expectProblem(await request('GET', '/auth/me', { headers: { authorization: 'Bearer' } }), 401);
  });
});

describe('login', () => {
  let dept;
  before(async () => {
    dept = await createDepartment(unique('认证部'));
  });

  test('returns token, csrf_token, user and the two cookies', async () => {
    const u = await createUser({ username: unique('login'), departmentId: dept.id, roles: ['specialist'] });
    const res = await request('POST', '/auth/login', { body: { username: u.username, password: USER_PASSWORD } });
    expectStatus(res, 200);
    assert.equal(typeof res.body.token, 'string');
    assert.ok(res.body.token.length >= 32, 'token is long');
    assert.equal(typeof res.body.csrf_token, 'string');
    assert.ok(res.body.csrf_token.length >= 16);
    assert.notEqual(res.body.csrf_token, res.body.token);
    assert.equal(res.body.user.id, u.id);
    assert.equal(res.body.user.username, u.username);
    assert.equal(res.body.user.password, undefined, 'no password in the user');
    assert.equal(res.body.user.password_hash, undefined, 'no password hash in the user');
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('kam_session='));
    const csrf = cookies.find((c) => c.startsWith('kam_csrf='));
    assert.ok(session, `kam_session cookie set: ${cookies}`);
    assert.ok(csrf, `kam_csrf cookie set: ${cookies}`);
    assert.match(session, /;\s*HttpOnly/i, 'session cookie is HttpOnly');
    assert.match(session, /;\s*SameSite=Strict/i, 'session cookie is SameSite=Strict');
    assert.match(csrf, /;\s*SameSite=Strict/i, 'csrf cookie is SameSite=Strict');
    assert.doesNotMatch(csrf, /HttpOnly/i, 'the web app must be able to read the csrf cookie');
    assert.equal(csrf.split(';')[0].slice('kam_csrf='.length), res.body.csrf_token);
  });

  test('GET /auth/me returns the user, permissions and data scope', async () => {
    const s = await userSession({ username: unique('me'), departmentId: dept.id, roles: ['specialist'] });
    const res = expectStatus(await get('/auth/me', s), 200);
    assert.equal(res.body.id, s.user.id);
    assert.equal(res.body.data_scope, 'self');
    assert.ok(Array.isArray(res.body.permissions));
    assert.ok(res.body.permissions.includes('accounts.read'));
    assert.ok(res.body.permissions.includes('accounts.write'));
    assert.ok(!res.body.permissions.includes('accounts.delete'), 'specialist cannot delete');
    assert.ok(!res.body.permissions.includes('users.admin'));
    const a = expectStatus(await get('/auth/me', await admin()), 200);
    assert.equal(a.body.data_scope, 'all');
    for (const p of ['accounts.read', 'accounts.write', 'accounts.delete', 'users.read', 'users.admin', 'audit.read']) {
      assert.ok(a.body.permissions.includes(p), `admin has ${p}`);
    }
  });

  test('wrong password → 401; unknown user → 401; missing fields are not 500', async () => {
    const u = await createUser({ username: unique('wrong'), departmentId: dept.id, roles: ['specialist'] });
    expectProblem(await post('/auth/login', undefined, { username: u.username, password: 'not-the-password' }), 401);
    expectProblem(await post('/auth/login', undefined, { username: unique('nobody'), password: 'whatever-password' }), 401);
    const missing = await post('/auth/login', undefined, { username: u.username });
    assert.ok([400, 401, 422].includes(missing.status), `missing password: ${missing.status}`);
    const malformed = await request('POST', '/auth/login', { raw: '{"username":', contentType: 'application/json' });
    expectProblem(malformed, 400);
    // one wrong attempt does not lock the user out
    expectStatus(await post('/auth/login', undefined, { username: u.username, password: USER_PASSWORD }), 200);
  });

  test('five failed logins → 429 with Retry-After, even with the right password', async () => {
    const victim = await createUser({ username: unique('throttle'), departmentId: dept.id, roles: ['specialist'] });
    const bystander = await createUser({ username: unique('bystander'), departmentId: dept.id, roles: ['specialist'] });
    for (let i = 1; i <= 5; i += 1) {
      const res = await post('/auth/login', undefined, { username: victim.username, password: `wrong-password-${i}` });
      expectProblem(res, 401, undefined, `failed attempt ${i}`);
    }
    const locked = await post('/auth/login', undefined, { username: victim.username, password: USER_PASSWORD });
    expectProblem(locked, 429, undefined, 'right password after 5 failures');
    const retryAfter = locked.headers.get('retry-after');
    assert.ok(retryAfter, 'Retry-After header present');
    assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 900, `Retry-After is seconds within 15 min: ${retryAfter}`);
    assert.equal(locked.body.token, undefined, 'no token while throttled');
    // still locked on another try; and the throttle is per user
    expectProblem(await post('/auth/login', undefined, { username: victim.username, password: USER_PASSWORD }), 429);
    expectStatus(await post('/auth/login', undefined, { username: bystander.username, password: USER_PASSWORD }), 200);
  });
});

describe('logout', () => {
  let dept;
  before(async () => {
    dept = await createDepartment(unique('登出部'));
  });

  test('POST /auth/logout → 204 and the token stops working', async () => {
    const u = await createUser({ username: unique('logout'), departmentId: dept.id, roles: ['specialist'] });
    const s1 = await login(u.username);
    const s2 = await login(u.username);
    expectStatus(await get('/auth/me', s1), 200);
    expectStatus(await post('/auth/logout', s1), 204);
    expectProblem(await get('/auth/me', s1), 401, undefined, 'after logout');
    expectProblem(await get('/accounts', s1), 401, undefined, 'after logout');
    expectProblem(await post('/accounts', s1, { name: unique('after logout') }), 401);
    // the user's other session is untouched
    expectStatus(await get('/auth/me', s2), 200);
    // logging out twice does not revive anything
    const again = await post('/auth/logout', s1);
    assert.ok([204, 401].includes(again.status), `second logout: ${again.status}`);
    expectProblem(await get('/auth/me', s1), 401);
  });

  test('logout with the cookie needs the CSRF header, then revokes the cookie session', async () => {
    const u = await createUser({ username: unique('logoutc'), departmentId: dept.id, roles: ['specialist'] });
    const s = await login(u.username);
    const cookie = `kam_session=${s.cookies.kam_session}; kam_csrf=${s.cookies.kam_csrf}`;
    expectProblem(await request('POST', '/auth/logout', { headers: { cookie } }), 403, undefined, 'cookie logout without CSRF');
    expectStatus(await request('GET', '/auth/me', { headers: { cookie } }), 200, 'still logged in');
    expectStatus(await request('POST', '/auth/logout', { headers: { cookie, 'x-csrf-token': s.csrf } }), 204);
    expectProblem(await request('GET', '/auth/me', { headers: { cookie } }), 401, undefined, 'cookie after logout');
    expectProblem(await get('/auth/me', s), 401, undefined, 'bearer of the same session after logout');
  });
});

describe('cookie authentication and CSRF', () => {
  let s;
  let other;
  let cookie;
  before(async () => {
    const dept = await createDepartment(unique('CSRF部'));
    s = await userSession({ username: unique('csrf'), departmentId: dept.id, roles: ['manager'] });
    other = await userSession({ username: unique('csrf2'), departmentId: dept.id, roles: ['manager'] });
    cookie = `kam_session=${s.cookies.kam_session}; kam_csrf=${s.cookies.kam_csrf}`;
  });

  test('GET with the cookie alone works', async () => {
    const me = expectStatus(await request('GET', '/auth/me', { headers: { cookie } }), 200);
    assert.equal(me.body.id, s.user.id);
    expectStatus(await request('GET', '/accounts', { headers: { cookie } }), 200);
  });

  test('POST with the cookie but no X-CSRF-Token → 403 and nothing created', async () => {
    const name = unique('csrf-none');
    expectProblem(await request('POST', '/accounts', { headers: { cookie }, body: { name, industry: name } }), 403);
    const list = expectStatus(await get('/accounts', s, { industry: name }), 200);
    assert.equal(list.body.total, 0, 'nothing was created');
  });

  test('POST with a wrong or another session\'s X-CSRF-Token → 403', async () => {
    expectProblem(await request('POST', '/accounts', { headers: { cookie, 'x-csrf-token': 'wrong' }, body: { name: unique('csrf-wrong') } }), 403);
    expectProblem(await request('POST', '/accounts', { headers: { cookie, 'x-csrf-token': other.csrf }, body: { name: unique('csrf-other') } }), 403);
    expectProblem(await request('POST', '/accounts', { headers: { cookie, 'x-csrf-token': s.token }, body: { name: unique('csrf-token') } }), 403);
  });

  test('the CSRF cookie alone is not enough (header must be sent)', async () => {
    const onlyCookies = `kam_session=${s.cookies.kam_session}; kam_csrf=${s.cookies.kam_csrf}`;
    expectProblem(await request('POST', '/accounts', { headers: { cookie: onlyCookies }, body: { name: unique('csrf-cookie') } }), 403);
  });

  test('POST, PATCH and DELETE with cookie + correct X-CSRF-Token work; without it PATCH/DELETE → 403', async () => {
    const headers = { cookie, 'x-csrf-token': s.csrf };
    const created = expectStatus(await request('POST', '/accounts', { headers, body: { name: unique('csrf-ok') } }), 201);
    const id = created.body.id;
    expectProblem(await request('PATCH', `/accounts/${id}`, { headers: { cookie }, body: { version: 1, city: '杭州市' } }), 403);
    expectProblem(await request('DELETE', `/accounts/${id}`, { headers: { cookie } }), 403);
    const unchanged = expectStatus(await get(`/accounts/${id}`, s), 200);
    assert.equal(unchanged.body.version, 1);
    assert.equal(unchanged.body.city, null);
    const patched = expectStatus(await request('PATCH', `/accounts/${id}`, { headers, body: { version: 1, city: '杭州市' } }), 200);
    assert.equal(patched.body.version, 2);
    expectStatus(await request('DELETE', `/accounts/${id}`, { headers }), 204);
    expectProblem(await get(`/accounts/${id}`, s), 404);
  });

  test('bearer-authenticated writes need no CSRF header', async () => {
    expectStatus(await post('/accounts', s, { name: unique('bearer') }), 201);
  });
});

describe('users and departments administration', () => {
  let dept;
  let specialist;
  before(async () => {
    dept = await createDepartment(unique('管理部'));
    specialist = await userSession({ username: unique('nonadmin'), departmentId: dept.id, roles: ['specialist'] });
  });

  test('password shorter than 12 characters → 422 on field password', async () => {
    const res = await post('/users', await admin(), {
      username: unique('short'), password: 'Short-12345', display_name: 'x', department_id: dept.id, role_ids: [],
    });
    expectProblem(res, 422, 'password');
  });

  test('duplicate username → 409', async () => {
    const u = await createUser({ username: unique('dup'), departmentId: dept.id, roles: ['specialist'] });
    const res = await post('/users', await admin(), {
      username: u.username, password: USER_PASSWORD, display_name: 'dup', department_id: dept.id, role_ids: [],
    });
    expectProblem(res, 409);
  });

  test('GET /users/{id} and PATCH with version; stale version → 409', async () => {
    const a = await admin();
    const u = await createUser({ username: unique('patchme'), departmentId: dept.id, roles: ['specialist'] });
    const got = expectStatus(await get(`/users/${u.id}`, a), 200);
    assert.equal(got.body.username, u.username);
    assert.equal(got.body.password_hash, undefined);
    const p = expectStatus(await request('PATCH', `/users/${u.id}`, { token: a, body: { version: u.version, display_name: '新名字' } }), 200);
    assert.equal(p.body.display_name, '新名字');
    assert.equal(p.body.version, u.version + 1);
    expectProblem(await request('PATCH', `/users/${u.id}`, { token: a, body: { version: u.version, display_name: '旧' } }), 409);
    const list = await listAll('/users', a);
    assert.ok(list.items.some((x) => x.id === u.id), 'the new user is listed');
    assert.equal(list.total, list.items.length);
  });

  test('GET /users?q= finds a user by a part of the username or display name', async () => {
    const a = await admin();
    const u = await createUser({ username: unique('findme'), displayName: `查找用户${unique('')}`, departmentId: dept.id, roles: ['specialist'] });
    const byUsername = expectStatus(await get('/users', a, { q: u.username }), 200).body;
    assert.deepEqual(byUsername.items.map((x) => x.id), [u.id]);
    assert.equal(byUsername.total, 1);
    const byDisplay = expectStatus(await get('/users', a, { q: u.display_name }), 200).body;
    assert.deepEqual(byDisplay.items.map((x) => x.id), [u.id]);
    const upper = expectStatus(await get('/users', a, { q: u.username.toUpperCase() }), 200).body;
    assert.ok(upper.items.some((x) => x.id === u.id), 'username search is case-insensitive');
  });

  test('only users.admin may create departments and users (403 otherwise)', async () => {
    expectProblem(await post('/departments', specialist, { name: unique('nope'), parent_id: dept.id }), 403);
    expectProblem(await post('/users', specialist, {
      username: unique('nope'), password: USER_PASSWORD, display_name: 'x', department_id: dept.id, role_ids: [],
    }), 403);
  });

  test('department PATCH with version, DELETE 409 with users or children, 204 when empty', async () => {
    const a = await admin();
    const parent = await createDepartment(unique('父部'), dept.id);
    assert.equal(parent.parent_id, dept.id);
    assert.equal(parent.version, 1);
    assert.ok(parent.path.includes(`/${dept.id}/`) && parent.path.includes(`/${parent.id}/`), `path ${parent.path}`);
    const child = await createDepartment(unique('子部'), parent.id);
    const renamed = expectStatus(await request('PATCH', `/departments/${child.id}`, { token: a, body: { version: 1, name: unique('子部改') } }), 200);
    assert.equal(renamed.body.version, 2);
    expectProblem(await request('PATCH', `/departments/${child.id}`, { token: a, body: { version: 1, name: 'stale' } }), 409);
    expectProblem(await del(`/departments/${parent.id}`, a), 409, undefined, 'department with children');
    const member = await createUser({ username: unique('member'), departmentId: child.id, roles: ['specialist'] });
    expectProblem(await del(`/departments/${child.id}`, a), 409, undefined, 'department with users');
    const moved = expectStatus(await request('PATCH', `/users/${member.id}`, { token: a, body: { version: member.version, department_id: dept.id } }), 200);
    assert.equal(moved.body.department_id, dept.id);
    expectStatus(await del(`/departments/${child.id}`, a), 204);
    expectStatus(await del(`/departments/${parent.id}`, a), 204);
    const list = expectStatus(await get('/departments', a), 200);
    assert.ok(!list.body.items.some((d) => d.id === parent.id || d.id === child.id));
  });
});

test('the API base URL is reachable', () => {
  assert.ok(API.startsWith(BASE_URL));
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
