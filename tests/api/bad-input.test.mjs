// Bad input: malformed bodies, wrong types, oversize bodies, hostile strings. Never a 500.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, request, get, post, patch, expectStatus, expectProblem, admin, createDepartment, userSession,
  createAccount, unique, SUFFIX, USER_PASSWORD, serverErrors,
} from './lib.mjs';

let me;
let dept;
const req = request;
const postRaw = (path, raw, contentType = 'application/json') => req('POST', path, { token: me, raw, contentType });

before(async () => {
  dept = await createDepartment(unique('坏输入部'));
  me = await userSession({ username: unique('bad'), departmentId: dept.id, roles: ['manager'] });
});

describe('malformed bodies → 400', () => {
  const cases = {
    'truncated JSON': '{"name":',
    'trailing garbage': '{"name":"x"} xyz',
    'single quotes': "{'name':'x'}",
    'trailing comma': '{"name":"x",}',
    'empty body': '',
    'bare word': 'hello',
    'NaN literal': '{"name":"x","industry":NaN}',
    'invalid escape': '{"name":"\\q"}',
    'lone surrogate escape': '{"name":"\\ud800"}',
    'comment': '{"name":"x" /* c */}',
  };
  for (const [what, raw] of Object.entries(cases)) {
    test(`${what} → 400`, async () => {
      expectProblem(await postRaw('/accounts', raw), 400, undefined, what);
    });
  }

  for (const [what, raw] of Object.entries({ array: '[{"name":"x"}]', string: '"x"', number: '42', null: 'null', true: 'true' })) {
    test(`body is a JSON ${what}, not an object → 400`, async () => {
      expectProblem(await postRaw('/accounts', raw), 400, undefined, what);
    });
  }

  test('malformed JSON on PATCH, login, users and departments → 400 too', async () => {
    const a = await createAccount(me, unique('坏补丁'));
    expectProblem(await req('PATCH', `/accounts/${a.id}`, { token: me, raw: '{"version":1,', contentType: 'application/json' }), 400);
    expectProblem(await req('POST', '/auth/login', { raw: '{"username":"admin"', contentType: 'application/json' }), 400);
    const ad = await admin();
    expectProblem(await req('POST', '/users', { token: ad, raw: '{"username":', contentType: 'application/json' }), 400);
    expectProblem(await req('POST', '/departments', { token: ad, raw: '[]', contentType: 'application/json' }), 400);
    const after = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.equal(after.version, 1);
  });
});

describe('invalid UTF-8 → 400', () => {
  const bytes = {
    'lone continuation byte': [0x80],
    'FF FE': [0xff, 0xfe],
    'overlong slash C0 AF': [0xc0, 0xaf],
    'UTF-16 surrogate ED A0 80': [0xed, 0xa0, 0x80],
    'truncated 3-byte sequence': [0xe5, 0x8d],
    'code point above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  };
  for (const [what, b] of Object.entries(bytes)) {
    test(`${what} inside a string → 400`, async () => {
      const raw = Buffer.concat([Buffer.from('{"name":"坏'), Buffer.from(b), Buffer.from(`${SUFFIX}"}`)]);
      expectProblem(await postRaw('/accounts', raw), 400, undefined, what);
    });
  }

  test('invalid UTF-8 in PATCH → 400 and nothing changed', async () => {
    const a = await createAccount(me, unique('字节'));
    const raw = Buffer.concat([Buffer.from('{"version":1,"city":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expectProblem(await req('PATCH', `/accounts/${a.id}`, { token: me, raw, contentType: 'application/json' }), 400);
    const after = expectStatus(await get(`/accounts/${a.id}`, me), 200).body;
    assert.equal(after.version, 1);
    assert.equal(after.city, null);
  });

  test('invalid UTF-8 or NUL percent-encoded in the query string → 400 or an empty list, never 500', async () => {
    const wrong = [];
    for (const qs of ['q=%FF', 'q=%C0%AF', 'province=%FF%FE', 'city=%C0%AF', 'industry=%ED%A0%80', 'q=%ED%A0%80', 'q=%E5%8D', 'q=%00', 'q=a%00b', 'province=%00']) {
      const res = await req('GET', `/accounts?${qs}`, { token: me });
      if (!(res.status === 400 || (res.status === 200 && res.body.total === 0))) wrong.push(`${qs} → ${res.status} ${res.text.slice(0, 80)}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('content type', () => {
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json']) {
    test(`${ct} → 415`, async () => {
      expectProblem(await postRaw('/accounts', JSON.stringify({ name: unique('类型') }), ct), 415, undefined, ct);
    });
  }

  test('no content type with a JSON body → 415', async () => {
    expectProblem(await req('POST', '/accounts', { token: me, raw: JSON.stringify({ name: unique('无类型') }) }), 415);
  });

  test('wrong content type on PATCH → 415 and nothing changed', async () => {
    const a = await createAccount(me, unique('类型补丁'));
    expectProblem(await req('PATCH', `/accounts/${a.id}`, { token: me, raw: '{"version":1,"city":"x"}', contentType: 'text/plain' }), 415);
    assert.equal(expectStatus(await get(`/accounts/${a.id}`, me), 200).body.version, 1);
  });

  test('application/json; charset=utf-8 is accepted', async () => {
    expectStatus(await postRaw('/accounts', JSON.stringify({ name: unique('字符集') }), 'application/json; charset=utf-8'), 201);
  });
});

describe('body size', () => {
  test('a 20 MB body → 413 (problem+json), read in full, and the server keeps serving', async () => {
    const big = `{"name":"${unique('巨大')}","pad":"${'x'.repeat(20 * 1024 * 1024)}"}`;
    const res = await req('POST', '/accounts', { token: me, raw: big, contentType: 'application/json' });
    expectProblem(res, 413);
    expectStatus(await get('/health'), 200);
  });

  test('a chunked (no Content-Length) body over 10 MB → 413', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('y'.repeat(1024 * 1024));
    const body = new ReadableStream({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(`{"name":"${unique('分块')}","pad":"`));
        if (sent >= 16) {
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += 1;
      },
    });
    const res = await fetch(`${API}/accounts`, {
      method: 'POST', headers: { authorization: `Bearer ${me.token}`, 'content-type': 'application/json' }, body, duplex: 'half',
    });
    const text = await res.text();
    assert.equal(res.status, 413, text.slice(0, 300));
    assert.match(res.headers.get('content-type') || '', /problem\+json/);
  });

  test('a body just over 10 MB → 413; a 9 MB body is not refused for its size', async () => {
    const over = `{"name":"${unique('超限')}","pad":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    expectProblem(await req('POST', '/accounts', { token: me, raw: over, contentType: 'application/json' }), 413);
    const under = `{"name":"x","industry":${'1'.repeat(9 * 1024 * 1024)}}`;
    const res = await req('POST', '/accounts', { token: me, raw: under, contentType: 'application/json' });
    assert.ok(res.status !== 413 && res.status < 500, `9 MB body: ${res.status} ${res.text.slice(0, 200)}`);
  });

  test('deeply nested JSON does not crash the server', async () => {
    const depth = 100000;
    const raw = `{"name":"${unique('深')}","industry":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await postRaw('/accounts', raw);
    assert.ok([400, 422].includes(res.status), `${res.status} ${res.text.slice(0, 200)}`);
    expectStatus(await get('/health'), 200, 'still serving');
  });
});

describe('validation → 422 with the field', () => {
  test('missing name → 422, errors[0].field == "name"', async () => {
    const res = expectProblem(await post('/accounts', me, { industry: '制造' }), 422, 'name');
    assert.equal(res.body.errors[0].field, 'name');
  });

  test('name as a number → 422 on name', async () => {
    expectProblem(await post('/accounts', me, { name: 12345 }), 422, 'name');
  });

  test('control characters in name: 422 or stored verbatim, never 500', async () => {
    for (const name of [`a\u0000b${SUFFIX}`, `tab\there${SUFFIX}`, `nl\nhere${SUFFIX}`, `bell\u0007${SUFFIX}`]) {
      const res = await post('/accounts', me, { name });
      assert.ok([201, 422].includes(res.status), `${JSON.stringify(name)}: ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status === 201) {
        const got = expectStatus(await get(`/accounts/${res.body.id}`, me), 200);
        assert.equal(got.body.name, name, 'stored verbatim');
      } else {
        expectProblem(res, 422, 'name');
      }
    }
  });

  test('absurd version numbers → 409 or 422, never 500', async () => {
    const a = await createAccount(me, unique('版本'));
    for (const raw of ['{"version":1e400}', '{"version":9223372036854775807}', '{"version":18446744073709551616}', '{"version":-9223372036854775808}', '{"version":0}', '{"version":1.5}', '{"version":true}', '{"version":null}']) {
      const res = await req('PATCH', `/accounts/${a.id}`, { token: me, raw, contentType: 'application/json' });
      assert.ok([400, 409, 422].includes(res.status), `${raw}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.equal(expectStatus(await get(`/accounts/${a.id}`, me), 200).body.version, 1);
  });

  test('a very long name → 201 or 422, never 500', async () => {
    const res = await post('/accounts', me, { name: `${unique('长')}${'名'.repeat(20000)}` });
    assert.ok([201, 422].includes(res.status), `${res.status} ${res.text.slice(0, 200)}`);
  });
});

describe('hostile strings are stored verbatim and findable', () => {
  let own; // a specialist (data scope: self): its lists hold exactly these accounts (province must be a real one)
  const strings = {
    drop: `'; DROP TABLE accounts; --${SUFFIX}`,
    quotes: `O'Brien "华为"${SUFFIX}`,
    wildcards: `%_\\${SUFFIX}`,
    union: `x' UNION SELECT password_hash FROM users --${SUFFIX}`,
    backslashQuote: `\\'; SELECT 1; --${SUFFIX}`,
    emoji: `火箭🚀科技${SUFFIX}`,
    html: `<script>alert(1)</script>${SUFFIX}`,
    pgDollar: `$$; DROP TABLE users; $$${SUFFIX}`,
  };
  const made = {};
  before(async () => {
    own = await userSession({ username: unique('hostile'), departmentId: dept.id, roles: ['specialist'] });
    for (const [k, name] of Object.entries(strings)) {
      made[k] = await createAccount(own, { name, address: name, industry: name });
    }
  });

  test('returned verbatim on create and GET (all text fields)', async () => {
    for (const [k, name] of Object.entries(strings)) {
      for (const f of ['name', 'address', 'industry']) assert.equal(made[k][f], name, `${k}.${f} on create`);
      const got = expectStatus(await get(`/accounts/${made[k].id}`, me), 200).body;
      for (const f of ['name', 'address', 'industry']) assert.equal(got[f], name, `${k}.${f} on GET`);
    }
  });

  test('each is findable by q (the full string and a fragment)', async () => {
    const find = async (q) => {
      const res = expectStatus(await get('/accounts', own, { q, limit: 200 }), 200, `q=${q}`);
      return res.body.items.map((a) => a.id).sort((x, y) => x - y);
    };
    for (const [k, name] of Object.entries(strings)) {
      assert.ok((await find(name)).includes(made[k].id), `${k} by full name`);
      assert.deepEqual(await find(name), [made[k].id], `${k}: the full name matches only itself`);
    }
    assert.deepEqual(await find("O'Brien"), [made.quotes.id]);
    assert.deepEqual(await find('"华为"'), [made.quotes.id]);
    assert.deepEqual(await find('DROP TABLE accounts'), [made.drop.id]);
    assert.deepEqual(await find('🚀'), [made.emoji.id]);
    assert.deepEqual(await find('<script>'), [made.html.id]);
  });

  test('LIKE wildcards in q are literal: % and _ and \\ match only themselves', async () => {
    const expected = (q) => Object.keys(strings).filter((k) => strings[k].includes(q)).map((k) => made[k].id).sort((x, y) => x - y);
    for (const q of ['%', '_', '\\', '%_', '%_\\', "'", '"', ';', '--', '$$']) {
      const res = expectStatus(await get('/accounts', own, { q, limit: 200 }), 200, `q=${q}`).body;
      const got = res.items.map((a) => a.id).sort((x, y) => x - y);
      assert.deepEqual(got, expected(q), `q=${q} matched ${JSON.stringify(res.items.map((a) => a.name))}`);
      assert.equal(res.total, got.length, `q=${q} total`);
    }
    assert.deepEqual(expected('%'), [made.wildcards.id], 'sanity: only one name has %');
    // a wildcard search without the province filter must not return everything either
    const all = expectStatus(await get('/accounts', me, { q: '%', limit: 200 }), 200).body;
    assert.ok(all.items.every((a) => a.name.includes('%')), 'q=% only returns names containing %');
  });

  test('hostile strings in filters and sort are harmless', async () => {
    const byProvince = expectStatus(await get('/accounts', own, { limit: 200 }), 200).body;
    assert.equal(byProvince.total, Object.keys(strings).length);
    const byIndustry = expectStatus(await get('/accounts', me, { industry: strings.drop }), 200).body;
    assert.deepEqual(byIndustry.items.map((a) => a.id), [made.drop.id]);
    const inj = expectStatus(await get('/accounts', me, { province: "' OR '1'='1" }), 200).body;
    assert.equal(inj.total, 0);
    expectProblem(await get('/accounts', me, { sort: 'name; DROP TABLE accounts' }), 400, 'sort');
    expectStatus(await get('/accounts', me, { q: strings.drop }), 200);
  });

  test('tables survive: accounts and users still work', async () => {
    expectStatus(await get('/accounts', me, { limit: 1 }), 200);
    expectStatus(await get('/users', await admin(), { limit: 1 }), 200);
  });

  test('hostile strings in department and user names are stored verbatim', async () => {
    const d = await createDepartment(`'; DROP TABLE departments; --${SUFFIX}`, dept.id);
    assert.equal(d.name, `'; DROP TABLE departments; --${SUFFIX}`);
    const display = `O'Brien "华为" %_\\${SUFFIX}`;
    const res = await post('/users', await admin(), {
      username: unique("o'brien"), password: USER_PASSWORD, display_name: display, department_id: d.id, role_ids: [],
    });
    assert.ok([201, 422].includes(res.status), `username with a quote: ${res.status} ${res.text}`);
    const res2 = expectStatus(await post('/users', await admin(), {
      username: unique('obrien'), password: USER_PASSWORD, display_name: display, department_id: d.id, role_ids: [],
    }), 201);
    assert.equal(res2.body.display_name, display);
    assert.equal(expectStatus(await get(`/users/${res2.body.id}`, await admin()), 200).body.display_name, display);
  });
});

describe('odd methods and paths', () => {
  test('unknown paths → 404, unsupported methods → 404/405, never 500', async () => {
    const r1 = await req('GET', '/no-such-thing', { token: me });
    assert.ok([404].includes(r1.status), `${r1.status}`);
    const r2 = await req('PUT', '/accounts', { token: me, body: { name: 'x' } });
    assert.ok([404, 405].includes(r2.status), `PUT /accounts: ${r2.status}`);
    const r3 = await req('DELETE', '/accounts', { token: me });
    assert.ok([404, 405].includes(r3.status), `DELETE /accounts: ${r3.status}`);
    const r4 = await req('GET', '/accounts/1/../../users', { token: me });
    assert.ok(r4.status < 500, `dot segments: ${r4.status}`);
  });
});

test('no 5xx response anywhere in this file', () => {
  assert.deepEqual(serverErrors, []);
});
