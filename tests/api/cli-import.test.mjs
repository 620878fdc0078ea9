// `kam import` (the command-line bulk load, README) against the database of the server under test:
// a dry run writes nothing, an import writes every row and the API then serves them, a file with
// one bad row writes nothing and exits 1 with the row-by-row report, a file piped on standard input
// is read, an unreadable file, a directory or an unknown user exits 2.
//
// Needs KAM_BIN and KAM_DB_URL (the database of the server at KAM_URL), which
// tests/api/run-both.sh and scripts/test-all set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, expectStatus, createDepartment, userSession, unique, ADMIN_PASSWORD } from './lib.mjs';

const BIN = process.env.KAM_BIN;
const DB_URL = process.env.KAM_DB_URL;
const work = mkdtempSync(join(tmpdir(), 'kam-cli-import-'));
after(() => rmSync(work, { recursive: true, force: true }));

let me; // a manager whose department owns what the command imports as them
before(async () => {
  assert.ok(BIN && DB_URL, 'KAM_BIN and KAM_DB_URL must be set (tests/api/run-both.sh and scripts/test-all set them)');
  const dept = await createDepartment(unique('命令行导入部'));
  me = await userSession({ username: unique('cli'), departmentId: dept.id, roles: ['manager'] });
});

/** Runs `kam import` as `me` on a file of `lines`; returns {status, report, stderr}. */
function kamImport(lines, ...flags) {
  const file = join(work, `${unique('f')}.csv`);
  writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
  return run('--owner', me.user.username, ...flags, file);
}

function run(...args) {
  return spawnImport(BIN, ['import', '--db', DB_URL, '--kind', 'accounts', ...args]);
}

/** `cat file | kam import … /dev/stdin`: a real pipe (node's own stdin for a child is a socket). */
function runPiped(file, ...args) {
  return spawnImport('/bin/sh', ['-c', 'cat "$0" | "$@"', file, BIN, 'import', '--db', DB_URL, '--kind', 'accounts',
    ...args, '/dev/stdin']);
}

function spawnImport(command, args) {
  const r = spawnSync(command, args, {
    env: { ...process.env, KAM_ADMIN_PASSWORD: ADMIN_PASSWORD },
    encoding: 'utf8',
    timeout: 60000,
  });
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    // no report: arguments refused before the import
  }
  return { status: r.status, report, stderr: r.stderr };
}

/** The accounts `me` sees whose name contains `q`. */
async function listed(q) {
  const res = await get('/accounts', me.token, { q, limit: 100 });
  expectStatus(res, 200);
  return res.body.items;
}

test('a dry run reports what it would write and writes nothing; the import then writes it all', async () => {
  const tag = unique('命令行');
  const lines = ['客户名称,行业,省份,城市,年营业额（万元）',
    `${tag}甲公司,医药,江苏省,苏州市,120`, `${tag}乙公司,机械,浙江省,杭州市,35.5`, `${tag}丙公司,物流,,,`];

  const dry = kamImport(lines, '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(dry.report.dry_run, true);
  assert.equal(dry.report.rows, 3);
  assert.equal(dry.report.created, 3);
  assert.deepEqual(dry.report.errors, []);
  assert.match(dry.stderr, /3 rows in .* s \(\d+ rows\/s\), dry run; peak memory \d+ MB/);
  assert.deepEqual(await listed(tag), []);

  const applied = kamImport(lines);
  assert.equal(applied.status, 0, applied.stderr);
  assert.equal(applied.report.dry_run, false);
  assert.equal(applied.report.created, 3);
  const items = await listed(tag);
  assert.deepEqual(items.map((a) => a.name).sort(), [`${tag}丙公司`, `${tag}乙公司`, `${tag}甲公司`].sort());
  const second = items.find((a) => a.name === `${tag}乙公司`);
  assert.equal(second.owner_id, me.user.id);
  assert.equal(second.city, '杭州市');
  assert.equal(second.annual_revenue_fen, 35500000);
  assert.match(second.archive_no, /^KA-\d{4}-\d{6,}$/);

  // The same file again: every row is a duplicate; skipped on request, nothing new.
  const again = kamImport(lines, '--on-duplicate', 'skip');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.report.skipped, 3);
  assert.equal(again.report.created, 0);
  assert.equal((await listed(tag)).length, 3);
});

test('one bad row: exit 1, the row and column reported, nothing written', async () => {
  const tag = unique('命令行坏');
  const r = kamImport(['客户名称,省份,员工人数', `${tag}一,江苏省,10`, `${tag}二,火星省,20`, `${tag}三,浙江省,很多`]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.report.rows, 3);
  assert.equal(r.report.valid, 1);
  assert.equal(r.report.created, 0);
  assert.deepEqual(r.report.errors.map((e) => [e.row, e.column]), [[3, '省份'], [4, '员工人数']]);
  assert.deepEqual(await listed(tag), []);
});

test('a file piped on standard input is read to its end', async () => {
  const tag = unique('管道');
  const file = join(work, 'piped.csv');
  writeFileSync(file, `客户名称,行业\n${tag}甲,医药\n${tag}乙,机械\n`);
  const r = runPiped(file, '--owner', me.user.username);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.report.created, 2);
  assert.deepEqual((await listed(tag)).map((a) => a.name).sort(), [`${tag}乙`, `${tag}甲`].sort());
});

test('an unreadable file, a directory or an unknown user: exit 2 before anything is read', async () => {
  const missing = run('--owner', me.user.username, join(work, 'no-such-file.csv'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read .*no-such-file\.csv/);
  const directory = run('--owner', me.user.username, work);
  assert.equal(directory.status, 2);
  assert.match(directory.stderr, /cannot read /);

  const file = join(work, 'ok.csv');
  writeFileSync(file, `客户名称\n${unique('无人')}\n`);
  const nobody = run('--owner', unique('nobody'), file);
  assert.equal(nobody.status, 2);
  assert.match(nobody.stderr, /no active user/);
});
