// Approvals end to end: gift and reception requests through the chain
// (chain × amount × role), self-approval refused, wrong approver 403, scope
// 404, return and resubmit, withdraw, budgets and over-budget escalation,
// immutability after a decision, chains edited by an admin, inbox and mine,
// forms, cost of development, and a parallel-approve race (one transition,
// one audit row).
//
// Every file of a run shares one database: other files create directors and
// finance users too, so role steps are checked to *include* ours; the
// department steps use departments of this file only and are exact.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API, get, post, patch, del, expectStatus, expectProblem, createDepartment, userSession, createAccount, unique,
  admin, request, serverErrors,
} from './lib.mjs';

const HELPER = join(dirname(fileURLToPath(import.meta.url)), 'xlsx_check.py');
const PY = '/usr/bin/python3';
let work;

let top; let team; let spec; let peer; let mgr; let mgr2; let director; let fin; let account; let mgrAccount;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kam-approvals-'));
  top = await createDepartment(unique('审批测试大客户部'));
  team = await createDepartment(unique('审批测试小组'), top.id);
  spec = await userSession({ username: unique('aps'), displayName: '专员甲', departmentId: team.id, roles: ['specialist'] });
  peer = await userSession({ username: unique('app'), departmentId: team.id, roles: ['specialist'] });
  mgr = await userSession({ username: unique('apm'), displayName: '经理甲', departmentId: top.id, roles: ['manager'] });
  mgr2 = await userSession({ username: unique('apn'), displayName: '经理乙', departmentId: top.id, roles: ['manager'] });
  director = await userSession({ username: unique('apd'), displayName: '总监', departmentId: top.id, roles: ['director'] });
  fin = await userSession({ username: unique('apf'), displayName: '财务', departmentId: top.id, roles: ['finance'] });
  account = await createAccount(spec, unique('审批客户'));
  mgrAccount = await createAccount(mgr, unique('经理的客户'));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(serverErrors, []);
});

const giftBody = (fields = {}) => ({
  account_id: account.id, recipient_name: '王建国', recipient_title: '总经理', gift_name: '茶叶礼盒', quantity: 1,
  unit_price_fen: 10000, gift_date: '2026-11-20', occasion: '年终拜访', ...fields,
});
const receptionBody = (fields = {}) => ({
  account_id: account.id, visitor_company: '苏州精密', visitors: [{ name: '李总', title: '副总经理' }, { name: '张工' }],
  purpose: '参观工厂', start_date: '2026-12-01', end_date: '2026-12-02', itinerary: '上午参观，下午座谈',
  lodging: '园区酒店两晚', meals: '工作餐', transport: '专车接送', hosts: '专员甲、经理甲',
  budget_lines: [{ item: '住宿', amount_fen: 120000 }, { item: '餐饮', amount_fen: 80000 }], ...fields,
});

async function newGift(token = spec, fields = {}) {
  return expectStatus(await post('/gift-requests', token, giftBody(fields)), 201, 'create gift').body;
}
async function act(kind, r, action, token, body) {
  return post(`/${kind}-requests/${r.id}/${action}`, token, body);
}
async function submittedGift(fields = {}, token = spec) {
  const g = await newGift(token, fields);
  return expectStatus(await act('gift', g, 'submit', token), 200, 'submit').body;
}
const ids = (step) => step.approvers.map((a) => a.id).sort((x, y) => x - y);
const sorted = (list) => [...list].sort((x, y) => x - y);

describe('requests and validation', () => {
  test('a gift draft: 201 with computed total, preview steps and actions; audited', async () => {
    const g = await newGift(spec, { quantity: 3, unit_price_fen: 12345 });
    assert.equal(g.kind, 'gift');
    assert.equal(g.status, 'draft');
    assert.equal(g.total_fen, 37035);
    assert.equal(g.owner_id, spec.user.id);
    assert.equal(g.account_name, account.name);
    assert.equal(g.version, 1);
    assert.deepEqual(g.actions, ['edit', 'submit', 'withdraw']);
    assert.deepEqual(g.steps.map((s) => s.status), ['preview', 'preview']);
    assert.deepEqual(expectStatus(await get(`/gift-requests/${g.id}`, spec), 200).body, g);
    const audit = expectStatus(await get('/audit', spec, { entity: 'approval_request', entity_id: g.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['create']);
  });

  test('422s name the field; server-owned fields are ignored', async () => {
    expectProblem(await post('/gift-requests', spec, giftBody({ gift_name: undefined, quantity: 0 })), 422, 'gift_name');
    expectProblem(await post('/gift-requests', spec, giftBody({ quantity: 0 })), 422, 'quantity');
    expectProblem(await post('/gift-requests', spec, giftBody({ unit_price_fen: -1 })), 422, 'unit_price_fen');
    expectProblem(await post('/gift-requests', spec, giftBody({ gift_date: '2026-02-30' })), 422, 'gift_date');
    expectProblem(await post('/gift-requests', spec, giftBody({ unit_price_fen: 1.5 })), 422, 'unit_price_fen');
    const foreign = await createAccount(peer, unique('同事的客户'));
    expectProblem(await post('/gift-requests', spec, giftBody({ account_id: foreign.id })), 422, 'account_id');
    expectProblem(await post('/reception-requests', spec, receptionBody({ end_date: '2026-11-30' })), 422, 'end_date');
    expectProblem(await post('/reception-requests', spec, receptionBody({ budget_lines: [] })), 422, 'budget_lines');
    expectProblem(await post('/reception-requests', spec, receptionBody({ budget_lines: [{ item: '餐', amount_fen: -5 }] })), 422, 'budget_lines[0].amount_fen');
    expectProblem(await post('/reception-requests', spec, receptionBody({ visitors: [{ title: '无名' }] })), 422, 'visitors[0].name');
    expectProblem(await post('/reception-requests', spec, receptionBody({ visitor_count: 1 })), 422, 'visitor_count');
    const sneaky = await newGift(spec, { status: 'approved', owner_id: mgr.user.id, total_fen: 1, version: 9 });
    assert.equal(sneaky.status, 'draft');
    assert.equal(sneaky.owner_id, spec.user.id);
    assert.equal(sneaky.total_fen, 10000);
    assert.equal(sneaky.version, 1);
    expectStatus(await get('/gift-requests', spec, { status: 'nope' }), 400);
    expectStatus(await get('/gift-requests', spec, { colour: 'red' }), 400);
  });

  test('a reception request totals its budget lines', async () => {
    const r = expectStatus(await post('/reception-requests', spec, receptionBody()), 201).body;
    assert.equal(r.kind, 'reception');
    assert.equal(r.total_fen, 200000);
    assert.equal(r.visitors.length, 2);
    assert.equal(r.visitors[1].title, null);
    const changed = expectStatus(await patch(`/reception-requests/${r.id}`, spec, { version: 1, budget_lines: [{ item: '餐饮', amount_fen: 5000 }] }), 200).body;
    assert.equal(changed.total_fen, 5000);
    assert.equal(changed.version, 2);
    expectProblem(await get(`/gift-requests/${r.id}`, spec), 404);
  });

  test('finance reads but cannot file requests; peers see nothing of mine', async () => {
    expectProblem(await post('/gift-requests', fin, giftBody()), 403);
    const g = await newGift();
    expectProblem(await get(`/gift-requests/${g.id}`, peer), 404);
    const list = expectStatus(await get('/gift-requests', peer, { account_id: account.id }), 200).body;
    assert.equal(list.total, 0);
    const mine = expectStatus(await get('/gift-requests', spec, { account_id: account.id, status: 'draft' }), 200).body;
    assert.ok(mine.items.some((i) => i.id === g.id));
    expectStatus(await get(`/gift-requests/${g.id}`, fin), 200);
  });
});

describe('the chain', () => {
  test('chain × amount × submitter role', async () => {
    const cases = [
      { who: 'specialist ¥100', token: spec, acct: account, price: 10000, steps: ['department_manager', 'role:finance'], first: [mgr, mgr2] },
      { who: 'specialist ¥5,000 exactly', token: spec, acct: account, price: 500000, steps: ['department_manager', 'role:finance'], first: [mgr, mgr2] },
      { who: 'specialist ¥5,000.01', token: spec, acct: account, price: 500001, steps: ['department_manager', 'role:director', 'role:finance'], first: [mgr, mgr2] },
      { who: 'manager ¥100', token: mgr, acct: mgrAccount, price: 10000, steps: ['department_manager', 'role:finance'], first: [mgr2] },
      { who: 'manager ¥9,000', token: mgr, acct: mgrAccount, price: 900000, steps: ['department_manager', 'role:director', 'role:finance'], first: [mgr2] },
    ];
    for (const c of cases) {
      const g = await submittedGift({ account_id: c.acct.id, unit_price_fen: c.price }, c.token);
      assert.equal(g.status, 'pending', c.who);
      assert.equal(g.current_step, 1, c.who);
      assert.deepEqual(g.steps.map((s) => s.resolver), c.steps, c.who);
      assert.deepEqual(g.steps.map((s) => s.status), ['pending', ...c.steps.slice(1).map(() => 'waiting')], c.who);
      assert.deepEqual(ids(g.steps[0]), sorted(c.first.map((u) => u.user.id)), c.who);
      const last = g.steps[g.steps.length - 1];
      assert.ok(ids(last).includes(fin.user.id), `${c.who}: finance approves last`);
      if (c.steps.length === 3) assert.ok(ids(g.steps[1]).includes(director.user.id), `${c.who}: director`);
      for (const s of g.steps) assert.ok(!ids(s).includes(c.token.user.id), `${c.who}: never the submitter`);
    }
  });

  test('full chain to approved: trail, audit, actions', async () => {
    const g = await submittedGift({ unit_price_fen: 600000 });
    assert.deepEqual(g.actions, ['withdraw']);
    const seen = expectStatus(await get(`/gift-requests/${g.id}`, mgr), 200).body;
    assert.deepEqual(seen.actions, ['approve', 'reject', 'return']);
    expectProblem(await act('gift', g, 'approve', director), 403);  // step 2 is not reached yet
    const s1 = expectStatus(await act('gift', g, 'approve', mgr, { comment: '同意' }), 200).body;
    assert.equal(s1.current_step, 2);
    assert.equal(s1.steps[0].decided_by, mgr.user.id);
    assert.equal(s1.steps[0].decided_by_name, '经理甲');
    assert.equal(s1.steps[0].comment, '同意');
    const s2 = expectStatus(await act('gift', g, 'approve', director), 200).body;
    assert.equal(s2.current_step, 3);
    const done = expectStatus(await act('gift', g, 'approve', fin, { comment: '已核' }), 200).body;
    assert.equal(done.status, 'approved');
    assert.ok(done.decided_at);
    assert.deepEqual(done.trail.map((e) => e.action), ['submit', 'approve', 'approve', 'approve']);
    assert.deepEqual(done.trail.map((e) => e.user_id), [spec.user.id, mgr.user.id, director.user.id, fin.user.id]);
    const audit = expectStatus(await get('/audit', spec, { entity: 'approval_request', entity_id: g.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['approve', 'approve', 'approve', 'submit', 'create']);
  });

  test('self-approval refused, wrong approver 403, outsider 404', async () => {
    const own = await submittedGift({ account_id: mgrAccount.id }, mgr);
    expectProblem(await act('gift', own, 'approve', mgr), 403);
    expectStatus(await act('gift', own, 'approve', mgr2), 200);
    const g = await submittedGift();
    expectProblem(await act('gift', g, 'approve', spec), 403);
    expectProblem(await act('gift', g, 'approve', fin), 403);
    expectProblem(await act('gift', g, 'reject', director, { comment: '不行' }), 403);
    expectProblem(await act('gift', g, 'approve', peer), 404);
    expectProblem(await act('gift', g, 'withdraw', mgr), 403);
    expectProblem(await act('gift', g, 'submit', mgr), 403);
    expectProblem(await post('/gift-requests/999999999/approve', mgr, {}), 404);
  });

  test('return for changes, edit, resubmit from step 1', async () => {
    const g = await submittedGift();
    expectProblem(await act('gift', g, 'return', mgr), 422, 'comment');
    expectProblem(await act('gift', g, 'return', mgr, { comment: '   ' }), 422, 'comment');
    expectProblem(await patch(`/gift-requests/${g.id}`, spec, { version: g.version, quantity: 2 }), 409);
    const returned = expectStatus(await act('gift', g, 'return', mgr, { comment: '请补充职务' }), 200).body;
    assert.equal(returned.status, 'returned');
    assert.equal(returned.steps[0].status, 'returned');
    expectProblem(await act('gift', returned, 'approve', mgr), 409);
    expectProblem(await patch(`/gift-requests/${g.id}`, mgr, { version: returned.version, quantity: 2 }), 403);
    const edited = expectStatus(await patch(`/gift-requests/${g.id}`, spec, { version: returned.version, quantity: 2, recipient_title: '董事长' }), 200).body;
    assert.equal(edited.total_fen, 20000);
    expectProblem(await patch(`/gift-requests/${g.id}`, spec, { version: returned.version, quantity: 3 }), 409);
    const again = expectStatus(await act('gift', edited, 'submit', spec, { comment: '已补充' }), 200).body;
    assert.equal(again.status, 'pending');
    assert.equal(again.round, 2);
    assert.equal(again.current_step, 1);
    assert.deepEqual(again.steps.map((s) => s.status), ['pending', 'waiting']);
    assert.deepEqual(again.trail.map((e) => [e.action, e.round]), [['submit', 1], ['return', 1], ['submit', 2]]);
    assert.equal(again.trail[1].comment, '请补充职务');
  });

  test('withdraw while pending; then nothing moves it', async () => {
    const g = await submittedGift();
    expectStatus(await act('gift', g, 'approve', mgr), 200);
    const w = expectStatus(await act('gift', g, 'withdraw', spec, { comment: '活动取消' }), 200).body;
    assert.equal(w.status, 'withdrawn');
    assert.deepEqual(w.steps.map((s) => s.status), ['approved', 'withdrawn']);
    expectProblem(await act('gift', g, 'approve', fin), 409);
    expectProblem(await act('gift', g, 'submit', spec), 409);
    expectProblem(await act('gift', g, 'withdraw', spec), 409);
    expectProblem(await patch(`/gift-requests/${g.id}`, spec, { version: w.version, quantity: 2 }), 409);
    const draft = await newGift();
    expectStatus(await act('gift', draft, 'withdraw', spec), 200);
  });

  test('decided requests are immutable', async () => {
    const rejected = await submittedGift();
    const r = expectStatus(await act('gift', rejected, 'reject', mgr, { comment: '超标准' }), 200).body;
    assert.equal(r.status, 'rejected');
    const approved = await submittedGift();
    expectStatus(await act('gift', approved, 'approve', mgr), 200);
    const a = expectStatus(await act('gift', approved, 'approve', fin), 200).body;
    assert.equal(a.status, 'approved');
    for (const x of [r, a]) {
      expectProblem(await patch(`/gift-requests/${x.id}`, spec, { version: x.version, occasion: '改了' }), 409);
      for (const action of ['submit', 'withdraw']) expectProblem(await act('gift', x, action, spec), 409);
      for (const action of ['approve', 'reject', 'return']) expectProblem(await act('gift', x, action, fin, { comment: 'x' }), 409);
    }
  });

  test('reception requests use their own chain and actions', async () => {
    const r = expectStatus(await post('/reception-requests', spec, receptionBody()), 201).body;
    const s = expectStatus(await act('reception', r, 'submit', spec), 200).body;
    assert.deepEqual(s.steps.map((x) => x.resolver), ['department_manager', 'role:finance']);
    expectStatus(await act('reception', s, 'approve', mgr2), 200);
    const done = expectStatus(await act('reception', s, 'approve', fin), 200).body;
    assert.equal(done.status, 'approved');
  });
});

describe('parallel approvals', () => {
  test('many concurrent approve calls → one transition, one audit row', async () => {
    for (let round = 0; round < 2; round += 1) {
      const g = await submittedGift();
      const calls = [];
      for (let i = 0; i < 16; i += 1) {
        const token = i % 2 ? mgr : mgr2;
        calls.push(act('gift', g, 'approve', token, i % 4 < 2 ? { version: g.version } : {}));
      }
      const results = await Promise.all(calls);
      const statuses = results.map((res) => res.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `one success: ${statuses}`);
      assert.equal(statuses.filter((s) => s === 409).length, 15, `the rest conflict: ${statuses}`);
      const now = expectStatus(await get(`/gift-requests/${g.id}`, spec), 200).body;
      assert.equal(now.current_step, 2);
      assert.equal(now.version, g.version + 1);
      const audit = expectStatus(await get('/audit', spec, { entity: 'approval_request', entity_id: g.id }), 200).body;
      assert.equal(audit.items.filter((i) => i.action === 'approve').length, 1);
      assert.equal(now.trail.filter((e) => e.action === 'approve').length, 1);
    }
  });
});

describe('budgets', () => {
  let budgetAccount;
  before(async () => {
    budgetAccount = await createAccount(spec, unique('预算客户'));
  });

  test('budgets.admin writes; others 403; validation; duplicates 409', async () => {
    expectProblem(await post('/budgets', spec, { account_id: budgetAccount.id, kind: 'gift', period: '2026-Q4', amount_fen: 1 }), 403);
    expectProblem(await get('/budgets', spec), 403);
    expectProblem(await post('/budgets', fin, { account_id: budgetAccount.id, kind: 'gift', period: '2026-Q5', amount_fen: 1 }), 422, 'period');
    expectProblem(await post('/budgets', fin, { account_id: budgetAccount.id, kind: 'party', period: '2026', amount_fen: 1 }), 422, 'kind');
    expectProblem(await post('/budgets', fin, { account_id: budgetAccount.id, kind: 'gift', period: '2026', amount_fen: -1 }), 422, 'amount_fen');
    const b = expectStatus(await post('/budgets', fin, { account_id: budgetAccount.id, kind: 'reception', period: '2026', amount_fen: 500000, notes: '年度接待' }), 201).body;
    assert.equal(b.period_start, '2026-01-01');
    assert.equal(b.period_end, '2026-12-31');
    assert.equal(b.remaining_fen, 500000);
    expectProblem(await post('/budgets', director, { account_id: budgetAccount.id, kind: 'reception', period: '2026', amount_fen: 1 }), 409);
    const changed = expectStatus(await patch(`/budgets/${b.id}`, director, { version: 1, amount_fen: 600000 }), 200).body;
    assert.equal(changed.amount_fen, 600000);
    expectProblem(await patch(`/budgets/${b.id}`, fin, { version: 1, amount_fen: 1 }), 409);
    expectProblem(await patch(`/budgets/${b.id}`, spec, { version: 2, amount_fen: 1 }), 403);
    const list = expectStatus(await get('/budgets', fin, { account_id: budgetAccount.id }), 200).body;
    assert.deepEqual(list.items.map((i) => i.id), [b.id]);
    const audit = expectStatus(await get('/audit', fin, { entity: 'budget', entity_id: b.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['update', 'create']);
    expectStatus(await del(`/budgets/${b.id}`, fin), 204);
    expectProblem(await get(`/budgets/${b.id}`, fin), 404);
  });

  test('approval commits the spend; over the remaining budget brings the director in below ¥5,000', async () => {
    const b = expectStatus(await post('/budgets', fin, { account_id: budgetAccount.id, kind: 'gift', period: '2026-Q4', amount_fen: 100000 }), 201).body;
    const within = await submittedGift({ account_id: budgetAccount.id, unit_price_fen: 80000 });
    assert.equal(within.over_budget, false);
    assert.equal(within.steps.length, 2);
    expectStatus(await act('gift', within, 'approve', mgr), 200);
    expectStatus(await act('gift', within, 'approve', fin), 200);
    const after = expectStatus(await get(`/budgets/${b.id}`, fin), 200).body;
    assert.equal(after.committed_fen, 80000);
    assert.equal(after.remaining_fen, 20000);
    const draft = await newGift(spec, { account_id: budgetAccount.id, unit_price_fen: 30000 });
    assert.equal(draft.over_budget, true, 'the draft previews the escalation');
    const over = expectStatus(await act('gift', draft, 'submit', spec), 200).body;
    assert.equal(over.over_budget, true);
    assert.deepEqual(over.steps.map((s) => s.resolver), ['department_manager', 'role:director', 'role:finance']);
    // A gift in another quarter is not limited by the Q4 budget.
    const q1 = await submittedGift({ account_id: budgetAccount.id, unit_price_fen: 30000, gift_date: '2027-01-10' });
    assert.equal(q1.over_budget, false);
    assert.equal(q1.steps.length, 2);
  });

  test('cost of development: approved gifts and receptions, per opportunity', async () => {
    const costAccount = await createAccount(spec, unique('开发成本客户'));
    const g = await submittedGift({ account_id: costAccount.id, unit_price_fen: 5000, quantity: 2, opportunity_id: 4242 });
    expectStatus(await act('gift', g, 'approve', mgr), 200);
    expectStatus(await act('gift', g, 'approve', fin), 200);
    const r = expectStatus(await post('/reception-requests', spec, receptionBody({ account_id: costAccount.id })), 201).body;
    expectStatus(await act('reception', r, 'submit', spec), 200);
    expectStatus(await act('reception', r, 'approve', mgr), 200);
    expectStatus(await act('reception', r, 'approve', fin), 200);
    await submittedGift({ account_id: costAccount.id, unit_price_fen: 777 });  // pending: not counted
    const cost = expectStatus(await get(`/accounts/${costAccount.id}/development-cost`, spec), 200).body;
    assert.equal(cost.gift_fen, 10000);
    assert.equal(cost.reception_fen, 200000);
    assert.equal(cost.total_fen, 210000);
    assert.equal(cost.approved_count, 2);
    assert.deepEqual(cost.by_opportunity, [{ opportunity_id: 4242, gift_fen: 10000, reception_fen: 0, total_fen: 10000 }]);
    expectProblem(await get(`/accounts/${costAccount.id}/development-cost`, peer), 404);
    const byOpp = expectStatus(await get('/gift-requests', spec, { opportunity_id: 4242 }), 200).body;
    assert.deepEqual(byOpp.items.map((i) => i.id), [g.id]);
  });
});

describe('inbox, mine, chains, forms', () => {
  test('inbox counts what waits for me; mine lists what I submitted', async () => {
    const before = expectStatus(await get('/approvals/inbox', mgr), 200).body.count;
    const g = await submittedGift();
    const r = expectStatus(await post('/reception-requests', spec, receptionBody()), 201).body;
    expectStatus(await act('reception', r, 'submit', spec), 200);
    const box = expectStatus(await get('/approvals/inbox', mgr, { limit: 200 }), 200).body;
    assert.equal(box.count, before + 2);
    assert.equal(box.total, box.count);
    assert.ok(box.items.some((i) => i.id === g.id && i.kind === 'gift'));
    assert.ok(box.items.some((i) => i.id === r.id && i.kind === 'reception'));
    expectStatus(await act('gift', g, 'approve', mgr2), 200);
    assert.equal(expectStatus(await get('/approvals/inbox', mgr), 200).body.count, before + 1);
    const finBox = expectStatus(await get('/approvals/inbox', fin, { limit: 200 }), 200).body;
    assert.ok(finBox.items.some((i) => i.id === g.id));
    const mine = expectStatus(await get('/approvals/mine', spec, { limit: 200 }), 200).body;
    assert.ok(mine.items.length >= 2);
    assert.ok(mine.items.every((i) => i.owner_id === spec.user.id));
    assert.equal(mine.items.find((i) => i.id === g.id).current_step, 2);
    const pending = expectStatus(await get('/approvals/mine', spec, { status: 'pending', limit: 200 }), 200).body;
    assert.ok(pending.items.every((i) => i.status === 'pending'));
    expectStatus(await get('/approvals/mine', spec, { status: 'nope' }), 400);
  });

  test('chains are data: admin edits, others 403, stale 409, bad steps 422', async () => {
    const a = await admin();
    const chain = expectStatus(await get('/approval-chains/reception', spec), 200).body;
    assert.deepEqual(chain.steps.map((s) => s.resolver), ['department_manager', 'role:director', 'role:finance']);
    assert.equal(chain.steps[1].min_amount_fen, 500000);
    assert.equal(chain.steps[1].when_over_budget, true);
    expectStatus(await get('/approval-chains', spec), 200);
    expectProblem(await get('/approval-chains/party', spec), 404);
    const steps = [{ name: '财务审核', resolver: 'role:finance' }];
    expectProblem(await put('/approval-chains/reception', director, { version: chain.version, steps }), 403);
    expectProblem(await put('/approval-chains/reception', a, { version: chain.version, steps: [{ name: 'x', resolver: 'boss' }] }), 422, 'steps[0].resolver');
    expectProblem(await put('/approval-chains/reception', a, { version: chain.version, steps: [{ name: 'x', resolver: 'role:finance', min_amount_fen: 1 }] }), 422, 'steps');
    const changed = expectStatus(await put('/approval-chains/reception', a, { version: chain.version, steps }), 200).body;
    assert.equal(changed.version, chain.version + 1);
    expectProblem(await put('/approval-chains/reception', a, { version: chain.version, steps }), 409);
    try {
      const r = expectStatus(await post('/reception-requests', spec, receptionBody()), 201).body;
      const s = expectStatus(await act('reception', r, 'submit', spec), 200).body;
      assert.deepEqual(s.steps.map((x) => x.resolver), ['role:finance']);
    } finally {
      const restore = chain.steps.map(({ name, resolver, min_amount_fen, when_over_budget }) => ({ name, resolver, min_amount_fen, when_over_budget }));
      expectStatus(await put('/approval-chains/reception', a, { version: changed.version, steps: restore }), 200);
    }
    const audit = expectStatus(await get('/audit', a, { entity: 'approval_chain', entity_id: chain.id }), 200).body;
    assert.ok(audit.items.length >= 2);
  });

  test('forms: 礼品馈赠申请表 as XLSX and printable HTML with the trail', async () => {
    const g = await submittedGift({ gift_name: '=HYPERLINK("x")', occasion: '<b>年终</b>' });
    expectStatus(await act('gift', g, 'approve', mgr, { comment: '同意馈赠' }), 200);
    const xlsx = await fetch(`${API}/gift-requests/${g.id}/form.xlsx`, { headers: { authorization: `Bearer ${spec.token}` } });
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    assert.match(xlsx.headers.get('content-disposition'), /attachment/);
    const file = join(work, `${unique('form')}.xlsx`);
    writeFileSync(file, Buffer.from(await xlsx.arrayBuffer()));
    const book = JSON.parse(execFileSync(PY, [HELPER, 'read', file]).toString('utf8'));
    assert.equal(book.rows[0][0], '礼品馈赠申请表');
    const cells = book.rows.flat();
    for (const v of [account.name, '王建国', '100.00', '同意馈赠', '经理甲', '提交', '同意', `'=HYPERLINK("x")`]) assert.ok(cells.includes(v), v);
    assert.ok(book.bordered > 10);
    const html = await get(`/gift-requests/${g.id}/form.html`, spec);
    assert.equal(html.status, 200);
    assert.match(html.contentType, /text\/html/);
    assert.ok(html.text.includes('礼品馈赠申请表'));
    assert.ok(html.text.includes('&lt;b&gt;年终&lt;/b&gt;'));
    assert.ok(html.text.includes('同意馈赠'));
    const r = expectStatus(await post('/reception-requests', spec, receptionBody()), 201).body;
    const rh = await get(`/reception-requests/${r.id}/form.html`, spec);
    assert.ok(rh.text.includes('客户接待申请表') && rh.text.includes('李总（副总经理）') && rh.text.includes('2000.00'));
    expectProblem(await get(`/gift-requests/${g.id}/form.xlsx`, peer), 404);
  });
});

const put = (path, token, body) => request('PUT', path, { token, body });
