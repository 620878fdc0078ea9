// Two servers on one database (scale-out, ARCHITECTURE.md): a session from one is valid on the
// other, a change made on one is seen by the other, and the customer-pool recovery run by both at
// once (plus their background jobs) returns every idle account to the pool exactly once.
//
// Needs KAM_BIN (the kam binary) and KAM_DB_URL (the database of the server at KAM_URL), which
// tests/api/run-both.sh and scripts/test-all set; the second server is started here with --test-clock like the first.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import {
  get, post, patch, request, expectStatus, admin, createDepartment, userSession, createAccount, unique,
  ADMIN_PASSWORD, serverErrors,
} from './lib.mjs';

const BIN = process.env.KAM_BIN;
const DB_URL = process.env.KAM_DB_URL;
const DAY = 86400000;

let second; // { child, base }
let adm, alice;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startSecond() {
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--db', DB_URL, '--listen', `127.0.0.1:${port}`, '--quiet', '--test-clock'], {
    env: { ...process.env, KAM_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the second server exited: ${log}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw new Error(`the second server did not become healthy: ${log}`);
}

/** The same request against the second server. */
const on2 = (method, path, token, body) =>
  request(method, `${second.base}/api/v1${path}`, { token, body });

async function setClock(iso) {
  expectStatus(await request('PUT', '/test/clock', { token: adm, body: { now: iso } }), 200, 'clock 1');
  expectStatus(await on2('PUT', '/test/clock', adm, { now: iso }), 200, 'clock 2');
}

async function poolSettings(values) {
  const current = expectStatus(await get('/settings/pool', adm), 200).body;
  return expectStatus(await patch('/settings/pool', adm, { version: current.version, ...values }), 200).body;
}

before(async () => {
  assert.ok(BIN && DB_URL, 'KAM_BIN and KAM_DB_URL must be set (tests/api/run-both.sh and scripts/test-all set them)');
  second = await startSecond();
  adm = await admin();
  const dept = await createDepartment(unique('双机部'));
  alice = await userSession({ username: unique('twin'), displayName: '双机专员', departmentId: dept.id, roles: ['specialist'] });
});

after(async () => {
  if (adm && second) {
    await request('PUT', '/test/clock', { token: adm, body: { now: null } });
    await on2('PUT', '/test/clock', adm, { now: null });
  }
  if (adm) await poolSettings({ recovery_days: { none: 30 } });
  if (second) {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
  assert.deepEqual(serverErrors, [], 'no 5xx with two servers');
});

describe('two servers on one database', () => {
  test('a session and a change made on one server hold on the other', async () => {
    const mine = await createAccount(alice, { name: unique('双机客户') });
    const seen = expectStatus(await on2('GET', `/accounts/${mine.id}`, alice), 200, 'read on server 2').body;
    assert.equal(seen.name, mine.name);
    const renamed = expectStatus(await on2('PATCH', `/accounts/${mine.id}`, alice, { version: seen.version, name: `${mine.name}改` }), 200).body;
    assert.equal(expectStatus(await get(`/accounts/${mine.id}`, alice), 200).body.name, renamed.name);
    // A stale version is refused whichever server took the first write.
    assert.equal((await patch(`/accounts/${mine.id}`, alice, { version: seen.version, name: 'x' })).status, 409);
  });

  test('recovery run by both servers at once returns each idle account to the pool exactly once', async () => {
    const ids = [];
    for (let batch = 0; batch < 6; batch++) {
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createAccount(alice, { name: unique(`闲置客户${batch}-${i}`) })),
      );
      ids.push(...created.map((a) => a.id));
    }
    // Untiered accounts return after one day without activity; both clocks two days ahead
    // (sessions last seven days, so everyone stays logged in).
    await poolSettings({ recovery_days: { none: 1 } });
    await setClock(new Date(Date.now() + 2 * DAY).toISOString());
    const runs = await Promise.all(
      [1, 2, 1, 2, 1, 2].map((server) =>
        server === 1 ? post('/jobs/pool-recovery/run', adm, {}) : on2('POST', '/jobs/pool-recovery/run', adm, {}),
      ),
    );
    for (const r of runs) expectStatus(r, 200, 'recovery run');
    const total = runs.reduce((sum, r) => sum + r.body.recovered, 0);
    assert.ok(total >= ids.length, `recovered ${total} (other files' idle accounts may be among them)`);
    for (const id of ids) {
      const account = expectStatus(await get(`/accounts/${id}`, adm), 200).body;
      assert.equal(account.owner_id, null, `account ${id} is in the pool`);
      const audit = expectStatus(await get('/audit', adm, { entity: 'account', entity_id: id }), 200).body;
      assert.equal(audit.items.filter((e) => e.action === 'recover').length, 1, `account ${id} recovered once`);
      const log = expectStatus(await on2('GET', `/accounts/${id}/ownership-log`, adm), 200).body;
      assert.equal(log.items.filter((e) => e.action === 'recover').length, 1, `account ${id}: one ownership-log entry`);
    }
  });
});
