// Audit log: every create/update/delete of an account writes exactly one row with before/after.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, expectStatus, expectProblem, admin, createDepartment, userSession,
  createAccount, unique, serverErrors,
} from './lib.mjs';

let dept;
let spec;
let assistant;
let manager;
let director;
let finance;

const audit = async (session, id, extra = {}) => get('/audit', session, { entity: 'account', entity_id: id, ...extra });

before(async () => {
  dept = await createDepartment(unique('审计部'));
  [spec, assistant, manager, director, finance] = await Promise.all([
    userSession({ username: unique('auds'), displayName: '审计专员', departmentId: dept.id, roles: ['specialist'] }),
    userSession({ username: unique('auda'), displayName: '审计内勤', departmentId: dept.id, roles: ['assistant'] }),
    userSession({ username: unique('audm'), displayName: '审计经理', departmentId: dept.id, roles: ['manager'] }),
    userSession({ username: unique('audd'), displayName: '审计总监', departmentId: dept.id, roles: ['director'] }),
    userSession({ username: unique('audf'), displayName: '审计财务', departmentId: dept.id, roles: ['finance'] }),
  ]);
});

function checkRow(row, { action, userId, entityId }) {
  assert.ok(Number.isInteger(row.id), 'row id');
  assert.equal(row.action, action);
  assert.equal(row.entity, 'account');
  assert.equal(row.entity_id, entityId);
  assert.equal(row.user_id, userId);
  assert.equal(typeof row.user_name, 'string');
  assert.ok(row.user_name.length > 0, 'user_name');
  assert.ok(!Number.isNaN(Date.parse(row.at)), `at parses: ${row.at}`);
}

describe('create, update, delete each write one row', () => {
  let a;
  let v2;
  let v3;

  test('create → one row: action create, before null, after = the account', async () => {
    a = await createAccount(spec, { name: unique('审计客户'), city: '苏州市', industry: '电子' });
    const res = expectStatus(await audit(spec, a.id), 200).body;
    assert.equal(res.total, 1);
    assert.equal(res.items.length, 1);
    const [row] = res.items;
    checkRow(row, { action: 'create', userId: spec.user.id, entityId: a.id });
    assert.equal(row.user_name, '审计专员');
    assert.ok(row.before === null || row.before === undefined, `before of a create: ${JSON.stringify(row.before)}`);
    assert.equal(row.after.name, a.name);
    assert.equal(row.after.city, '苏州市');
    assert.equal(row.after.archive_no, a.archive_no);
    assert.equal(row.after.version, 1);
  });

  test('update → one more row, newest first, before/after show the change', async () => {
    v2 = expectStatus(await patch(`/accounts/${a.id}`, spec, { version: 1, city: '无锡市' }), 200).body;
    const res = expectStatus(await audit(spec, a.id), 200).body;
    assert.equal(res.total, 2);
    assert.deepEqual(res.items.map((r) => r.action), ['update', 'create']);
    const [row] = res.items;
    checkRow(row, { action: 'update', userId: spec.user.id, entityId: a.id });
    assert.equal(row.before.city, '苏州市');
    assert.equal(row.after.city, '无锡市');
    assert.equal(row.before.version, 1);
    assert.equal(row.after.version, 2);
    assert.equal(row.before.name, a.name);
    assert.equal(row.after.name, a.name);
    assert.ok(res.items[0].id > res.items[1].id || Date.parse(res.items[0].at) >= Date.parse(res.items[1].at), 'newest first');
  });

  test('rejected writes (409 stale, 422 invalid, 403 forbidden, 404 out of scope) write no row', async () => {
    expectProblem(await patch(`/accounts/${a.id}`, spec, { version: 1, city: '常州' }), 409);
    expectProblem(await patch(`/accounts/${a.id}`, spec, { version: 2, name: '' }), 422);
    expectProblem(await patch(`/accounts/${a.id}`, finance, { version: 2, city: '常州' }), 403);
    expectProblem(await del(`/accounts/${a.id}`, spec), 403);
    expectProblem(await del(`/accounts/${a.id}`, finance), 403);
    const res = expectStatus(await audit(spec, a.id), 200).body;
    assert.equal(res.total, 2);
  });

  test('an update by another user records that user', async () => {
    v3 = expectStatus(await patch(`/accounts/${a.id}`, assistant, { version: v2.version, address: '新区 1 号' }), 200).body;
    const res = expectStatus(await audit(spec, a.id), 200).body;
    assert.equal(res.total, 3);
    checkRow(res.items[0], { action: 'update', userId: assistant.user.id, entityId: a.id });
    assert.equal(res.items[0].user_name, '审计内勤');
    assert.equal(res.items[0].before.address, null);
    assert.equal(res.items[0].after.address, '新区 1 号');
    assert.equal(res.items[0].after.version, v3.version);
  });

  test('readers with scope see the same history (assistant, manager, director, finance)', async () => {
    for (const s of [assistant, manager, director, finance]) {
      const res = expectStatus(await audit(s, a.id), 200).body;
      assert.equal(res.total, 3);
      assert.deepEqual(res.items.map((r) => r.action), ['update', 'update', 'create']);
    }
  });

  test('audit paging: limit/offset are consistent with total', async () => {
    const p1 = await audit(spec, a.id, { limit: 1 });
    if (p1.status === 400) return; // paging not offered on audit: nothing more to check
    expectStatus(p1, 200);
    assert.equal(p1.body.total, 3);
    assert.equal(p1.body.items.length, 1);
    assert.equal(p1.body.items[0].action, 'update');
    const p3 = expectStatus(await audit(spec, a.id, { limit: 1, offset: 2 }), 200).body;
    assert.equal(p3.items[0].action, 'create');
  });

  test('delete → one row: action delete, before = last state, after null (read by the director)', async () => {
    expectStatus(await del(`/accounts/${a.id}`, manager), 204);
    // The history of a deleted account must stay readable to someone: a director sees everything.
    const res = await audit(director, a.id);
    expectStatus(res, 200, 'director reads the audit of a deleted account');
    assert.equal(res.body.total, 4);
    assert.deepEqual(res.body.items.map((r) => r.action), ['delete', 'update', 'update', 'create']);
    const [row] = res.body.items;
    checkRow(row, { action: 'delete', userId: manager.user.id, entityId: a.id });
    assert.equal(row.before.name, a.name);
    assert.equal(row.before.address, '新区 1 号');
    assert.equal(row.before.version, v3.version);
    assert.ok(row.after === null || row.after === undefined, `after of a delete: ${JSON.stringify(row.after)}`);
  });
});

describe('audit visibility and input', () => {
  test('another specialist gets 404 for the audit of an account outside their scope', async () => {
    const other = await userSession({ username: unique('audo'), departmentId: dept.id, roles: ['specialist'] });
    const a = await createAccount(spec, unique('他人审计'));
    expectProblem(await audit(other, a.id), 404);
    expectStatus(await audit(spec, a.id), 200);
  });

  test('audit of an account that never existed → 404', async () => {
    expectProblem(await audit(await admin(), 999999999), 404);
  });

  test('bad audit queries → 400/404/422, never 500', async () => {
    const ad = await admin();
    for (const query of [{}, { entity: 'account' }, { entity: 'account', entity_id: 'abc' }, { entity: 'account', entity_id: '-1' }, { entity: 'nosuch', entity_id: '1' }, { entity: "account'--", entity_id: '1' }]) {
      const res = await get('/audit', ad, query);
      assert.ok([400, 404, 422].includes(res.status), `${JSON.stringify(query)}: ${res.status} ${res.text}`);
      expectProblem(res, res.status);
    }
  });

  test('audit needs a login', async () => {
    expectProblem(await get('/audit', undefined, { entity: 'account', entity_id: 1 }), 401);
  });
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
