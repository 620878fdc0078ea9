// Spreadsheets of the customer archive: POST /imports (CSV UTF-8/BOM/GB18030, XLSX; dry run; all or
// nothing; duplicates), GET /accounts/export (CSV/XLSX, formula neutralising), the 客户档案表 form.
// XLSX files are written and checked with Debian's python3-openpyxl (tests/api/xlsx_check.py).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API, get, request, expectStatus, createDepartment, userSession, unique, serverErrors,
} from './lib.mjs';

const PY = '/usr/bin/python3';
const HELPER = join(dirname(fileURLToPath(import.meta.url)), 'xlsx_check.py');
const work = mkdtempSync(join(tmpdir(), 'kam-import-'));
after(() => rmSync(work, { recursive: true, force: true }));

let me; // a manager: accounts.import, accounts.export, department_tree scope
let dept;
before(async () => {
  dept = await createDepartment(unique('导入测试部'));
  me = await userSession({ username: unique('imp'), departmentId: dept.id, roles: ['manager'] });
});

// A valid 统一社会信用代码 (GB 32100-2015 check character) from a counter.
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
let codeCounter = Math.floor(Math.random() * 1e8);
function creditCode() {
  codeCounter += 1;
  const body = `91320500${String(codeCounter).padStart(9, '0').slice(-9)}`;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CODE_CHARS.indexOf(body[i]) * WEIGHTS[i];
  return body + CODE_CHARS[(31 - (sum % 31)) % 31];
}

const csv = (rows) => rows.map((r) => r.map((c) => {
  const s = String(c ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}).join(',')).join('\r\n') + '\r\n';

function xlsxFromRows(rows) {
  const file = join(work, `${unique('in')}.xlsx`);
  execFileSync(PY, [HELPER, 'write', file], { input: JSON.stringify(rows) });
  return readFileSync(file);
}

function readXlsx(bytes) {
  const file = join(work, `${unique('out')}.xlsx`);
  writeFileSync(file, bytes);
  return JSON.parse(execFileSync(PY, [HELPER, 'read', file]).toString('utf8'));
}

async function upload(fileBytes, fields = {}, filename = 'accounts.csv', token = me) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  form.append('file', new Blob([fileBytes]), filename);
  const res = await fetch(`${API}/imports`, { method: 'POST', headers: { authorization: `Bearer ${token.token}` }, body: form });
  const text = await res.text();
  if (res.status >= 500) serverErrors.push(`POST /imports → ${res.status} ${text.slice(0, 200)}`);
  return { status: res.status, text, body: text && /json/.test(res.headers.get("content-type") || "") ? JSON.parse(text) : null };
}

async function findByName(name) {
  const res = expectStatus(await get('/accounts', me, { q: name, limit: 50 }), 200);
  return res.body.items.filter((a) => a.name === name);
}

async function download(path, query) {
  const url = new URL(`${API}${path}`);
  for (const [k, v] of Object.entries(query || {})) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { authorization: `Bearer ${me.token}` } });
  return { status: res.status, contentType: res.headers.get('content-type') || '', disposition: res.headers.get('content-disposition') || '', bytes: Buffer.from(await res.arrayBuffer()) };
}

const HEADER = ['客户名称', '统一社会信用代码', '行业', '省份', '城市', '所有制', '员工人数', '年营业额（万元）', '客户等级', '采购模式', '序号'];

describe('multipart', () => {
  test('a JSON body is 415', async () => {
    const res = await request('POST', '/imports', { token: me, body: { kind: 'accounts' } });
    assert.equal(res.status, 415);
  });
  test('an upload over 10 MB is 413', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1024, 0x61);
    const res = await upload(big);
    assert.equal(res.status, 413);
  });
  test('missing file and bad options are 422 naming the fields', async () => {
    const form = new FormData();
    form.append('kind', 'dealers');
    form.append('on_duplicate', 'merge');
    const res = await fetch(`${API}/imports`, { method: 'POST', headers: { authorization: `Bearer ${me.token}` }, body: form });
    assert.equal(res.status, 422);
    const fields = (await res.json()).errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['file', 'kind', 'on_duplicate']);
  });
  test('a specialist may not import (403)', async () => {
    const spec = await userSession({ username: unique('impspec'), departmentId: dept.id, roles: ['specialist'] });
    const res = await upload(csv([['名称'], [unique('某公司')]]), { dry_run: 'true' }, 'a.csv', spec);
    assert.equal(res.status, 403);
  });
});

describe('accounts', () => {
  test('a dry run reports and writes nothing', async () => {
    const names = [unique('苏州试算有限公司'), unique('无锡试算有限公司')];
    const res = await upload(csv([HEADER, [names[0], creditCode(), '装备制造', '江苏省', '苏州市', '民营', '120', '1.5', 'A', '集中采购', '1'],
      [names[1], '', '', '江苏省', '无锡市', '', '', '', '', '', '2']]));
    expectStatus(res, 200);
    assert.equal(res.body.dry_run, true);
    assert.equal(res.body.rows, 2);
    assert.equal(res.body.valid, 2);
    assert.equal(res.body.created, 2);
    assert.deepEqual(res.body.errors, []);
    assert.deepEqual(res.body.ignored_columns, ['序号']);
    for (const n of names) assert.equal((await findByName(n)).length, 0, n);
  });

  test('one bad row writes nothing and names its row and column', async () => {
    const names = [unique('南京全无有限公司'), unique('常州全无有限公司'), unique('扬州全无有限公司')];
    const res = await upload(csv([HEADER, [names[0], creditCode(), '', '江苏省', '南京市', '', '', '', '', '', ''],
      [names[1], '', '', '江苏省', '常州市', '', 'many', '', '', '', ''],
      [names[2], '91320500MA1XXXXXX0', '', '江苏省', '扬州市', '', '', '', '', '', '']]), { dry_run: 'false' });
    expectStatus(res, 200);
    assert.equal(res.body.dry_run, false);
    assert.equal(res.body.created, 0);
    assert.equal(res.body.updated, 0);
    assert.equal(res.body.valid, 1);
    const where = res.body.errors.map((e) => `${e.row}:${e.column}`);
    assert.deepEqual(where, ['3:员工人数', '4:统一社会信用代码']);
    for (const n of names) assert.equal((await findByName(n)).length, 0, n);
  });

  test('a GB18030 CSV imports Chinese text, labels and units', async () => {
    const name = unique('深圳国标有限公司');
    const code = creditCode();
    const text = csv([HEADER, [name, code, '电子', '广东省', '深圳市', '民营', '1,200', '1.5', 'B', '分散采购', '']]);
    const gb = execFileSync(PY, [HELPER, 'gb18030'], { input: Buffer.from(text, 'utf8') });
    assert.notDeepEqual(gb, Buffer.from(text, 'utf8'));
    const res = await upload(gb, { dry_run: 'false' });
    expectStatus(res, 200);
    assert.deepEqual(res.body.errors, []);
    assert.equal(res.body.created, 1);
    const [a] = await findByName(name);
    assert.ok(a, 'imported');
    assert.equal(a.city, '深圳市');
    assert.equal(a.industry, '电子');
    assert.equal(a.credit_code, code);
    assert.equal(a.ownership_type, 'private');
    assert.equal(a.employees, 1200);
    assert.equal(a.annual_revenue_fen, 1500000);
    assert.equal(a.tier, 'B');
    assert.equal(a.procurement_mode, 'decentralized');
    assert.equal(a.owner_id, me.user.id);
    assert.equal(a.department_id, dept.id);
    const audit = expectStatus(await get('/audit', me, { entity: 'account', entity_id: a.id }), 200);
    assert.equal(audit.body.items.length, 1);
    assert.equal(audit.body.items[0].action, 'create');
  });

  test('a UTF-8 CSV with BOM and English headers imports', async () => {
    const name = unique('Beijing BOM Co');
    const res = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([['name', 'province', 'city', 'address'], [name, '北京市', '北京市', '朝阳区 "一号"']]))]), { dry_run: 'false' });
    expectStatus(res, 200);
    assert.equal(res.body.created, 1);
    const [a] = await findByName(name);
    assert.equal(a.address, '朝阳区 "一号"');
  });

  test('an XLSX written by openpyxl imports numbers as numbers', async () => {
    const names = [unique('杭州表格有限公司'), unique('宁波表格有限公司')];
    const bytes = xlsxFromRows([['客户名称', '省份', '城市', '员工人数', '成立年份', '市场阶段'],
      [names[0], '浙江省', '杭州市', 350, 2005, '成熟'], [names[1], '浙江省', '宁波市', 20, 2019, '整改']]);
    const res = await upload(bytes, { dry_run: 'false' }, 'accounts.xlsx');
    expectStatus(res, 200);
    assert.deepEqual(res.body.errors, []);
    assert.equal(res.body.created, 2);
    const [a] = await findByName(names[0]);
    assert.equal(a.employees, 350);
    assert.equal(a.founded_year, 2005);
    assert.equal(a.market_stage, 'mature');
  });

  test('duplicates: fail, skip and update (by credit code, else by exact name)', async () => {
    const names = [unique('合肥重复有限公司'), unique('芜湖重复有限公司')];
    const code = creditCode();
    const first = csv([['名称', '统一社会信用代码', '行业', '省份', '城市'], [names[0], code, '化工', '安徽省', '合肥市'], [names[1], '', '化工', '安徽省', '芜湖市']]);
    expectStatus(await upload(first, { dry_run: 'false' }), 200);
    const again = csv([['名称', '统一社会信用代码', '行业', '省份', '城市'], [`${names[0]}（新名）`, code, '新材料', '安徽省', '合肥市'], [names[1], '', '新材料', '安徽省', '芜湖市']]);
    const failed = expectStatus(await upload(again, { dry_run: 'false' }), 200);
    assert.deepEqual(failed.body.errors.map((e) => `${e.row}:${e.column}`), ['2:统一社会信用代码', '3:名称']);
    assert.equal(failed.body.created, 0);
    const skipped = expectStatus(await upload(again, { dry_run: 'false', on_duplicate: 'skip' }), 200);
    assert.deepEqual([skipped.body.created, skipped.body.updated, skipped.body.skipped], [0, 0, 2]);
    const updated = expectStatus(await upload(again, { dry_run: 'false', on_duplicate: 'update' }), 200);
    assert.deepEqual([updated.body.created, updated.body.updated, updated.body.skipped], [0, 2, 0]);
    const [renamed] = await findByName(`${names[0]}（新名）`);
    assert.ok(renamed, 'renamed by the credit-code match');
    assert.equal(renamed.industry, '新材料');
    assert.equal(renamed.version, 2);
    const [other] = await findByName(names[1]);
    assert.equal(other.industry, '新材料');
    assert.equal((await findByName(names[0])).length, 0);
  });

  test('duplicate rows inside one file are errors', async () => {
    const name = unique('重复行公司');
    const res = expectStatus(await upload(csv([['名称'], [name], [name]]), { dry_run: 'true' }), 200);
    assert.deepEqual(res.body.errors.map((e) => e.row), [3]);
  });
});

describe('contacts import and the archive form', () => {
  let account;
  before(async () => {
    const name = unique('武汉表单有限公司');
    const res = expectStatus(await upload(csv([['名称', '统一社会信用代码', '省份', '城市', '地址', '需求', '客户等级'],
      [name, creditCode(), '湖北省', '武汉市', '东湖高新区 <b>1号</b>', '年度集中采购', 'A']]), { dry_run: 'false' }), 200);
    assert.deepEqual(res.body.errors, []);
    [account] = await findByName(name);
    assert.ok(account, `found ${name}`);
  });

  test('contacts find their account by 档案编号 or by name', async () => {
    const res = await upload(csv([['档案编号', '客户名称', '姓名', '职务', '电话', '角色', '态度'],
      [account.archive_no, '', '张伟', '采购总监', '13800000000', '决策者', '支持'],
      ['', account.name, '李娜', '工程师', '13900000000', '使用者', '中立']]), { kind: 'contacts', dry_run: 'false' });
    expectStatus(res, 200);
    assert.deepEqual(res.body.errors, []);
    assert.equal(res.body.created, 2);
  });

  test('a contact of an unknown account is an error on that row', async () => {
    const res = await upload(csv([['客户名称', '姓名'], [unique('不存在公司'), '王五']]), { kind: 'contacts', dry_run: 'false' });
    expectStatus(res, 200);
    assert.deepEqual(res.body.errors.map((e) => `${e.row}:${e.column}`), ['2:客户名称']);
  });

  test('archive.xlsx is the 客户档案表 with the account and its contacts', async () => {
    const res = await download(`/accounts/${account.id}/forms/archive.xlsx`);
    assert.equal(res.status, 200);
    assert.match(res.contentType, /spreadsheetml/);
    assert.match(res.disposition, /attachment/);
    const book = readXlsx(res.bytes);
    assert.equal(book.rows[0][0], '客户档案表');
    assert.ok(book.merged.includes('A1:F1'));
    const cells = book.rows.flat();
    for (const v of [account.archive_no, account.name, '湖北省 武汉市', '年度集中采购', '张伟', '采购总监', '决策者', '李娜']) {
      assert.ok(cells.includes(v), v);
    }
    assert.ok(book.bordered > 20, 'bordered grid');
  });

  test('archive.html is a printable page with escaped values', async () => {
    const res = await download(`/accounts/${account.id}/forms/archive.html`);
    assert.equal(res.status, 200);
    assert.match(res.contentType, /text\/html/);
    const html = res.bytes.toString('utf8');
    assert.match(html, /<h1>客户档案表<\/h1>/);
    assert.ok(html.includes(account.archive_no));
    assert.ok(html.includes('东湖高新区 &lt;b&gt;1号&lt;/b&gt;'));
    assert.ok(html.includes('张伟'));
  });

  test('the form of an account outside the scope is 404', async () => {
    const other = await userSession({ username: unique('impother'), departmentId: (await createDepartment(unique('他部'))).id, roles: ['specialist'] });
    const res = await fetch(`${API}/accounts/${account.id}/forms/archive.xlsx`, { headers: { authorization: `Bearer ${other.token}` } });
    assert.equal(res.status, 404);
  });
});

describe('export', () => {
  const tag = unique('导出');
  before(async () => {
    expectStatus(await upload(csv([['名称', '省份', '城市', '地址', '需求', '所有制'],
      [`${tag}甲公司`, '上海市', '上海市', '=HYPERLINK("http://evil")', '+86 21 5555', '国有'],
      [`${tag}乙公司`, '上海市', '上海市', '@SUM(A1)', '-1', '']]), { dry_run: 'false' }), 200);
  });

  test('CSV: BOM, Chinese headers, matching accounts only, neutralised cells', async () => {
    const res = await download('/accounts/export', { format: 'csv', q: tag, sort: '-name' });
    assert.equal(res.status, 200);
    assert.match(res.contentType, /text\/csv/);
    assert.match(res.disposition, /filename\*=UTF-8''/);
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = res.bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[0].startsWith('档案编号,客户名称,统一社会信用代码'));
    assert.ok(lines[1].includes(`${tag}甲公司`));
    assert.ok(lines[1].includes('"\'=HYPERLINK(""http://evil"")"'));
    assert.ok(lines[1].includes("'+86 21 5555"));
    assert.ok(lines[1].includes(',国有,'));
    assert.ok(lines[2].includes("'@SUM(A1)"));
    assert.ok(lines[2].includes(",'-1,"));
  });

  test('XLSX opened with openpyxl: values and neutralised cells', async () => {
    const res = await download('/accounts/export', { format: 'xlsx', q: tag, sort: '-name' });
    assert.equal(res.status, 200);
    const book = readXlsx(res.bytes);
    assert.equal(book.rows.length, 3);
    const h = book.rows[0];
    assert.equal(h[0], '档案编号');
    const col = (name) => h.indexOf(name);
    assert.equal(book.rows[1][col('客户名称')], `${tag}甲公司`);
    assert.equal(book.rows[1][col('地址')], '\'=HYPERLINK("http://evil")');
    assert.equal(book.rows[1][col('需求')], "'+86 21 5555");
    assert.equal(book.rows[1][col('所有制')], '国有');
    assert.equal(book.rows[2][col('地址')], "'@SUM(A1)");
  });

  test('an exported file imports back as duplicates (skip)', async () => {
    const res = await download('/accounts/export', { format: 'xlsx', q: tag });
    const back = expectStatus(await upload(res.bytes, { dry_run: 'true', on_duplicate: 'skip' }, 'export.xlsx'), 200);
    assert.deepEqual(back.body.errors, []);
    assert.equal(back.body.skipped, 2);
  });

  test('a bad format is 422', async () => {
    const res = await download('/accounts/export', { format: 'pdf' });
    assert.equal(res.status, 422);
  });
});

test('no server errors', () => {
  assert.deepEqual(serverErrors, []);
});
