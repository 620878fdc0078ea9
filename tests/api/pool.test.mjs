// The customer pool (公海) and ownership: pool list, claim (race, limits), release, transfer, bulk transfer,
// the ownership log, pool settings, the recovery run and the new permissions.
//
// Organisation of this file: 公海测试部 (sales, manager) → {华东 (alice, assistant), 华南 (bob)}; elsewhere: 其他部 (carol).
// The pool settings are shared by the whole run: every test that changes them restores the defaults.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, request, expectStatus, expectProblem, admin, createDepartment, userSession, createAccount,
  unique, SUFFIX, serverErrors,
} from './lib.mjs';

const I = `公海行业${SUFFIX}`; // this file's industry: narrows the pool list to our accounts
const DEFAULTS = { max_owned_per_user: 200, max_claims_per_day: 20, recovery_days: { A: 90, B: 60, C: 30, none: 30 } };

let adm, sales, east, south, elsewhere, manager, alice, bob, carol, assistant;

async function settings() {
  return expectStatus(await get('/settings/pool', adm), 200, 'GET /settings/pool').body;
}
async function setSettings(values) {
  const current = await settings();
  return expectStatus(await patch('/settings/pool', adm, { version: current.version, ...values }), 200, 'PATCH /settings/pool').body;
}
/** An account created by `owner`, released to the pool when `pooled`. */
async function account(owner, name, pooled = false) {
  const a = await createAccount(owner, { name: unique(name), industry: I });
  if (!pooled) return a;
  return expectStatus(await post(`/accounts/${a.id}/release`, owner, {}), 200, 'release').body;
}
const claim = (who, id) => post(`/accounts/${id}/claim`, who, {});
const release = (who, id) => post(`/accounts/${id}/release`, who, {});
const transfer = (who, id, ownerId) => post(`/accounts/${id}/transfer`, who, { owner_id: ownerId });
async function ownerOf(id) {
  const log = expectStatus(await get(`/accounts/${id}/ownership-log`, adm), 200).body;
  const acct = expectStatus(await get(`/accounts/${id}`, adm), 200).body;
  return { owner: acct.owner_id, department: acct.department_id, log };
}

before(async () => {
  adm = await admin();
  sales = await createDepartment(unique('公海测试部'));
  east = await createDepartment(unique('华东'), sales.id);
  south = await createDepartment(unique('华南'), sales.id);
  elsewhere = await createDepartment(unique('其他部'));
  [manager, alice, bob, carol, assistant] = await Promise.all([
    userSession({ username: unique('poolm'), displayName: '公海经理', departmentId: sales.id, roles: ['manager'] }),
    userSession({ username: unique('poola'), displayName: '专员甲', departmentId: east.id, roles: ['specialist'] }),
    userSession({ username: unique('poolb'), displayName: '专员乙', departmentId: south.id, roles: ['specialist'] }),
    userSession({ username: unique('poolc'), displayName: '专员丙', departmentId: elsewhere.id, roles: ['specialist'] }),
    userSession({ username: unique('poolz'), displayName: '内勤', departmentId: east.id, roles: ['assistant'] }),
  ]);
  await setSettings(DEFAULTS);
});

after(async () => {
  await setSettings(DEFAULTS);
  assert.deepEqual(serverErrors, [], 'no 5xx during the pool tests');
});

describe('permissions', () => {
  test('transfer for managers, directors and admins; import for assistants up; export for every reader', async () => {
    const perms = async (s) => expectStatus(await get('/auth/me', s), 200).body.permissions;
    const m = await perms(manager);
    for (const p of ['accounts.transfer', 'accounts.import', 'accounts.export']) assert.ok(m.includes(p), `manager has ${p}`);
    const s = await perms(alice);
    assert.ok(!s.includes('accounts.transfer') && !s.includes('accounts.import'), 'specialist: no transfer/import');
    assert.ok(s.includes('accounts.export'), 'specialist may export');
    const a = await perms(assistant);
    assert.ok(a.includes('accounts.import') && !a.includes('accounts.transfer'), 'assistant imports, does not transfer');
    const admins = await perms(adm);
    for (const p of ['accounts.transfer', 'accounts.import', 'accounts.export']) assert.ok(admins.includes(p), `admin has ${p}`);
    const roles = expectStatus(await get('/roles', adm), 200).body.items;
    const byCode = Object.fromEntries(roles.map((r) => [r.code, r.permissions]));
    assert.ok(byCode.director.includes('accounts.transfer'));
    assert.ok(byCode.finance.includes('accounts.export') && !byCode.finance.includes('accounts.import'));
  });
});

describe('pool list', () => {
  test('every reader sees the whole pool, not limited by data scope; owned accounts are not in it', async () => {
    const pooled = await account(alice, '公海列表客户', true);
    const owned = await account(alice, '有主客户');
    assert.equal(pooled.owner_id, null);
    assert.equal(pooled.department_id, east.id, 'the department is kept for reporting');
    for (const who of [carol, bob, manager]) {
      const res = expectStatus(await get('/accounts/pool', who, { industry: I, limit: 200 }), 200);
      const ids = res.body.items.map((a) => a.id);
      assert.ok(ids.includes(pooled.id), 'pool account listed');
      assert.ok(!ids.includes(owned.id), 'owned account not listed');
      assert.equal(res.body.total, res.body.items.length);
    }
    const found = expectStatus(await get('/accounts/pool', carol, { q: pooled.name.slice(0, 4), industry: I }), 200).body;
    assert.ok(found.items.some((a) => a.id === pooled.id), 'q finds it');
    const none = expectStatus(await get('/accounts/pool', carol, { q: pooled.name, industry: `${I}无` }), 200).body;
    assert.equal(none.total, 0);
    expectProblem(await get('/accounts/pool', carol, { owner_id: 1 }), 400, 'owner_id');
    expectProblem(await get('/accounts/pool', carol, { limit: 0 }), 400);
  });
});

describe('claim', () => {
  test('a pool account: the caller becomes owner, department = caller\'s; logged and audited', async () => {
    const pooled = await account(bob, '认领客户', true);
    const res = expectStatus(await claim(carol, pooled.id), 200);
    assert.equal(res.body.owner_id, carol.user.id);
    assert.equal(res.body.department_id, elsewhere.id);
    assert.equal(res.body.version, pooled.version + 1);
    expectStatus(await get(`/accounts/${pooled.id}`, carol), 200, 'the new owner sees it');
    const log = expectStatus(await get(`/accounts/${pooled.id}/ownership-log`, carol), 200).body;
    assert.equal(log.total, 2, 'release then claim');
    assert.equal(log.items[0].action, 'claim');
    assert.equal(log.items[0].to_user_id, carol.user.id);
    assert.equal(log.items[0].to_user_name, '专员丙');
    assert.equal(log.items[0].by_user_id, carol.user.id);
    assert.equal(log.items[0].from_user_id, null);
    assert.equal(log.items[1].action, 'release');
    assert.equal(log.items[1].from_user_id, bob.user.id);
    const audit = expectStatus(await get('/audit', adm, { entity: 'account', entity_id: pooled.id }), 200).body;
    assert.ok(audit.items.some((e) => e.action === 'claim' && e.user_id === carol.user.id), 'audit row of the claim');
    // An empty body is fine too.
    const other = await account(bob, '空体认领', true);
    expectStatus(await request('POST', `/accounts/${other.id}/claim`, { token: alice }), 200);
  });

  test('an owned account → 409 (also for its owner); unknown → 404; read-only role → 403', async () => {
    const owned = await account(bob, '别人的客户');
    expectProblem(await claim(carol, owned.id), 409);
    expectProblem(await claim(bob, owned.id), 409);
    expectProblem(await claim(carol, 999999999), 404);
    expectProblem(await claim(carol, 'abc'), 404);
    const finance = await userSession({ username: unique('poolf'), departmentId: sales.id, roles: ['finance'] });
    const pooled = await account(bob, '财务认领', true);
    expectProblem(await claim(finance, pooled.id), 403);
    const after = await ownerOf(owned.id);
    assert.equal(after.owner, bob.user.id);
  });

  test('concurrent claims of one account: exactly one wins', async () => {
    const pooled = await account(alice, '抢单', true);
    const racers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) =>
      userSession({ username: unique(`race${i}`), departmentId: east.id, roles: ['specialist'] })));
    const results = await Promise.all(racers.map((r) => claim(r, pooled.id)));
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409, 409], `statuses ${codes}`);
    const winner = racers[results.findIndex((r) => r.status === 200)];
    const state = await ownerOf(pooled.id);
    assert.equal(state.owner, winner.user.id);
    assert.equal(state.log.items.filter((e) => e.action === 'claim').length, 1);
  });

  test('limits: max_claims_per_day then max_owned_per_user → 422 naming the limit', async () => {
    const u = await userSession({ username: unique('poollim'), departmentId: east.id, roles: ['specialist'] });
    const pool = [];
    for (let i = 0; i < 4; i += 1) pool.push(await account(bob, `限额${i}`, true));
    try {
      await setSettings({ max_claims_per_day: 2 });
      expectStatus(await claim(u, pool[0].id), 200);
      expectStatus(await claim(u, pool[1].id), 200);
      const third = expectProblem(await claim(u, pool[2].id), 422, 'max_claims_per_day');
      assert.match(third.body.detail, /max_claims_per_day/);
      assert.equal((await ownerOf(pool[2].id)).owner, null, 'nothing changed');

      await setSettings({ max_claims_per_day: 100, max_owned_per_user: 2 });
      const over = expectProblem(await claim(u, pool[2].id), 422, 'max_owned_per_user');
      assert.match(over.body.detail, /max_owned_per_user/);
      // Creating accounts is not limited; releasing makes room again.
      expectStatus(await release(u, pool[0].id), 200);
      expectStatus(await claim(u, pool[2].id), 200);
    } finally {
      await setSettings(DEFAULTS);
    }
  });
});

describe('release', () => {
  test('by the owner → in the pool; a peer → 404; an assistant who sees it → 403; a manager in scope → 200', async () => {
    const mine = await account(alice, '释放客户');
    expectProblem(await release(bob, mine.id), 404, undefined, 'peer specialist');
    expectProblem(await release(carol, mine.id), 404, undefined, 'other department');
    expectProblem(await release(assistant, mine.id), 403, undefined, 'assistant sees but may not release');
    const res = expectStatus(await release(alice, mine.id), 200);
    assert.equal(res.body.owner_id, null);
    assert.equal(res.body.department_id, east.id);
    expectProblem(await release(manager, mine.id), 409, undefined, 'already in the pool');

    const theirs = await account(bob, '经理释放');
    const byManager = expectStatus(await release(manager, theirs.id), 200);
    assert.equal(byManager.body.owner_id, null);
    const log = (await ownerOf(theirs.id)).log;
    assert.equal(log.items[0].action, 'release');
    assert.equal(log.items[0].by_user_id, manager.user.id);
    assert.equal(log.items[0].from_user_id, bob.user.id);
  });
});

describe('transfer', () => {
  test('a manager within scope → new owner and the new owner\'s department', async () => {
    const a = await account(alice, '转移客户');
    const res = expectStatus(await transfer(manager, a.id, bob.user.id), 200);
    assert.equal(res.body.owner_id, bob.user.id);
    assert.equal(res.body.department_id, south.id);
    expectStatus(await get(`/accounts/${a.id}`, bob), 200, 'the new owner sees it');
    expectProblem(await get(`/accounts/${a.id}`, alice), 404, undefined, 'the old owner no longer does');
    const log = (await ownerOf(a.id)).log;
    assert.equal(log.items[0].action, 'transfer');
    assert.equal(log.items[0].from_user_id, alice.user.id);
    assert.equal(log.items[0].to_user_id, bob.user.id);
    assert.equal(log.items[0].by_user_id, manager.user.id);
    const audit = expectStatus(await get('/audit', adm, { entity: 'account', entity_id: a.id }), 200).body;
    assert.ok(audit.items.some((e) => e.action === 'transfer' && e.user_id === manager.user.id));
  });

  test('a specialist → 403; to a user outside the manager\'s tree → 422; an account outside scope → 404', async () => {
    const a = await account(alice, '不能转');
    expectProblem(await transfer(alice, a.id, bob.user.id), 403);
    expectProblem(await transfer(manager, a.id, carol.user.id), 422, 'owner_id');
    expectProblem(await transfer(manager, a.id, 999999999), 422, 'owner_id');
    expectProblem(await transfer(manager, a.id, alice.user.id), 422, 'owner_id', 'already the owner');
    expectProblem(await post(`/accounts/${a.id}/transfer`, manager, {}), 422, 'owner_id');
    const outside = await account(carol, '范围外');
    expectProblem(await transfer(manager, outside.id, bob.user.id), 404);
    // The admin (scope all) may move it anywhere.
    expectStatus(await transfer(adm, outside.id, bob.user.id), 200);
    assert.equal((await ownerOf(a.id)).owner, alice.user.id, 'refused transfers change nothing');
  });

  test('the new owner\'s max_owned_per_user applies → 422', async () => {
    const target = await userSession({ username: unique('pooltgt'), departmentId: south.id, roles: ['specialist'] });
    await account(target, '已有一个');
    const a = await account(alice, '超限转移');
    try {
      await setSettings({ max_owned_per_user: 1 });
      expectProblem(await transfer(manager, a.id, target.user.id), 422, 'max_owned_per_user');
    } finally {
      await setSettings(DEFAULTS);
    }
    expectStatus(await transfer(manager, a.id, target.user.id), 200);
  });
});

describe('bulk transfer', () => {
  test('all or nothing', async () => {
    const a1 = await account(alice, '批量一');
    const a2 = await account(bob, '批量二');
    const outside = await account(carol, '批量范围外');
    const failed = expectProblem(await post('/accounts/bulk-transfer', manager, { account_ids: [a1.id, a2.id, outside.id], owner_id: alice.user.id }), 422);
    assert.ok(failed.body.errors.some((e) => e.field === 'account_ids[2]'), failed.text);
    assert.equal((await ownerOf(a2.id)).owner, bob.user.id, 'nothing transferred');
    assert.equal((await ownerOf(a1.id)).log.total, 0);

    const ok = expectStatus(await post('/accounts/bulk-transfer', manager, { account_ids: [a1.id, a2.id], owner_id: assistant.user.id }), 200);
    assert.deepEqual(ok.body, { transferred: 2 });
    for (const a of [a1, a2]) {
      const state = await ownerOf(a.id);
      assert.equal(state.owner, assistant.user.id);
      assert.equal(state.department, east.id);
    }
  });

  test('validation and permission', async () => {
    const a = await account(alice, '批量校验');
    expectProblem(await post('/accounts/bulk-transfer', alice, { account_ids: [a.id], owner_id: bob.user.id }), 403);
    expectProblem(await post('/accounts/bulk-transfer', manager, { account_ids: [], owner_id: bob.user.id }), 422, 'account_ids');
    expectProblem(await post('/accounts/bulk-transfer', manager, { account_ids: [a.id, a.id], owner_id: bob.user.id }), 422, 'account_ids');
    expectProblem(await post('/accounts/bulk-transfer', manager, { account_ids: 'x', owner_id: bob.user.id }), 422, 'account_ids');
    expectProblem(await post('/accounts/bulk-transfer', manager, { owner_id: bob.user.id }), 422, 'account_ids');
    expectProblem(await post('/accounts/bulk-transfer', manager, { account_ids: [a.id] }), 422, 'owner_id');
    expectProblem(await request('POST', '/accounts/bulk-transfer', { token: manager, raw: 'x', contentType: 'text/plain' }), 415);
    assert.equal((await ownerOf(a.id)).owner, alice.user.id);
  });
});

describe('settings', () => {
  test('GET for readers; PATCH admin only, with the version; 422 per field', async () => {
    const s = expectStatus(await get('/settings/pool', alice), 200).body;
    for (const k of ['max_owned_per_user', 'max_claims_per_day', 'version']) assert.equal(typeof s[k], 'number', k);
    assert.deepEqual(Object.keys(s.recovery_days).sort(), ['A', 'B', 'C', 'none']);
    expectProblem(await patch('/settings/pool', manager, { version: s.version, max_claims_per_day: 5 }), 403);
    expectProblem(await patch('/settings/pool', adm, { max_claims_per_day: 5 }), 422, 'version');
    expectProblem(await patch('/settings/pool', adm, { version: s.version + 7, max_claims_per_day: 5 }), 409);
    expectProblem(await patch('/settings/pool', adm, { version: s.version, max_owned_per_user: 0 }), 422, 'max_owned_per_user');
    expectProblem(await patch('/settings/pool', adm, { version: s.version, recovery_days: { A: 0 } }), 422, 'recovery_days.A');
    expectProblem(await patch('/settings/pool', adm, { version: s.version, recovery_days: { X: 5 } }), 422, 'recovery_days.X');
    const changed = expectStatus(await patch('/settings/pool', adm, { version: s.version, recovery_days: { B: 45 } }), 200).body;
    assert.equal(changed.version, s.version + 1);
    assert.equal(changed.recovery_days.B, 45);
    assert.equal(changed.recovery_days.A, s.recovery_days.A);
    await setSettings(DEFAULTS);
  });
});

describe('recovery', () => {
  test('admin runs it → {recovered}; recent accounts stay owned; others → 403', async () => {
    const fresh = await account(alice, '新近活跃');
    const res = expectStatus(await post('/jobs/pool-recovery/run', adm, {}), 200);
    assert.ok(Number.isInteger(res.body.recovered) && res.body.recovered >= 0, res.text);
    assert.equal((await ownerOf(fresh.id)).owner, alice.user.id, 'a fresh account is not recovered');
    expectProblem(await post('/jobs/pool-recovery/run', manager, {}), 403);
    expectProblem(await post('/jobs/pool-recovery/run', alice, {}), 403);
    expectProblem(await post('/jobs/pool-recovery/run', null, {}), 401);
  });
});
