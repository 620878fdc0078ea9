// Accounts: create, read, update (optimistic concurrency), delete; list, search, sort, filter, paging.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, expectStatus, expectProblem, admin, createDepartment, userSession,
  createAccount, unique, listAll, SUFFIX, ARCHIVE_NO, serverErrors,
} from './lib.mjs';

let me; // a manager (department_tree, may delete) in a department of its own
let dept;

before(async () => {
  dept = await createDepartment(unique('客户测试部'));
  me = await userSession({ username: unique('acct'), departmentId: dept.id, roles: ['manager'] });
});

describe('create', () => {
  test('201 with the whole resource; owner/department are the caller\'s', async () => {
    const before = Date.now();
    const body = { name: unique('苏州精密机械有限公司'), industry: '装备制造', province: '江苏省', city: '苏州市', address: '工业园区星湖街 328 号' };
    const res = expectStatus(await post('/accounts', me, body), 201);
    const a = res.body;
    assert.ok(Number.isInteger(a.id) && a.id > 0);
    assert.match(a.archive_no, ARCHIVE_NO);
    for (const k of Object.keys(body)) assert.equal(a[k], body[k], k);
    assert.equal(a.owner_id, me.user.id);
    assert.equal(a.department_id, dept.id);
    assert.equal(a.version, 1);
    for (const k of ['created_at', 'updated_at']) {
      assert.equal(typeof a[k], 'string', k);
      const t = Date.parse(a[k]);
      assert.ok(!Number.isNaN(t), `${k} parses: ${a[k]}`);
      assert.ok(Math.abs(t - before) < 5 * 60_000, `${k} is now-ish: ${a[k]}`);
    }
    const got = expectStatus(await get(`/accounts/${a.id}`, me), 200);
    assert.deepEqual(got.body, a, 'GET returns what POST returned');
  });

  test('archive_no year is the current year and numbers increase', async () => {
    const a1 = await createAccount(me, unique('编号一'));
    const a2 = await createAccount(me, unique('编号二'));
    const year = new Date().getFullYear();
    assert.ok([year, year - 1, year + 1].includes(Number(a1.archive_no.slice(3, 7))), a1.archive_no);
    assert.notEqual(a1.archive_no, a2.archive_no);
    assert.ok(a2.archive_no > a1.archive_no, `${a2.archive_no} > ${a1.archive_no}`);
    assert.ok(a2.id > a1.id);
  });

  test('server-owned fields in the body are ignored', async () => {
    const other = await admin();
    const body = {
      name: unique('伪造字段'), id: 987654321, archive_no: 'KA-1999-999999', owner_id: other.user.id,
      department_id: other.user.department_id, version: 42, created_at: '2000-01-01T00:00:00Z',
    };
    const a = expectStatus(await post('/accounts', me, body), 201).body;
    assert.notEqual(a.id, 987654321);
    assert.notEqual(a.archive_no, 'KA-1999-999999');
    assert.match(a.archive_no, ARCHIVE_NO);
    assert.equal(a.owner_id, me.user.id);
    assert.equal(a.department_id, dept.id);
    assert.equal(a.version, 1);
    assert.notEqual(a.created_at.slice(0, 4), '2000');
    expectProblem(await get('/accounts/987654321', me), 404);
  });

  test('optional fields may be omitted or null', async () => {
    const a = await createAccount(me, { name: unique('只有名称'), industry: null });
    for (const k of ['industry', 'province', 'city', 'address']) assert.ok(a[k] === null || a[k] === undefined || a[k] === '', `${k}: ${a[k]}`);
  });

  test('validation: missing, null, blank or non-string name → 422 on field name', async () => {
    for (const body of [{}, { industry: '制造' }, { name: null }, { name: '' }, { name: '   ' }, { name: 123 }, { name: ['x'] }, { name: { zh: 'x' } }, { name: true }]) {
      expectProblem(await post('/accounts', me, body), 422, 'name', JSON.stringify(body));
    }
  });

  test('validation: non-string optional fields → 422 naming the field', async () => {
    for (const field of ['industry', 'province', 'city', 'address']) {
      expectProblem(await post('/accounts', me, { name: unique('类型'), [field]: 5 }), 422, field, field);
    }
  });
});

describe('read', () => {
  test('unknown or malformed ids → 404 (never 500)', async () => {
    for (const id of ['999999999', '0', '-1', 'abc', '1.5', '99999999999999999999', '1%27%20OR%201=1']) {
      const res = await get(`/accounts/${id}`, me);
      assert.ok([400, 404].includes(res.status), `GET /accounts/${id}: ${res.status} ${res.text}`);
      expectProblem(res, res.status);
    }
  });
});

describe('update', () => {
  test('PATCH with the version → 200, version+1, only the sent fields change', async () => {
    const a = await createAccount(me, { name: unique('更新'), industry: '化工', province: '浙江省', city: '宁波市', address: '北仑' });
    await new Promise((r) => setTimeout(r, 5));
    const res = expectStatus(await patch(`/accounts/${a.id}`, me, { version: 1, city: '杭州市' }), 200);
    const b = res.body;
    assert.equal(b.version, 2);
    assert.equal(b.city, '杭州市');
    for (const k of ['id', 'name', 'industry', 'province', 'address', 'archive_no', 'owner_id', 'department_id', 'created_at']) {
      assert.deepEqual(b[k], a[k], `${k} unchanged`);
    }
    assert.ok(Date.parse(b.updated_at) >= Date.parse(a.updated_at), 'updated_at moves forward');
    assert.notEqual(b.updated_at, a.updated_at, 'updated_at changes');
    const got = expectStatus(await get(`/accounts/${a.id}`, me), 200);
    assert.deepEqual(got.body, b);
    const cleared = expectStatus(await patch(`/accounts/${a.id}`, me, { version: 2, address: null }), 200);
    assert.equal(cleared.body.address, null, 'null clears an optional field');
    assert.equal(cleared.body.version, 3);
  });

  test('stale version → 409 and nothing changed', async () => {
    const a = await createAccount(me, { name: unique('并发'), city: '南京市' });
    const first = expectStatus(await patch(`/accounts/${a.id}`, me, { version: 1, city: '上海市' }), 200);
    assert.equal(first.body.version, 2);
    const stale = await patch(`/accounts/${a.id}`, me, { version: 1, city: '北京市', name: unique('覆盖') });
    expectProblem(stale, 409);
    const future = await patch(`/accounts/${a.id}`, me, { version: 99, city: '北京市' });
    expectProblem(future, 409);
    const after = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.deepEqual(after, first.body, 'record is exactly as after the first update');
  });

  test('two concurrent PATCHes with the same version: exactly one wins', async () => {
    const a = await createAccount(me, unique('竞争'));
    const results = await Promise.all(['北京市', '上海市', '天津市', '重庆市', '深圳市'].map((c) => patch(`/accounts/${a.id}`, me, { version: 1, city: c })));
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409], `statuses ${codes}`);
    const winner = results.find((r) => r.status === 200).body;
    const after = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.equal(after.version, 2);
    assert.equal(after.city, winner.city);
  });

  test('server-owned fields in a PATCH are ignored', async () => {
    const a = await createAccount(me, unique('改编号'));
    const other = await admin();
    const res = expectStatus(await patch(`/accounts/${a.id}`, me, {
      version: 1, archive_no: 'KA-1999-000001', id: a.id + 100000, owner_id: other.user.id, department_id: other.user.department_id, created_at: '2000-01-01T00:00:00Z',
    }), 200);
    for (const k of ['id', 'archive_no', 'owner_id', 'department_id', 'created_at']) assert.deepEqual(res.body[k], a[k], k);
    assert.equal(res.body.version, 2, 'the version is the server\'s, not the body\'s');
  });

  test('validation: version missing or not an integer, blank name → 422; unknown id → 404', async () => {
    const a = await createAccount(me, unique('校验'));
    expectProblem(await patch(`/accounts/${a.id}`, me, { city: '苏州' }), 422, 'version');
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: '1', city: '苏州' }), 422, 'version');
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: 1, name: '' }), 422, 'name');
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: 1, name: null }), 422, 'name');
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: 1, name: 7 }), 422, 'name');
    expectProblem(await patch('/accounts/999999999', me, { version: 1, city: '苏州' }), 404);
    const after = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.equal(after.version, 1, 'rejected PATCHes change nothing');
    assert.equal(after.name, a.name);
  });
});

describe('delete', () => {
  test('DELETE → 204; then GET/PATCH/DELETE → 404 and it leaves lists', async () => {
    const name = unique('删除我');
    const a = await createAccount(me, name);
    const del1 = await del(`/accounts/${a.id}`, me);
    expectStatus(del1, 204);
    assert.equal(del1.text, '', '204 has no body');
    expectProblem(await get(`/accounts/${a.id}`, me), 404);
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: 1, city: 'x' }), 404);
    expectProblem(await del(`/accounts/${a.id}`, me), 404);
    const list = expectStatus(await get('/accounts', me, { q: name }), 200);
    assert.equal(list.body.total, 0);
    assert.deepEqual(list.body.items, []);
  });
});

describe('search (q)', () => {
  const P = `省${SUFFIX}`; // an industry of our own: filters the lists down to this file's accounts (province must be a real one)
  const names = {};
  before(async () => {
    const mk = async (key, name) => {
      names[key] = await createAccount(me, { name, industry: P });
    };
    await mk('huawei', `华为技术有限公司${SUFFIX}`);
    await mk('jingmi', `苏州精密机械有限公司${SUFFIX}`);
    await mk('jingmi2', `无锡精密仪器厂${SUFFIX}`);
    await mk('acme', `Acme Robotics 上海${SUFFIX}`);
    await mk('mixed', `中信Bank北京分行${SUFFIX}`);
  });

  const find = async (q, extra = { industry: P }) => {
    const res = expectStatus(await get('/accounts', me, { q, ...extra, limit: 200 }), 200, `q=${q}`);
    assert.equal(res.body.total, res.body.items.length, `q=${q}: total equals item count (all on one page)`);
    return res.body.items.map((a) => a.id).sort((x, y) => x - y);
  };
  const idsOf = (...keys) => keys.map((k) => names[k].id).sort((x, y) => x - y);

  test('two-character Chinese queries find the account (华为, 精密)', async () => {
    assert.deepEqual(await find('华为'), idsOf('huawei'));
    assert.deepEqual(await find('精密'), idsOf('jingmi', 'jingmi2'));
    assert.deepEqual(await find('有限'), idsOf('huawei', 'jingmi'));
  });

  test('two-character query without a filter also finds it (the whole visible set)', async () => {
    const all = await listAll('/accounts', me, { q: '华为' });
    assert.ok(all.items.some((a) => a.id === names.huawei.id));
    assert.ok(all.items.every((a) => a.name.includes('华为')), 'every hit contains the query');
    assert.equal(all.total, all.items.length);
  });

  test('one-character and longer Chinese substrings, start/middle/end of the name', async () => {
    assert.deepEqual(await find('为'), idsOf('huawei'));
    assert.deepEqual(await find('苏州精密'), idsOf('jingmi'));
    assert.deepEqual(await find('机械有限公'), idsOf('jingmi'));
    assert.deepEqual(await find('仪器厂'), idsOf('jingmi2'));
    assert.deepEqual(await find(`厂${SUFFIX}`), idsOf('jingmi2'));
    assert.deepEqual(await find('信Bank北'), idsOf('mixed'));
  });

  test('a query that is in no name finds nothing', async () => {
    assert.deepEqual(await find('华精'), []);
    assert.deepEqual(await find('精华为'), []);
    const none = expectStatus(await get('/accounts', me, { q: `鑫淼${SUFFIX}` }), 200);
    assert.equal(none.body.total, 0);
    assert.deepEqual(none.body.items, []);
    const rare = expectStatus(await get('/accounts', me, { q: '龘靐' }), 200);
    assert.equal(rare.body.total, 0);
  });

  test('ASCII is case-insensitive', async () => {
    assert.deepEqual(await find('acme'), idsOf('acme'));
    assert.deepEqual(await find('ROBOTICS'), idsOf('acme'));
    assert.deepEqual(await find('aCmE rObOtIcS'), idsOf('acme'));
    assert.deepEqual(await find('bank'), idsOf('mixed'));
  });

  test('archive numbers: full number and prefix', async () => {
    const h = names.huawei;
    assert.deepEqual(await find(h.archive_no, {}), [h.id], 'full archive number');
    assert.deepEqual(await find(h.archive_no.toLowerCase(), {}), [h.id], 'lower-case archive number');
    const prefix = h.archive_no.slice(0, 12); // KA-2026-0000
    const hits = await find(prefix);
    assert.ok(hits.includes(h.id), `prefix ${prefix}`);
    for (const a of Object.values(names)) {
      if (a.archive_no.startsWith(prefix)) assert.ok(hits.includes(a.id), `${a.archive_no} matches ${prefix}`);
    }
  });

  test('search follows renames and deletes', async () => {
    const P2 = `改省${SUFFIX}`;
    const a = await createAccount(me, { name: `旧名称乙丙${SUFFIX}`, industry: P2 });
    assert.deepEqual(await find('旧名', { industry: P2 }), [a.id]);
    assert.deepEqual(await find('旧名称', { industry: P2 }), [a.id]);
    expectStatus(await patch(`/accounts/${a.id}`, me, { version: 1, name: `新名称丁戊${SUFFIX}` }), 200);
    assert.deepEqual(await find('旧名', { industry: P2 }), [], 'old name is no longer found');
    assert.deepEqual(await find('丁戊', { industry: P2 }), [a.id], 'new name is found');
    assert.deepEqual(await find('新名称丁戊', { industry: P2 }), [a.id], 'new name is found (longer query)');
    expectStatus(await del(`/accounts/${a.id}`, me), 204);
    assert.deepEqual(await find('丁戊', { industry: P2 }), [], 'deleted account is not found');
  });

  test('empty q lists everything in scope; q with only spaces does not 500', async () => {
    const all = await find('');
    assert.deepEqual(all, idsOf('huawei', 'jingmi', 'jingmi2', 'acme', 'mixed'));
    const spaces = await get('/accounts', me, { q: '  ', industry: P });
    assert.ok([200, 400].includes(spaces.status), spaces.text);
  });
});

describe('list: paging, sorting, filters', () => {
  const C = `sort${SUFFIX}`; // the name prefix of this section's accounts: q=C lists exactly them
  let made = [];
  before(async () => {
    // names whose order is the same under any collation: same prefix, one lower-case letter differs
    const letters = ['d', 'a', 'g', 'c', 'f', 'b', 'e'];
    made = [];
    for (const [i, l] of letters.entries()) {
      made.push(await createAccount(me, { name: `sort${SUFFIX}${l}`, city: '苏州市', industry: i % 2 ? '制造' : '能源', province: '江苏省' }));
    }
  });

  test('limit/offset pages are consistent with total', async () => {
    const pages = [];
    for (let offset = 0; offset < 9; offset += 3) {
      const res = expectStatus(await get('/accounts', me, { q: C, sort: 'name', limit: 3, offset }), 200);
      assert.equal(res.body.total, 7, `total on page at ${offset}`);
      pages.push(res.body.items);
    }
    assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
    const ids = pages.flat().map((a) => a.id);
    assert.equal(new Set(ids).size, 7, 'no duplicates across pages');
    assert.deepEqual([...ids].sort((x, y) => x - y), made.map((a) => a.id).sort((x, y) => x - y));
    const beyond = expectStatus(await get('/accounts', me, { q: C, limit: 3, offset: 100 }), 200);
    assert.deepEqual(beyond.body.items, []);
    assert.equal(beyond.body.total, 7);
    const one = expectStatus(await get('/accounts', me, { q: C, limit: 1 }), 200);
    assert.equal(one.body.items.length, 1);
    const max = expectStatus(await get('/accounts', me, { q: C, limit: 200 }), 200);
    assert.equal(max.body.items.length, 7);
  });

  test('default page size is bounded', async () => {
    const res = expectStatus(await get('/accounts', me), 200);
    assert.ok(res.body.items.length <= 200);
    assert.ok(res.body.total >= res.body.items.length);
  });

  test('sort by name, archive_no, created_at, updated_at, ascending and descending', async () => {
    const list = async (sort) => expectStatus(await get('/accounts', me, { q: C, sort, limit: 200 }), 200).body.items;
    const byName = (await list('name')).map((a) => a.name);
    assert.deepEqual(byName, [...byName].sort());
    assert.deepEqual(byName.map((n) => n.slice(-1)), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.deepEqual((await list('-name')).map((a) => a.name), [...byName].reverse());
    const byNo = (await list('archive_no')).map((a) => a.archive_no);
    assert.deepEqual(byNo, [...byNo].sort());
    assert.deepEqual(byNo, made.map((a) => a.archive_no), 'archive numbers follow creation order');
    assert.deepEqual((await list('-archive_no')).map((a) => a.archive_no), [...byNo].reverse());
    const created = (await list('created_at')).map((a) => Date.parse(a.created_at));
    for (let i = 1; i < created.length; i += 1) assert.ok(created[i - 1] <= created[i], 'created_at ascending');
    const createdDesc = (await list('-created_at')).map((a) => Date.parse(a.created_at));
    for (let i = 1; i < createdDesc.length; i += 1) assert.ok(createdDesc[i - 1] >= createdDesc[i], '-created_at descending');
    // touch the oldest: it becomes the most recently updated
    const oldest = made[0];
    const cur = expectStatus(await get(`/accounts/${oldest.id}`, me), 200).body;
    await new Promise((r) => setTimeout(r, 5));
    expectStatus(await patch(`/accounts/${oldest.id}`, me, { version: cur.version, address: '更新排序' }), 200);
    const byUpdatedDesc = await list('-updated_at');
    assert.equal(byUpdatedDesc[0].id, oldest.id, '-updated_at puts the last updated first');
    const byUpdated = await list('updated_at');
    assert.equal(byUpdated[byUpdated.length - 1].id, oldest.id, 'updated_at puts it last');
  });

  test('bad sort → 400 on field sort', async () => {
    for (const sort of ['bogus', 'owner_id', '--name', 'name;DROP TABLE accounts', '+name', 'Name']) {
      expectProblem(await get('/accounts', me, { sort }), 400, 'sort', sort);
    }
  });

  test('filters are exact and combine', async () => {
    const energy = expectStatus(await get('/accounts', me, { q: C, industry: '能源' }), 200).body;
    assert.equal(energy.total, 4);
    assert.ok(energy.items.every((a) => a.industry === '能源' && a.city === '苏州市'));
    const both = expectStatus(await get('/accounts', me, { q: C, industry: '制造', province: '江苏省' }), 200).body;
    assert.equal(both.total, 3);
    const none = expectStatus(await get('/accounts', me, { q: C, province: '江' }), 200).body;
    assert.equal(none.total, 0, 'province is an exact filter');
    const owner = expectStatus(await get('/accounts', me, { q: C, owner_id: me.user.id }), 200).body;
    assert.equal(owner.total, 7);
    const dep = expectStatus(await get('/accounts', me, { q: C, department_id: dept.id }), 200).body;
    assert.equal(dep.total, 7);
    const withQ = expectStatus(await get('/accounts', me, { q: C, q: `sort${SUFFIX}a` }), 200).body;
    assert.equal(withQ.total, 1);
  });

  test('unknown filter → 400 naming it', async () => {
    for (const key of ['foo', 'password', 'deleted_at', 'name; --']) {
      expectProblem(await get('/accounts', me, { [key]: '1' }), 400, key, key);
    }
  });

  test('limit must be 1..200 and offset ≥ 0, else 400', async () => {
    for (const limit of ['0', '201', '-1', 'abc', '1.5', '', '99999999999999999999']) {
      expectProblem(await get('/accounts', me, { limit }), 400, 'limit', `limit=${limit}`);
    }
    for (const offset of ['-1', 'x', '2.5']) {
      expectProblem(await get('/accounts', me, { offset }), 400, 'offset', `offset=${offset}`);
    }
    expectStatus(await get('/accounts', me, { limit: 200, offset: 0 }), 200);
  });

  test('owner_id/department_id filters that are not positive 64-bit integers → 400, never 500', async () => {
    for (const key of ['owner_id', 'department_id']) {
      for (const value of ['abc', '-5', '1.5', '', '99999999999999999999', '9223372036854775808']) {
        const res = await get('/accounts', me, { [key]: value });
        expectProblem(res, 400, key, `${key}=${value}`);
      }
      const max = expectStatus(await get('/accounts', me, { [key]: '9223372036854775807' }), 200, `${key}=2^63-1`);
      assert.equal(max.body.total, 0);
    }
  });
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
