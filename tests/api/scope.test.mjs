// Data scope: who sees, changes and deletes which accounts.
// Tree (per run): 总部 → 大客户部 → {华东, 华南}
//   manager  (department_tree) in 大客户部
//   A, B     (self)            specialists in 华东
//   C        (self)            specialist in 华南
//   assistant (department)     in 华东
//   director (all), finance (all, read only) in 总部
// A record outside the caller's scope is 404 and never appears in lists or totals.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, request, expectStatus, expectProblem, admin, createDepartment,
  userSession, createAccount, unique, listAll, serverErrors,
} from './lib.mjs';

const TAG = unique('范围');
let dept = {};
let s = {};
let acc = {};

const ids = (items) => items.map((a) => a.id).sort((x, y) => x - y);
const idsOf = (...groups) => groups.flat().map((a) => a.id).sort((x, y) => x - y);

/** The caller's accounts of this file (industry TAG; all pages), with the list's total. */
async function tagged(session, extra = {}) {
  return listAll('/accounts', session, { industry: TAG, ...extra });
}

before(async () => {
  const root = await createDepartment(unique('总部'));
  const ka = await createDepartment(unique('大客户部'), root.id);
  const east = await createDepartment(unique('华东'), ka.id);
  const south = await createDepartment(unique('华南'), ka.id);
  dept = { root, ka, east, south };
  const mk = (key, departmentId, role) => userSession({ username: unique(key), displayName: `${key}${TAG}`, departmentId, roles: [role] });
  const [manager, a, b, c, assistant, director, finance] = await Promise.all([
    mk('mgr', ka.id, 'manager'),
    mk('specA', east.id, 'specialist'),
    mk('specB', east.id, 'specialist'),
    mk('specC', south.id, 'specialist'),
    mk('asst', east.id, 'assistant'),
    mk('dir', root.id, 'director'),
    mk('fin', root.id, 'finance'),
  ]);
  s = { manager, a, b, c, assistant, director, finance };
  const make = async (session, label, n) => {
    const out = [];
    for (let i = 1; i <= n; i += 1) {
      out.push(await createAccount(session, { name: `${TAG}${label}客户${i}`, industry: TAG, city: '苏州市' }));
    }
    return out;
  };
  acc = {
    a: await make(a, '甲', 3),
    b: await make(b, '乙', 2),
    c: await make(c, '丙', 2),
    assistant: await make(assistant, '内勤', 1),
    manager: await make(manager, '经理', 1),
    director: await make(director, '总监', 1),
    admin: await make(await admin(), '管理员', 1),
  };
});

describe('created accounts belong to the caller', () => {
  test('owner_id and department_id are the creator\'s', () => {
    for (const a of acc.a) {
      assert.equal(a.owner_id, s.a.user.id);
      assert.equal(a.department_id, dept.east.id);
    }
    for (const a of acc.c) {
      assert.equal(a.owner_id, s.c.user.id);
      assert.equal(a.department_id, dept.south.id);
    }
    assert.equal(acc.manager[0].department_id, dept.ka.id);
  });

  test('/auth/me reports each role\'s data scope', async () => {
    const expected = { manager: 'department_tree', a: 'self', b: 'self', c: 'self', assistant: 'department', director: 'all', finance: 'all' };
    for (const [key, scope] of Object.entries(expected)) {
      const me = expectStatus(await get('/auth/me', s[key]), 200);
      assert.equal(me.body.data_scope, scope, key);
    }
  });
});

describe('specialist B (self) and A\'s accounts', () => {
  test('GET A\'s account → 404', async () => {
    for (const a of acc.a) expectProblem(await get(`/accounts/${a.id}`, s.b), 404, undefined, `B GET ${a.id}`);
  });

  test('PATCH A\'s account → 404 and the account is unchanged', async () => {
    const target = acc.a[0];
    expectProblem(await patch(`/accounts/${target.id}`, s.b, { version: target.version, name: `${TAG}被篡改` }), 404);
    const after = expectStatus(await get(`/accounts/${target.id}`, s.a), 200);
    assert.equal(after.body.name, target.name);
    assert.equal(after.body.version, target.version);
  });

  test('DELETE A\'s account → 404 and the account still exists', async () => {
    const target = acc.a[1];
    expectProblem(await del(`/accounts/${target.id}`, s.b), 404);
    expectStatus(await get(`/accounts/${target.id}`, s.a), 200);
  });

  test('A\'s accounts are absent from B\'s list, search and total', async () => {
    const all = await listAll('/accounts', s.b);
    assert.equal(all.total, all.items.length, 'total = items when all pages are read');
    assert.deepEqual(ids(all.items), idsOf(acc.b), 'B lists exactly own accounts');
    const t = await tagged(s.b);
    assert.equal(t.total, acc.b.length);
    assert.deepEqual(ids(t.items), idsOf(acc.b));
    for (const a of acc.a) {
      const byName = expectStatus(await get('/accounts', s.b, { q: a.name }), 200);
      assert.equal(byName.body.total, 0, `search for A's name ${a.name}`);
      assert.deepEqual(byName.body.items, []);
      const byNo = expectStatus(await get('/accounts', s.b, { q: a.archive_no }), 200);
      assert.equal(byNo.body.total, 0, `search for A's archive_no ${a.archive_no}`);
    }
    const twoChars = expectStatus(await get('/accounts', s.b, { q: '甲客' }), 200);
    assert.equal(twoChars.body.total, 0, 'a two-character query matching only A\'s names finds nothing for B');
    const twoCharsA = expectStatus(await get('/accounts', s.a, { q: '甲客', industry: TAG }), 200);
    assert.deepEqual(ids(twoCharsA.body.items), idsOf(acc.a), 'the same query finds them for A');
    const byOwner = expectStatus(await get('/accounts', s.b, { owner_id: s.a.user.id }), 200);
    assert.equal(byOwner.body.total, 0, 'owner_id filter does not widen the scope');
    assert.deepEqual(byOwner.body.items, []);
    const byDept = expectStatus(await get('/accounts', s.b, { department_id: dept.east.id, industry: TAG }), 200);
    assert.deepEqual(ids(byDept.body.items), idsOf(acc.b), 'department filter does not widen the scope');
    assert.equal(byDept.body.total, acc.b.length);
  });

  test('audit of A\'s account → 404 for B, 200 for A', async () => {
    const target = acc.a[0];
    expectProblem(await get('/audit', s.b, { entity: 'account', entity_id: target.id }), 404);
    const own = expectStatus(await get('/audit', s.a, { entity: 'account', entity_id: target.id }), 200);
    assert.ok(own.body.total >= 1);
  });

  test('sending owner_id/department_id in a PATCH does not move the account', async () => {
    const mine = acc.b[1];
    const res = expectStatus(await patch(`/accounts/${mine.id}`, s.b, {
      version: mine.version, city: '无锡市', owner_id: s.a.user.id, department_id: dept.south.id,
    }), 200);
    assert.equal(res.body.owner_id, s.b.user.id);
    assert.equal(res.body.department_id, dept.east.id);
    assert.equal(res.body.city, '无锡市');
    expectProblem(await get(`/accounts/${mine.id}`, s.a), 404, undefined, 'A still cannot see it');
    expectProblem(await get(`/accounts/${mine.id}`, s.c), 404, undefined, 'C still cannot see it');
    acc.b[1] = res.body;
  });
});

describe('specialists', () => {
  test('a specialist cannot delete even an own account (403), and the account stays', async () => {
    const mine = acc.a[2];
    expectProblem(await del(`/accounts/${mine.id}`, s.a), 403);
    expectStatus(await get(`/accounts/${mine.id}`, s.a), 200);
  });

  test('C (华南) sees only own accounts; A\'s are 404', async () => {
    const t = await tagged(s.c);
    assert.deepEqual(ids(t.items), idsOf(acc.c));
    assert.equal(t.total, acc.c.length);
    expectProblem(await get(`/accounts/${acc.a[0].id}`, s.c), 404);
    expectProblem(await del(`/accounts/${acc.a[0].id}`, s.c), 404, undefined, 'delete out of scope is 404 before 403');
  });
});

describe('assistant in 华东 (department)', () => {
  test('sees A\'s, B\'s and own accounts, not C\'s nor the manager\'s', async () => {
    const t = await tagged(s.assistant);
    assert.deepEqual(ids(t.items), idsOf(acc.a, acc.b, acc.assistant));
    assert.equal(t.total, acc.a.length + acc.b.length + acc.assistant.length);
    expectStatus(await get(`/accounts/${acc.a[0].id}`, s.assistant), 200);
    expectStatus(await get(`/accounts/${acc.b[0].id}`, s.assistant), 200);
    for (const other of [...acc.c, ...acc.manager, ...acc.director, ...acc.admin]) {
      expectProblem(await get(`/accounts/${other.id}`, s.assistant), 404, undefined, `assistant GET ${other.name}`);
    }
    const search = expectStatus(await get('/accounts', s.assistant, { q: acc.c[0].name }), 200);
    assert.equal(search.body.total, 0);
  });

  test('may update a department account; may not delete (403) nor touch C\'s (404)', async () => {
    const target = acc.a[0];
    const cur = expectStatus(await get(`/accounts/${target.id}`, s.assistant), 200).body;
    const res = expectStatus(await patch(`/accounts/${target.id}`, s.assistant, { version: cur.version, address: '内勤补录地址' }), 200);
    assert.equal(res.body.version, cur.version + 1);
    assert.equal(res.body.owner_id, s.a.user.id, 'owner unchanged by another user\'s edit');
    acc.a[0] = res.body;
    expectProblem(await del(`/accounts/${target.id}`, s.assistant), 403);
    expectProblem(await patch(`/accounts/${acc.c[0].id}`, s.assistant, { version: 1, address: 'x' }), 404);
    expectProblem(await get('/audit', s.assistant, { entity: 'account', entity_id: acc.c[0].id }), 404);
    expectStatus(await get('/audit', s.assistant, { entity: 'account', entity_id: acc.a[0].id }), 200);
  });
});

describe('manager of 大客户部 (department_tree)', () => {
  test('sees all the team\'s accounts (华东, 华南, own) but not outside the tree', async () => {
    const t = await tagged(s.manager);
    assert.deepEqual(ids(t.items), idsOf(acc.a, acc.b, acc.c, acc.assistant, acc.manager));
    assert.equal(t.total, acc.a.length + acc.b.length + acc.c.length + acc.assistant.length + acc.manager.length);
    for (const other of [...acc.director, ...acc.admin]) {
      expectProblem(await get(`/accounts/${other.id}`, s.manager), 404, undefined, `manager GET ${other.name}`);
    }
    const south = expectStatus(await get('/accounts', s.manager, { industry: TAG, department_id: dept.south.id }), 200);
    assert.deepEqual(ids(south.body.items), idsOf(acc.c));
    assert.equal(south.body.total, acc.c.length);
    const byOwner = expectStatus(await get('/accounts', s.manager, { owner_id: s.a.user.id }), 200);
    assert.deepEqual(ids(byOwner.body.items), idsOf(acc.a));
  });

  test('may delete a team member\'s account (204); then it is gone for everyone', async () => {
    const victim = acc.c[1];
    expectStatus(await del(`/accounts/${victim.id}`, s.manager), 204);
    expectProblem(await get(`/accounts/${victim.id}`, s.manager), 404);
    expectProblem(await get(`/accounts/${victim.id}`, s.c), 404);
    expectProblem(await get(`/accounts/${victim.id}`, s.director), 404);
    const t = await tagged(s.c);
    assert.deepEqual(ids(t.items), idsOf(acc.c.slice(0, 1)));
    assert.equal(t.total, 1);
    acc.c = acc.c.slice(0, 1);
  });
});

describe('director (all)', () => {
  test('sees every account', async () => {
    const t = await tagged(s.director);
    assert.deepEqual(ids(t.items), idsOf(acc.a, acc.b, acc.c, acc.assistant, acc.manager, acc.director, acc.admin));
    assert.equal(t.total, t.items.length);
    expectStatus(await get(`/accounts/${acc.admin[0].id}`, s.director), 200);
    expectStatus(await get(`/accounts/${acc.c[0].id}`, s.director), 200);
  });
});

describe('finance (all, read only)', () => {
  test('reads every account and its audit', async () => {
    const t = await tagged(s.finance);
    assert.deepEqual(ids(t.items), idsOf(acc.a, acc.b, acc.c, acc.assistant, acc.manager, acc.director, acc.admin));
    assert.equal(t.total, t.items.length);
    expectStatus(await get(`/accounts/${acc.a[0].id}`, s.finance), 200);
    const audit = expectStatus(await get('/audit', s.finance, { entity: 'account', entity_id: acc.a[0].id }), 200);
    assert.ok(audit.body.total >= 2);
  });

  test('create → 403 and nothing is stored', async () => {
    const name = `${TAG}财务新建`;
    expectProblem(await post('/accounts', s.finance, { name, industry: TAG }), 403);
    const check = await tagged(s.director);
    assert.ok(!check.items.some((a) => a.name === name), 'not stored');
  });

  test('update and delete → 403 and the account is unchanged', async () => {
    const target = expectStatus(await get(`/accounts/${acc.b[0].id}`, s.finance), 200).body;
    expectProblem(await patch(`/accounts/${target.id}`, s.finance, { version: target.version, name: `${TAG}财务改名` }), 403);
    expectProblem(await del(`/accounts/${target.id}`, s.finance), 403);
    const after = expectStatus(await get(`/accounts/${target.id}`, s.director), 200).body;
    assert.equal(after.name, target.name);
    assert.equal(after.version, target.version);
  });

  test('cannot administer users or departments (403)', async () => {
    expectProblem(await post('/departments', s.finance, { name: unique('财务部'), parent_id: dept.root.id }), 403);
    expectProblem(await request('DELETE', `/departments/${dept.south.id}`, { token: s.finance }), 403);
  });
});

describe('scope follows the department tree as it changes', () => {
  test('a department created later under 华东 is in the manager\'s tree but not in the 华东 assistant\'s department', async () => {
    const group = await createDepartment(unique('苏州组'), dept.east.id);
    const d = await userSession({ username: unique('specD'), departmentId: group.id, roles: ['specialist'] });
    const a = await createAccount(d, { name: `${TAG}苏州组客户`, industry: TAG });
    expectStatus(await get(`/accounts/${a.id}`, s.manager), 200, 'manager sees the deeper department');
    expectProblem(await get(`/accounts/${a.id}`, s.assistant), 404, undefined, 'department scope is not the subtree');
    expectProblem(await get(`/accounts/${a.id}`, s.a), 404);
    expectStatus(await del(`/accounts/${a.id}`, s.manager), 204);
  });

  test('a user moved to another department keeps own records and sees the new department\'s', async () => {
    const ad = await admin();
    const mover = await userSession({ username: unique('mover'), departmentId: dept.east.id, roles: ['assistant'] });
    const own = await createAccount(mover, { name: `${TAG}调动前客户`, industry: TAG });
    assert.equal(own.department_id, dept.east.id);
    expectStatus(await get(`/accounts/${acc.a[0].id}`, mover), 200, 'sees 华东 before the move');
    const u = expectStatus(await get(`/users/${mover.user.id}`, ad), 200).body;
    expectStatus(await patch(`/users/${u.id}`, ad, { version: u.version, department_id: dept.south.id }), 200);
    const after = expectStatus(await get('/auth/me', mover), 200).body;
    assert.equal(after.department_id, dept.south.id, 'the session reflects the move');
    expectStatus(await get(`/accounts/${acc.c[0].id}`, mover), 200, 'sees 华南 after the move');
    expectProblem(await get(`/accounts/${acc.a[0].id}`, mover), 404, undefined, 'no longer sees 华东');
    expectStatus(await get(`/accounts/${own.id}`, mover), 200, 'still sees own record (+ own)');
    const t = await tagged(mover);
    assert.deepEqual(ids(t.items), idsOf(acc.c, [own]));
    assert.equal(t.total, acc.c.length + 1);
  });

  test('a deactivated user\'s session stops working', async () => {
    const ad = await admin();
    const gone = await userSession({ username: unique('gone'), departmentId: dept.east.id, roles: ['specialist'] });
    expectStatus(await get('/auth/me', gone), 200);
    const u = expectStatus(await get(`/users/${gone.user.id}`, ad), 200).body;
    const res = await patch(`/users/${u.id}`, ad, { version: u.version, active: false });
    expectStatus(res, 200, 'deactivate');
    assert.equal(res.body.active, false);
    expectProblem(await get('/auth/me', gone), 401, undefined, 'session of a deactivated user');
    expectProblem(await post('/auth/login', undefined, { username: gone.user.username, password: 'Test-Pass-2026!' }), 401, undefined, 'login of a deactivated user');
  });
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
