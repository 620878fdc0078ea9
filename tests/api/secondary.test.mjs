// Secondary customers (二级客户) with growth records: CRUD under the account,
// validation, scope through the parent account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, expectStatus, expectProblem, createDepartment, userSession, createAccount, unique, listAll,
  serverErrors,
} from './lib.mjs';

let a; let b; let account;

before(async () => {
  const dept = await createDepartment(unique('二级客户测试部'));
  a = await userSession({ username: unique('sca'), departmentId: dept.id, roles: ['specialist'] });
  b = await userSession({ username: unique('scb'), departmentId: dept.id, roles: ['specialist'] });
  account = await createAccount(a, unique('渠道客户'));
});

after(() => assert.deepEqual(serverErrors, []));

const create = async (fields = {}) => expectStatus(await post(`/accounts/${account.id}/secondary-customers`, a, { name: unique('零售店'), kind: 'direct_retailer', ...fields }), 201).body;

test('create, read, update, delete under the account', async () => {
  const s = await create({ name: '苏州好又多超市', city: '苏州', resources: '门店 12 家, 货车 3 辆', account_id: 999999 });
  assert.equal(s.account_id, account.id, 'the path decides the account');
  assert.equal(s.kind, 'direct_retailer');
  assert.equal(s.latest_growth, null);
  assert.equal(s.version, 1);
  assert.deepEqual(expectStatus(await get(`/secondary-customers/${s.id}`, a), 200).body, s);
  const changed = expectStatus(await patch(`/secondary-customers/${s.id}`, a, { version: 1, kind: 'mixed_dealer', city: null }), 200).body;
  assert.equal(changed.kind, 'mixed_dealer');
  assert.equal(changed.city, null);
  expectProblem(await patch(`/secondary-customers/${s.id}`, a, { version: 1, notes: 'x' }), 409);
  const list = await listAll(`/accounts/${account.id}/secondary-customers`, a);
  assert.ok(list.items.some((x) => x.id === s.id));
  assert.equal((await listAll(`/accounts/${account.id}/secondary-customers`, a, { kind: 'mixed_dealer' })).total, 1);
  expectStatus(await del(`/secondary-customers/${s.id}`, a), 204);
  expectProblem(await get(`/secondary-customers/${s.id}`, a), 404);
});

test('422s', async () => {
  const path = `/accounts/${account.id}/secondary-customers`;
  expectProblem(await post(path, a, { kind: 'direct_retailer' }), 422, 'name');
  expectProblem(await post(path, a, { name: 'x' }), 422, 'kind');
  expectProblem(await post(path, a, { name: 'x', kind: 'wholesaler' }), 422, 'kind');
  const s = await create();
  expectProblem(await post(`/secondary-customers/${s.id}/growth`, a, {}), 422, 'recorded_on');
  expectProblem(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-02-30' }), 422, 'recorded_on');
  expectProblem(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-02-01', revenue_fen: -1 }), 422, 'revenue_fen');
  expectProblem(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-02-01', outlets: 1.5 }), 422, 'outlets');
});

test('growth records: newest first, latest_growth on the customer', async () => {
  const s = await create();
  const g1 = expectStatus(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-01-31', revenue_fen: 1200000, outlets: 10 }), 201).body;
  const g2 = expectStatus(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-03-31', revenue_fen: 2500000, outlets: 14, note: '新开 4 家' }), 201).body;
  expectStatus(await post(`/secondary-customers/${s.id}/growth`, a, { recorded_on: '2026-02-28', revenue_fen: 1800000 }), 201);
  assert.equal(g1.created_by, a.user.id);
  assert.equal(g1.secondary_customer_id, s.id);
  const list = expectStatus(await get(`/secondary-customers/${s.id}/growth`, a), 200).body;
  assert.equal(list.total, 3);
  assert.deepEqual(list.items.map((g) => g.recorded_on), ['2026-03-31', '2026-02-28', '2026-01-31']);
  assert.deepEqual(expectStatus(await get(`/secondary-customers/${s.id}`, a), 200).body.latest_growth, g2);
  expectStatus(await get('/audit', a, { entity: 'secondary_customer_growth', entity_id: g1.id }), 200);
});

test('scope follows the parent account', async () => {
  const s = await create();
  expectProblem(await get(`/accounts/${account.id}/secondary-customers`, b), 404);
  expectProblem(await post(`/accounts/${account.id}/secondary-customers`, b, { name: 'x', kind: 'mixed_dealer' }), 404);
  expectProblem(await get(`/secondary-customers/${s.id}`, b), 404);
  expectProblem(await patch(`/secondary-customers/${s.id}`, b, { version: 1, name: 'x' }), 404);
  expectProblem(await del(`/secondary-customers/${s.id}`, b), 404);
  expectProblem(await get(`/secondary-customers/${s.id}/growth`, b), 404);
  expectProblem(await post(`/secondary-customers/${s.id}/growth`, b, { recorded_on: '2026-01-01' }), 404);
  expectProblem(await get('/audit', b, { entity: 'secondary_customer', entity_id: s.id }), 404);
  expectProblem(await get('/accounts/999999999/secondary-customers', a), 404);
});
