// Competitors (竞争对手): the shared registry (unique names) and their presence
// at an account (unique pair, scope through the account).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, expectStatus, expectProblem, createDepartment, userSession, createAccount, unique, listAll,
  serverErrors,
} from './lib.mjs';

let a; let b; let fin; let account;

before(async () => {
  const dept = await createDepartment(unique('竞争测试部'));
  a = await userSession({ username: unique('cpa'), departmentId: dept.id, roles: ['specialist'] });
  b = await userSession({ username: unique('cpb'), departmentId: dept.id, roles: ['specialist'] });
  fin = await userSession({ username: unique('cpf'), departmentId: dept.id, roles: ['finance'] });
  account = await createAccount(a, unique('竞争客户'));
});

after(() => assert.deepEqual(serverErrors, []));

const competitor = async (fields = {}) => expectStatus(await post('/competitors', a, { name: unique('对手'), ...fields }), 201).body;

test('registry CRUD; a duplicate live name is 409; read by anyone, write needs accounts.write', async () => {
  const name = unique('西门子');
  const c = await competitor({ name, main_products: '伺服电机', website: 'https://example.com' });
  assert.equal(c.name, name);
  assert.equal(c.version, 1);
  expectProblem(await post('/competitors', a, { name }), 409);
  const other = await competitor();
  expectProblem(await patch(`/competitors/${other.id}`, a, { version: 1, name }), 409);
  expectStatus(await get(`/competitors/${c.id}`, b), 200);
  expectStatus(await get(`/competitors/${c.id}`, fin), 200);
  assert.equal((await listAll('/competitors', fin, { q: name })).total, 1);
  expectProblem(await post('/competitors', fin, { name: unique('x') }), 403);
  expectProblem(await patch(`/competitors/${c.id}`, fin, { version: 1, notes: 'x' }), 403);
  expectProblem(await post('/competitors', a, {}), 422, 'name');
  expectProblem(await post('/competitors', a, { name: 'x'.repeat(201) }), 422, 'name');
  const updated = expectStatus(await patch(`/competitors/${c.id}`, a, { version: 1, strengths: '品牌' }), 200).body;
  assert.equal(updated.version, 2);
  expectStatus(await del(`/competitors/${other.id}`, a), 204);
  // The name of a deleted competitor is free again.
  expectStatus(await post('/competitors', a, { name: other.name }), 201);
});

test('presence at an account: the pair is unique (409), validation 422', async () => {
  const c = await competitor();
  const path = `/accounts/${account.id}/competitors`;
  const p = expectStatus(await post(path, a, { competitor_id: c.id, price_level: 'lower', share_percent: 30, products: '减速机' }), 201).body;
  assert.equal(p.account_id, account.id);
  assert.equal(p.competitor_id, c.id);
  assert.equal(p.competitor_name, c.name);
  assert.equal(p.share_percent, 30);
  expectProblem(await post(path, a, { competitor_id: c.id }), 409);
  expectProblem(await post(path, a, {}), 422, 'competitor_id');
  expectProblem(await post(path, a, { competitor_id: 999999999 }), 422, 'competitor_id');
  expectProblem(await post(path, a, { competitor_id: c.id, share_percent: 101 }), 422, 'share_percent');
  expectProblem(await post(path, a, { competitor_id: c.id, share_percent: -1 }), 422, 'share_percent');
  expectProblem(await post(path, a, { competitor_id: c.id, price_level: 'cheap' }), 422, 'price_level');
  const changed = expectStatus(await patch(`/account-competitors/${p.id}`, a, { version: 1, share_percent: 45 }), 200).body;
  assert.equal(changed.share_percent, 45);
  const list = await listAll(path, a);
  assert.deepEqual(list.items.map((x) => x.id), [p.id]);
  expectStatus(await del(`/account-competitors/${p.id}`, a), 204);
  // Deleted: the pair may be recorded again.
  expectStatus(await post(path, a, { competitor_id: c.id }), 201);
});

test('scope follows the account', async () => {
  const c = await competitor();
  const p = expectStatus(await post(`/accounts/${account.id}/competitors`, a, { competitor_id: c.id }), 201).body;
  expectProblem(await get(`/accounts/${account.id}/competitors`, b), 404);
  expectProblem(await post(`/accounts/${account.id}/competitors`, b, { competitor_id: c.id }), 404);
  expectProblem(await get(`/account-competitors/${p.id}`, b), 404);
  expectProblem(await patch(`/account-competitors/${p.id}`, b, { version: 1, notes: 'x' }), 404);
  expectProblem(await del(`/account-competitors/${p.id}`, b), 404);
  expectProblem(await get('/audit', b, { entity: 'account_competitor', entity_id: p.id }), 404);
  const audit = expectStatus(await get('/audit', a, { entity: 'account_competitor', entity_id: p.id }), 200).body;
  assert.deepEqual(audit.items.map((i) => i.action), ['create']);
});
