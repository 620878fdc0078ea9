// Customer archive (issue 3): the account fields, their validation, credit
// code uniqueness, province/city against the division list, list filters and
// sorts, market-stage priorities, GET /divisions and saved views.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, request, expectStatus, expectProblem, createDepartment, userSession, createAccount,
  unique, SUFFIX, serverErrors,
} from './lib.mjs';

// GB 32100-2015: 31 characters, weights 3^i mod 31, check = 31 - sum mod 31 (31 → 0).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function checkChar(first17) {
  const sum = [...first17].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  const v = 31 - (sum % 31);
  return ALPHABET[v === 31 ? 0 : v];
}
/** A random valid credit code (unique per call with overwhelming probability). */
function creditCode() {
  let body = '91';
  for (let i = 0; i < 15; i += 1) body += ALPHABET[Math.floor(Math.random() * 31)];
  return body + checkChar(body);
}

const TAG = `档${SUFFIX}`; // every account of this file has it in its name: q=TAG narrows lists to them
let me; // a manager in a department of its own
let other; // another user (saved views are private)
let dept;

before(async () => {
  dept = await createDepartment(unique('档案测试部'));
  me = await userSession({ username: unique('arch'), departmentId: dept.id, roles: ['manager'] });
  other = await userSession({ username: unique('arch'), departmentId: dept.id, roles: ['manager'] });
});

after(() => {
  assert.deepEqual(serverErrors, [], 'no 5xx responses');
});

const FULL = () => ({
  name: unique(`华为${TAG}`),
  credit_code: creditCode(),
  ownership_type: 'private',
  employees: 207000,
  annual_revenue_fen: 70420000000000,
  founded_year: 1987,
  website: 'https://www.huawei.com',
  business_status: '正常经营',
  procurement_mode: 'centralized',
  customer_kind: 'end_user',
  needs: '服务器与存储',
  preferences: '国产化',
  price_sensitivity: 'low',
  tier: 'A',
  tier_override_reason: '战略客户',
  market_stage: 'mature',
  relationship_stage: 'stabilize',
  province: '广东省',
  city: '深圳市',
  address: '龙岗区坂田华为基地',
});

describe('account fields', () => {
  test('every field round-trips; server-owned ones are set by the server', async () => {
    const body = FULL();
    const a = await createAccount(me, { ...body, last_activity_at: '2000-01-01T00:00:00Z', owned_since: '2000-01-01', in_pool: true });
    for (const [k, v] of Object.entries(body)) assert.deepEqual(a[k], v, k);
    assert.equal(a.in_pool, false);
    assert.equal(a.last_activity_at, null);
    assert.ok(a.owned_since && !a.owned_since.startsWith('2000'), `owned_since ${a.owned_since}`);
    const got = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.deepEqual(got, a, 'GET returns what POST returned');
    assert.deepEqual(got.market_stage_priorities.map((p) => p.key), ['store_supervision', 'promotion', 'sales_support', 'deep_development']);
    assert.equal(got.market_stage_priorities[0].label_zh, '店铺督导');
    const listed = expectStatus(await get('/accounts', me, { q: a.name }), 200).body.items[0];
    assert.equal(listed.id, a.id);
    assert.equal(listed.credit_code, body.credit_code);
    assert.equal(listed.market_stage_priorities, undefined, 'priorities only on single-account responses');
  });

  test('defaults: relationship_stage establish, others null, no priorities without a stage', async () => {
    const a = await createAccount(me, { name: unique(`空${TAG}`) });
    assert.equal(a.relationship_stage, 'establish');
    for (const k of ['credit_code', 'ownership_type', 'employees', 'annual_revenue_fen', 'founded_year', 'website', 'tier', 'market_stage', 'last_activity_at']) {
      assert.equal(a[k], null, k);
    }
    assert.deepEqual(a.market_stage_priorities, []);
  });

  test('market stage priorities follow the stage', async () => {
    const a = await createAccount(me, { name: unique(`阶段${TAG}`), market_stage: 'development' });
    assert.deepEqual(a.market_stage_priorities.map((p) => p.key), ['deep_development', 'promotion', 'sales_support', 'store_supervision']);
    const b = expectStatus(await patch(`/accounts/${a.id}`, me, { version: a.version, market_stage: 'rectification' }), 200).body;
    assert.deepEqual(b.market_stage_priorities.map((p) => p.key), ['sales_support', 'store_supervision', 'promotion', 'deep_development']);
    for (const p of b.market_stage_priorities) assert.ok(p.label_zh && p.label_en);
  });

  test('PATCH changes, clears and keeps fields', async () => {
    const a = await createAccount(me, FULL());
    const b = expectStatus(await patch(`/accounts/${a.id}`, me, { version: a.version, employees: 10, website: null, tier: null, relationship_stage: 'strengthen' }), 200).body;
    assert.equal(b.employees, 10);
    assert.equal(b.website, null);
    assert.equal(b.tier, null);
    assert.equal(b.relationship_stage, 'strengthen');
    assert.equal(b.credit_code, a.credit_code);
    assert.equal(b.annual_revenue_fen, a.annual_revenue_fen);
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: b.version, relationship_stage: null }), 422, 'relationship_stage');
  });

  test('validation: each bad value is a 422 naming its field', async () => {
    const year = new Date().getUTCFullYear();
    const cases = [
      ['credit_code', '9135010'], ['credit_code', '91350100M000100Y44'], ['credit_code', '91350100I000100Y43'],
      ['credit_code', '91350100O000100Y43'], ['credit_code', '91350100Z000100Y43'], ['credit_code', 12],
      ['ownership_type', 'public'], ['procurement_mode', 'both'], ['customer_kind', 'vip'], ['price_sensitivity', 'none'],
      ['market_stage', 'growth'], ['relationship_stage', 'friends'], ['tier', 'D'], ['tier', 'a'],
      ['employees', -1], ['employees', 1.5], ['employees', '10'], ['annual_revenue_fen', -100],
      ['founded_year', 1799], ['founded_year', year + 1], ['website', 'w'.repeat(201)],
      ['needs', 'n'.repeat(2001)], ['preferences', 'p'.repeat(2001)], ['province', '广东'], ['province', '香港特别行政区'],
    ];
    for (const [field, value] of cases) {
      expectProblem(await post('/accounts', me, { name: unique(`校验${TAG}`), [field]: value, tier_override_reason: field === 'tier' ? 'r' : undefined }), 422, field, `${field}=${value}`);
    }
    const res = expectProblem(await post('/accounts', me, { name: unique('x'), tier: 'Z', tier_override_reason: 'r' }), 422, 'tier');
    assert.equal(res.body.errors[0].message, 'must be one of A, B, C');
    expectProblem(await post('/accounts', me, { name: unique('x'), tier: 'A' }), 422, 'tier_override_reason');
    expectProblem(await post('/accounts', me, { name: unique('x'), tier: 'A', tier_override_reason: '  ' }), 422, 'tier_override_reason');
  });

  test('credit code: any case, stored upper-case; limits are exact', async () => {
    const code = creditCode();
    const a = await createAccount(me, { name: unique(`码${TAG}`), credit_code: code.toLowerCase(), website: 'w'.repeat(200), needs: 'n'.repeat(2000), founded_year: 1800, employees: 0 });
    assert.equal(a.credit_code, code);
  });

  test('province and city must match the division list', async () => {
    const ok = [['北京市', '北京市'], ['重庆市', '重庆市'], ['广西壮族自治区', '南宁市'], ['湖北省', '仙桃市'], ['江苏省', null], [null, '苏州市']];
    for (const [province, city] of ok) {
      await createAccount(me, { name: unique(`地${TAG}`), province, city });
    }
    expectProblem(await post('/accounts', me, { name: unique('地'), province: '广东省', city: '苏州市' }), 422, 'city');
    expectProblem(await post('/accounts', me, { name: unique('地'), province: '北京市', city: '市辖区' }), 422, 'city');
    expectProblem(await post('/accounts', me, { name: unique('地'), city: '苏州' }), 422, 'city');
    // PATCH checks the resulting pair.
    const a = await createAccount(me, { name: unique(`地${TAG}`), province: '江苏省', city: '苏州市' });
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: a.version, province: '浙江省' }), 422, 'city');
    expectProblem(await patch(`/accounts/${a.id}`, me, { version: a.version, city: '杭州市' }), 422, 'city');
    const b = expectStatus(await patch(`/accounts/${a.id}`, me, { version: a.version, province: '浙江省', city: '杭州市' }), 200).body;
    assert.equal(b.city, '杭州市');
    const c = expectStatus(await patch(`/accounts/${a.id}`, me, { version: b.version, city: null }), 200).body;
    assert.equal(c.city, null);
  });
});

describe('credit code uniqueness', () => {
  test('409 on create and update; a deleted account frees the code', async () => {
    const code = creditCode();
    const a = await createAccount(me, { name: unique(`唯一${TAG}`), credit_code: code });
    expectProblem(await post('/accounts', me, { name: unique(`唯一${TAG}`), credit_code: code.toLowerCase() }), 409, 'credit_code');
    const b = await createAccount(me, { name: unique(`唯一${TAG}`), credit_code: creditCode() });
    expectProblem(await patch(`/accounts/${b.id}`, me, { version: b.version, credit_code: code }), 409, 'credit_code');
    const unchanged = expectStatus(await get(`/accounts/${b.id}`, me), 200).body;
    assert.equal(unchanged.version, b.version);
    // Another user (who cannot see a) is refused too: the code is unique in the whole archive.
    expectProblem(await post('/accounts', other, { name: unique(`唯一${TAG}`), credit_code: code }), 409, 'credit_code');
    expectStatus(await del(`/accounts/${a.id}`, me), 204);
    const c = await createAccount(me, { name: unique(`唯一${TAG}`), credit_code: code });
    assert.equal(c.credit_code, code);
  });
});

describe('list filters and sorts', () => {
  const T = `筛${SUFFIX}`;
  const made = {};
  before(async () => {
    made.a = await createAccount(me, { name: `${T}甲`, tier: 'A', tier_override_reason: 'r', employees: 500, annual_revenue_fen: 1000, founded_year: 1990, customer_kind: 'channel', ownership_type: 'state_owned', procurement_mode: 'centralized', price_sensitivity: 'high', market_stage: 'mature', province: '广东省', city: '广州市', industry: `业${SUFFIX}`, credit_code: creditCode() });
    made.b = await createAccount(me, { name: `${T}乙`, tier: 'B', tier_override_reason: 'r', employees: 50, annual_revenue_fen: 5000, founded_year: 2010, customer_kind: 'end_user', ownership_type: 'private', procurement_mode: 'decentralized', price_sensitivity: 'low', market_stage: 'development', relationship_stage: 'strengthen', province: '广东省', city: '深圳市' });
    made.c = await createAccount(me, { name: `${T}丙` });
  });
  const ids = async (query) => {
    const res = expectStatus(await get('/accounts', me, { q: T, limit: 200, ...query }), 200, JSON.stringify(query));
    assert.equal(res.body.total, res.body.items.length);
    return res.body.items.map((x) => x.id);
  };

  test('exact filters', async () => {
    const { a, b, c } = made;
    assert.deepEqual(await ids({ tier: 'A' }), [a.id]);
    assert.deepEqual(await ids({ customer_kind: 'end_user' }), [b.id]);
    assert.deepEqual(await ids({ ownership_type: 'state_owned' }), [a.id]);
    assert.deepEqual(await ids({ procurement_mode: 'decentralized' }), [b.id]);
    assert.deepEqual(await ids({ price_sensitivity: 'high' }), [a.id]);
    assert.deepEqual(await ids({ market_stage: 'development' }), [b.id]);
    assert.deepEqual(await ids({ relationship_stage: 'establish', sort: 'id' }), [a.id, c.id]);
    assert.deepEqual(await ids({ province: '广东省', city: '深圳市' }), [b.id]);
    assert.deepEqual(await ids({ industry: `业${SUFFIX}` }), [a.id]);
    assert.deepEqual(await ids({ credit_code: a.credit_code.toLowerCase() }), [a.id]);
    assert.deepEqual(await ids({ in_pool: 'true' }), []);
    assert.deepEqual((await ids({ in_pool: 'false' })).sort(), [a.id, b.id, c.id].sort());
    assert.deepEqual((await ids({ owner_id: me.user.id })).length, 3);
  });

  test('range filters', async () => {
    const { a, b } = made;
    assert.deepEqual(await ids({ employees_min: 100 }), [a.id]);
    assert.deepEqual(await ids({ employees_min: 50, employees_max: 50 }), [b.id]);
    assert.deepEqual(await ids({ annual_revenue_fen_max: 4999 }), [a.id]);
    assert.deepEqual((await ids({ annual_revenue_fen_min: 1000 })).sort(), [a.id, b.id].sort());
    assert.deepEqual(await ids({ founded_year_min: 2000 }), [b.id]);
    assert.deepEqual(await ids({ founded_year_max: 2000 }), [a.id]);
    // Nobody has activity yet: before/after match none.
    assert.deepEqual(await ids({ last_activity_before: '2999-01-01' }), []);
    assert.deepEqual(await ids({ last_activity_after: '2000-01-01T00:00:00Z' }), []);
  });

  test('sorts; accounts without a value come last', async () => {
    const { a, b, c } = made;
    assert.deepEqual(await ids({ sort: 'employees' }), [b.id, a.id, c.id]);
    assert.deepEqual(await ids({ sort: '-employees' }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ sort: 'annual_revenue_fen' }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ sort: '-annual_revenue_fen' }), [b.id, a.id, c.id]);
    assert.deepEqual(await ids({ sort: 'tier' }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ sort: '-tier' }), [b.id, a.id, c.id]);
    assert.deepEqual((await ids({ sort: 'last_activity_at' })).length, 3);
    assert.deepEqual((await ids({ sort: '-last_activity_at' })).length, 3);
  });

  test('bad filter values, unknown filters and sorts are 400', async () => {
    for (const query of [{ tier: 'D' }, { in_pool: 'yes' }, { employees_min: 'ten' }, { founded_year_max: '1.5' },
      { last_activity_before: 'yesterday' }, { relationship_stage: '' }, { ownership_type: 'x' }, { secret: '1' },
      { sort: 'credit_code' }, { sort: '-needs' }]) {
      const field = Object.keys(query)[0];
      expectProblem(await get('/accounts', me, query), 400, field, JSON.stringify(query));
    }
  });
});

describe('divisions', () => {
  test('GET /divisions lists the 31 provinces with their cities', async () => {
    const res = expectStatus(await get('/divisions', me), 200);
    const items = res.body.items;
    assert.equal(items.length, 31);
    const byName = Object.fromEntries(items.map((p) => [p.name, p]));
    assert.deepEqual(byName['北京市'].cities.map((c) => c.name), ['北京市']);
    assert.ok(byName['广东省'].cities.some((c) => c.name === '深圳市' && c.code === '4403'));
    assert.equal(byName['广东省'].code, '44');
    const cities = items.reduce((n, p) => n + p.cities.length, 0);
    assert.ok(cities > 330 && cities < 400, `${cities} cities`);
  });

  test('needs a login', async () => {
    expectProblem(await get('/divisions'), 401);
  });
});

describe('saved views', () => {
  const query = { q: '华为', sort: '-annual_revenue_fen', tier: 'A', in_pool: false, employees_min: 10 };

  test('create, list, get, rename, delete', async () => {
    const name = unique('我的A类');
    const v = expectStatus(await post('/saved-views', me, { entity: 'accounts', name, query }), 201).body;
    assert.ok(v.id > 0);
    assert.equal(v.entity, 'accounts');
    assert.equal(v.name, name);
    assert.deepEqual(v.query, query);
    assert.equal(v.version, 1);
    assert.ok(v.created_at && v.updated_at);
    const list = expectStatus(await get('/saved-views', me, { entity: 'accounts' }), 200).body;
    assert.ok(list.items.some((x) => x.id === v.id));
    assert.equal(list.total, list.items.length);
    assert.deepEqual(expectStatus(await get(`/saved-views/${v.id}`, me), 200).body, v);
    const renamed = expectStatus(await patch(`/saved-views/${v.id}`, me, { version: 1, name: `${name}改` }), 200).body;
    assert.equal(renamed.name, `${name}改`);
    assert.deepEqual(renamed.query, query);
    assert.equal(renamed.version, 2);
    const requeried = expectStatus(await patch(`/saved-views/${v.id}`, me, { version: 2, query: { tier: 'B' } }), 200).body;
    assert.deepEqual(requeried.query, { tier: 'B' });
    expectProblem(await patch(`/saved-views/${v.id}`, me, { version: 1, name: 'stale' }), 409);
    expectStatus(await del(`/saved-views/${v.id}`, me), 204);
    expectProblem(await get(`/saved-views/${v.id}`, me), 404);
    expectProblem(await del(`/saved-views/${v.id}`, me), 404);
  });

  test('a view is private to its user', async () => {
    const v = expectStatus(await post('/saved-views', me, { entity: 'accounts', name: unique('私有'), query: {} }), 201).body;
    expectProblem(await get(`/saved-views/${v.id}`, other), 404);
    expectProblem(await patch(`/saved-views/${v.id}`, other, { version: 1, name: 'mine' }), 404);
    expectProblem(await del(`/saved-views/${v.id}`, other), 404);
    const theirs = expectStatus(await get('/saved-views', other), 200).body;
    assert.ok(!theirs.items.some((x) => x.id === v.id));
    expectStatus(await get(`/saved-views/${v.id}`, me), 200);
  });

  test('validation', async () => {
    const bad = [
      [{ entity: 'accounts', name: 'x', query: { tier: 'D' } }, 'query.tier'],
      [{ entity: 'accounts', name: 'x', query: { password: '1' } }, 'query.password'],
      [{ entity: 'accounts', name: 'x', query: { sort: 'secret' } }, 'query.sort'],
      [{ entity: 'accounts', name: 'x', query: { tier: ['A'] } }, 'query.tier'],
      [{ entity: 'accounts', name: 'x', query: 'tier=A' }, 'query'],
      [{ entity: 'accounts', name: 'x' }, 'query'],
      [{ entity: 'contacts', name: 'x', query: {} }, 'entity'],
      [{ entity: 'accounts', query: {} }, 'name'],
      [{ entity: 'accounts', name: 'n'.repeat(101), query: {} }, 'name'],
    ];
    for (const [body, field] of bad) expectProblem(await post('/saved-views', me, body), 422, field, JSON.stringify(body));
    expectProblem(await get('/saved-views', me, { entity: 'bogus' }), 400, 'entity');
    expectProblem(await get('/saved-views', me, { other: '1' }), 400, 'other');
    expectProblem(await request('POST', '/saved-views', { token: me, raw: '{', contentType: 'application/json' }), 400);
    expectProblem(await get('/saved-views/0', me), 404);
    expectProblem(await patch('/saved-views/999999999', me, { version: 1 }), 404);
    expectProblem(await get('/saved-views'), 401);
  });
});
