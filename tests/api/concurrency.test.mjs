// Concurrency: many simultaneous creates get distinct ids and archive numbers; racing writes.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, del, patch, expectStatus, createDepartment, userSession, createAccount, unique, listAll,
  serverErrors, ARCHIVE_NO,
} from './lib.mjs';

let dept;
let spec;
let others;

before(async () => {
  dept = await createDepartment(unique('并发部'));
  [spec, ...others] = await Promise.all([
    userSession({ username: unique('conc'), departmentId: dept.id, roles: ['specialist'] }),
    userSession({ username: unique('concm'), departmentId: dept.id, roles: ['manager'] }),
    userSession({ username: unique('conc2'), departmentId: dept.id, roles: ['specialist'] }),
    userSession({ username: unique('conc3'), departmentId: dept.id, roles: ['assistant'] }),
  ]);
});

describe('200 concurrent creates', () => {
  const prefix = unique('并发客户');
  let results = [];

  before(async () => {
    results = await Promise.all(Array.from({ length: 200 }, (_, i) => post('/accounts', spec, { name: `${prefix}-${String(i).padStart(3, '0')}`, industry: prefix })));
  });

  test('all 200 → 201', () => {
    const bad = results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text.slice(0, 120)}`);
    assert.deepEqual(bad, [], `${bad.length} non-201 responses`);
  });

  test('200 distinct ids and 200 distinct, well-formed archive numbers', () => {
    const ok = results.filter((r) => r.status === 201).map((r) => r.body);
    assert.equal(new Set(ok.map((a) => a.id)).size, 200);
    assert.equal(new Set(ok.map((a) => a.archive_no)).size, 200);
    for (const a of ok) {
      assert.match(a.archive_no, ARCHIVE_NO);
      assert.equal(a.version, 1);
      assert.equal(a.owner_id, spec.user.id);
    }
  });

  test('the list total for a filter on the 200 is exactly 200, and every page is consistent', async () => {
    const first = expectStatus(await get('/accounts', spec, { industry: prefix, limit: 50 }), 200).body;
    assert.equal(first.total, 200);
    assert.equal(first.items.length, 50);
    const all = await listAll('/accounts', spec, { industry: prefix, sort: 'name' });
    assert.equal(all.total, 200);
    assert.equal(new Set(all.items.map((a) => a.id)).size, 200);
    assert.deepEqual(all.items.map((a) => a.name), Array.from({ length: 200 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`));
    const paged = [];
    for (let offset = 0; offset < 200; offset += 7) {
      const page = expectStatus(await get('/accounts', spec, { industry: prefix, sort: 'archive_no', limit: 7, offset }), 200).body;
      assert.equal(page.total, 200);
      paged.push(...page.items.map((a) => a.id));
    }
    assert.equal(paged.length, 200);
    assert.equal(new Set(paged).size, 200);
  });

  test('the list total for the unique name prefix (q) is exactly 200', async () => {
    const first = expectStatus(await get('/accounts', spec, { q: prefix, limit: 50 }), 200).body;
    assert.equal(first.total, 200);
    const all = await listAll('/accounts', spec, { q: prefix, sort: 'name' });
    assert.equal(all.total, 200);
    assert.equal(all.items.length, 200);
    assert.equal(new Set(all.items.map((a) => a.id)).size, 200);
    const names = all.items.map((a) => a.name);
    assert.deepEqual(names, Array.from({ length: 200 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`));
    // paging by 7 gives the same set without gaps or repeats
    const page = expectStatus(await get('/accounts', spec, { q: prefix, sort: 'archive_no', limit: 7, offset: 196 }), 200).body;
    assert.equal(page.total, 200);
    assert.equal(page.items.length, 4);
  });

  test('the specialist\'s own list total (self scope) counts all 200', async () => {
    const mine = expectStatus(await get('/accounts', spec, { limit: 1 }), 200).body;
    assert.equal(mine.total, 200);
  });
});

describe('concurrent writers across users', () => {
  test('creates from four users at once: all 201, archive numbers never collide', async () => {
    const prefix = unique('多人并发');
    const sessions = [spec, ...others];
    const results = await Promise.all(Array.from({ length: 80 }, (_, i) => post('/accounts', sessions[i % sessions.length], { name: `${prefix}-${i}`, industry: prefix })));
    assert.deepEqual(results.filter((r) => r.status !== 201).map((r) => r.status), []);
    const nos = results.map((r) => r.body.archive_no);
    assert.equal(new Set(nos).size, 80);
    const manager = others[0];
    const seen = await listAll('/accounts', manager, { industry: prefix });
    assert.equal(seen.total, 80, 'the manager (department_tree) sees all 80');
  });

  test('concurrent DELETEs of one account: exactly one 204, the rest 404 (10 rounds of 6)', async () => {
    const manager = others[0];
    const outcomes = [];
    for (let round = 0; round < 10; round += 1) {
      const a = await createAccount(manager, unique('并发删除'));
      const results = await Promise.all(Array.from({ length: 6 }, () => del(`/accounts/${a.id}`, manager)));
      outcomes.push(results.map((r) => r.status).sort().join(','));
    }
    const wrong = outcomes.filter((o) => o !== '204,404,404,404,404,404');
    assert.deepEqual(wrong, [], `rounds with other than one 204: ${wrong.length}/10`);
  });

  test('PATCH racing DELETE: the PATCH is 200 or 404, never 500, and the account ends deleted', async () => {
    const manager = others[0];
    for (let i = 0; i < 5; i += 1) {
      const a = await createAccount(manager, unique('改删竞争'));
      const [p, d] = await Promise.all([
        patch(`/accounts/${a.id}`, manager, { version: 1, city: '厦门市' }),
        del(`/accounts/${a.id}`, manager),
      ]);
      assert.ok([200, 404, 409].includes(p.status), `patch ${p.status} ${p.text}`);
      assert.equal(d.status, 204, `delete ${d.status} ${d.text}`);
      expectStatus(await get(`/accounts/${a.id}`, manager), 404);
    }
  });
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
