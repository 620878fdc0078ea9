// Visits and contact (issue 5): visit plans and records with check-in, the
// follow-up rule through the test clock (no sleeps), tasks, contact logs,
// weekly reports, the account timeline, relationship actions and stage moves,
// scope and permissions, and the iCalendar / vCard output read by Debian's
// independent parsers (python3-icalendar, python3-vobject).
//
// Needs the server started with --test-clock (tests/api/run-both.sh passes
// KAM_SERVE_ARGS, default --test-clock).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  request, get, post, patch, del, expectStatus, expectProblem, createDepartment, userSession, createAccount, unique,
  listAll, admin, serverErrors, API,
} from './lib.mjs';

const DAY = 24 * 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString();
const put = (path, token, body) => request('PUT', path, { token, body });

let a; let b; let m; let x; let fin; let account; let accountB; let contact;
const T0 = Date.now();

async function setClock(ms) {
  const res = expectStatus(await put('/test/clock', await admin(), { now: ms === null ? null : iso(ms) }), 200, 'PUT /test/clock (start kam with --test-clock)');
  return res.body.now;
}

/** ISO week "YYYY-Www" of an instant (UTC). */
function isoWeek(ms) {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((thursday - firstThursday) / DAY - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
function mondayOf(ms) {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
}

function python(code, input) {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(async () => {
  const dept = await createDepartment(unique('拜访测试部'));
  const other = await createDepartment(unique('拜访他部'));
  a = await userSession({ username: unique('va'), displayName: '拜访甲', departmentId: dept.id, roles: ['specialist'] });
  b = await userSession({ username: unique('vb'), departmentId: dept.id, roles: ['specialist'] });
  m = await userSession({ username: unique('vm'), departmentId: dept.id, roles: ['manager'] });
  x = await userSession({ username: unique('vx'), departmentId: other.id, roles: ['manager'] });
  fin = await userSession({ username: unique('vf'), departmentId: dept.id, roles: ['finance'] });
  account = await createAccount(a, unique('拜访客户'));
  accountB = await createAccount(b, unique('别人客户'));
  contact = expectStatus(await post('/contacts', a, { account_id: account.id, name: '李明', title: '采购经理', phone: '138 0000 1111', email: 'li@example.cn' }), 201).body;
});

after(async () => {
  await setClock(null);
  assert.deepEqual(serverErrors, []);
});

const visit = async (session, fields) => expectStatus(await post('/visits', session, { account_id: account.id, occurred_at: iso(T0 - DAY), method: 'in_person', ...fields }), 201, 'create visit').body;

describe('visit plans and visits', () => {
  test('a plan carried out by a visit becomes done; the visit has a check-in and a follow-up', async () => {
    const plan = expectStatus(await post('/visit-plans', a, {
      account_id: account.id, planned_at: iso(T0 + 2 * DAY), contacts_to_meet: '李明', purpose: '介绍新品', materials: '产品手册', our_participants: '甲', expected_outcome: '试用',
    }), 201).body;
    assert.equal(plan.status, 'planned');
    assert.equal(plan.owner_id, a.user.id);
    assert.equal(plan.planned_at, iso(T0 + 2 * DAY));
    const v = await visit(a, {
      plan_id: plan.id, occurred_at: iso(T0 - 3 * DAY), place: '客户会议室', key_points: '需求确认', customer_views: '价格偏高',
      checkin_latitude: 31.2304, checkin_longitude: 121.4737, checkin_accuracy_m: 25,
    });
    assert.equal(v.owner_id, a.user.id);
    assert.equal(v.plan_id, plan.id);
    assert.equal(v.checkin_latitude, 31.2304);
    assert.equal(v.checkin_accuracy_m, 25);
    assert.ok(v.checkin_at);
    // Due 7 days after the visit's own time, not after the recording time.
    assert.equal(v.follow_up.due_at, iso(T0 - 3 * DAY + 7 * DAY));
    assert.equal(v.follow_up.status, 'open');
    assert.equal(expectStatus(await get(`/visit-plans/${plan.id}`, a), 200).body.status, 'done');
    assert.equal(expectStatus(await get(`/visit-plans/${plan.id}`, a), 200).body.visit_id, v.id);
    // A done plan cannot be used again.
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: iso(T0), plan_id: plan.id }), 422, 'plan_id');
    const acc = expectStatus(await get(`/accounts/${account.id}`, a), 200).body;
    assert.ok(acc.last_activity_at >= iso(T0 - 3 * DAY), `last_activity_at ${acc.last_activity_at}`);
    const audit = expectStatus(await get('/audit', a, { entity: 'visit', entity_id: v.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['create']);
  });

  test('validation names the field', async () => {
    expectProblem(await post('/visits', a, { account_id: account.id }), 422, 'occurred_at');
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: 'yesterday' }), 422, 'occurred_at');
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: iso(T0), method: 'telepathy' }), 422, 'method');
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: iso(T0), checkin_latitude: 91, checkin_longitude: 10 }), 422, 'checkin_latitude');
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: iso(T0), checkin_latitude: 30 }), 422, 'checkin_longitude');
    expectProblem(await post('/visits', a, { account_id: accountB.id, occurred_at: iso(T0) }), 422, 'account_id');
    expectProblem(await post('/visit-plans', a, { account_id: account.id }), 422, 'planned_at');
    const otherPlan = expectStatus(await post('/visit-plans', b, { account_id: accountB.id, planned_at: iso(T0) }), 201).body;
    expectProblem(await post('/visits', a, { account_id: account.id, occurred_at: iso(T0), plan_id: otherPlan.id }), 422, 'plan_id');
  });

  test('scope follows the account; finance reads only; stale versions are 409', async () => {
    const v = await visit(a, { key_points: unique('秘密要点') });
    expectProblem(await get(`/visits/${v.id}`, b), 404);
    expectProblem(await patch(`/visits/${v.id}`, b, { version: 1, place: 'x' }), 404);
    expectProblem(await del(`/visits/${v.id}`, b), 404);
    expectProblem(await get(`/visits/${v.id}`, x), 404);
    assert.ok(!(await listAll('/visits', b)).items.some((i) => i.id === v.id));
    assert.equal((await listAll('/visits', b, { account_id: account.id })).total, 0);
    expectStatus(await get(`/visits/${v.id}`, m), 200);
    assert.ok((await listAll('/visits', m, { owner_id: a.user.id })).items.some((i) => i.id === v.id));
    expectStatus(await get(`/visits/${v.id}`, fin), 200);
    expectProblem(await post('/visits', fin, { account_id: account.id, occurred_at: iso(T0) }), 403);
    expectProblem(await patch(`/visits/${v.id}`, fin, { version: 1, place: 'x' }), 403);
    const changed = expectStatus(await patch(`/visits/${v.id}`, a, { version: 1, place: '工厂' }), 200).body;
    assert.equal(changed.version, 2);
    expectProblem(await patch(`/visits/${v.id}`, a, { version: 1, place: 'y' }), 409);
    expectProblem(await get('/visits', a, { nope: 1 }), 400);
  });

  test('moving a visit moves its open follow-up', async () => {
    const v = await visit(a, {});
    const moved = expectStatus(await patch(`/visits/${v.id}`, a, { version: 1, occurred_at: iso(T0 - 2 * DAY) }), 200).body;
    assert.equal(moved.follow_up.due_at, iso(T0 - 2 * DAY + 7 * DAY));
  });
});

describe('the follow-up rule on the test clock', () => {
  test('the follow-up appears, is not overdue on day 7 and is overdue on day 8', async () => {
    const at = T0 - 6 * DAY;
    const v = await visit(a, { occurred_at: iso(at), key_points: unique('回访规则') });
    const tasks = await listAll('/tasks', a, { kind: 'follow_up', entity: 'visit', entity_id: v.id });
    assert.equal(tasks.total, 1);
    const task = tasks.items[0];
    assert.equal(task.assignee_id, a.user.id);
    assert.equal(task.due_at, iso(at + 7 * DAY));
    assert.equal(task.overdue, false);

    await setClock(at + 7 * DAY - 60_000); // day 7, a minute before the deadline
    assert.equal(expectStatus(await get(`/tasks/${task.id}`, a), 200).body.overdue, false);
    assert.ok(!(await listAll('/tasks', a, { overdue: 'true' })).items.some((t) => t.id === task.id));

    await setClock(at + 7 * DAY + 60_000); // day 8
    assert.equal(expectStatus(await get(`/tasks/${task.id}`, a), 200).body.overdue, true);
    assert.ok((await listAll('/tasks', a, { overdue: 'true' })).items.some((t) => t.id === task.id));
    // Overdue follow-ups per person: the manager sees a's; a peer does not.
    const team = expectStatus(await get('/follow-ups/overdue', m), 200).body;
    const mine = team.items.find((i) => i.user_id === a.user.id);
    assert.ok(mine && mine.overdue >= 1, JSON.stringify(team));
    assert.ok(!expectStatus(await get('/follow-ups/overdue', b), 200).body.items.some((i) => i.user_id === a.user.id));
    assert.ok(!expectStatus(await get('/follow-ups/overdue', x), 200).body.items.some((i) => i.user_id === a.user.id));

    // Completing needs the follow-up record.
    expectProblem(await post(`/tasks/${task.id}/complete`, a, {}), 422, 'method');
    expectProblem(await post(`/tasks/${task.id}/complete`, a, { method: 'phone' }), 422, 'customer_opinion');
    expectProblem(await post(`/tasks/${task.id}/complete`, a, { method: 'fax', customer_opinion: 'ok' }), 422, 'method');
    expectProblem(await post(`/tasks/${task.id}/complete`, b, { method: 'phone', customer_opinion: 'ok' }), 404);
    const done = expectStatus(await post(`/tasks/${task.id}/complete`, a, { method: 'phone', customer_opinion: '满意，等报价' }), 200).body;
    assert.equal(done.status, 'done');
    assert.equal(done.on_time, false);
    assert.equal(done.follow_up_method, 'phone');
    expectProblem(await post(`/tasks/${task.id}/complete`, a, { method: 'phone', customer_opinion: 'again' }), 409);
    await setClock(null);
  });

  test('compliance per person and month counts follow-ups done on time', async () => {
    const c = await userSession({ username: unique('vc'), departmentId: a.user.department_id, roles: ['specialist'] });
    const acc = await createAccount(c, unique('合规客户'));
    const mk = async (at) => expectStatus(await post('/visits', c, { account_id: acc.id, occurred_at: iso(at) }), 201).body.follow_up;
    const f1 = await mk(T0 - 2 * DAY); // done now: on time
    const f2 = await mk(T0 - 10 * DAY); // already overdue
    expectStatus(await post(`/tasks/${f1.id}/complete`, c, { method: 'visit', customer_opinion: '好' }), 200);
    const month = iso(T0 + 5 * DAY).slice(0, 7);
    const res = expectStatus(await get('/follow-ups/compliance', m, { month }), 200).body;
    const row = res.items.find((i) => i.user_id === c.user.id);
    assert.ok(row, JSON.stringify(res));
    assert.equal(row.on_time, 1);
    const dueMonth = iso(T0 - 3 * DAY).slice(0, 7);
    // f2 (due 3 days ago) counts as judged and not on time in its month.
    const res2 = expectStatus(await get('/follow-ups/compliance', c, { month: dueMonth }), 200).body;
    const row2 = res2.items.find((i) => i.user_id === c.user.id);
    assert.ok(row2.overdue >= 1);
    if (dueMonth === month) {
      assert.equal(row.judged, 2);
      assert.equal(row.rate_bp, 5000);
    }
    assert.ok(f2.id);
    expectProblem(await get('/follow-ups/compliance', m, { month: '2026-13' }), 400);
  });

  test('the follow-up days setting (admin) and the clock are guarded', async () => {
    const ad = await admin();
    expectProblem(await put('/activity-settings', a, { follow_up_days: 3 }), 403);
    expectProblem(await put('/activity-settings', ad, { follow_up_days: 0 }), 422, 'follow_up_days');
    expectStatus(await put('/activity-settings', ad, { follow_up_days: 3 }), 200);
    try {
      const v = await visit(a, { occurred_at: iso(T0) });
      assert.equal(v.follow_up.due_at, iso(T0 + 3 * DAY));
    } finally {
      expectStatus(await put('/activity-settings', ad, { follow_up_days: 7 }), 200);
    }
    assert.equal(expectStatus(await get('/activity-settings', a), 200).body.follow_up_days, 7);
    expectProblem(await put('/test/clock', a, { now: iso(T0) }), 403);
    expectProblem(await put('/test/clock', ad, { now: 'soon' }), 422, 'now');
  });
});

describe('tasks', () => {
  test('assignment stays inside the scope; lists filter; follow-ups keep their due date', async () => {
    const own = expectStatus(await post('/tasks', a, { title: '准备报价', due_at: iso(T0 + DAY), urgent: true, important: true, account_id: account.id }), 201).body;
    assert.equal(own.assignee_id, a.user.id);
    assert.equal(own.kind, 'manual');
    assert.equal(own.urgent, true);
    expectProblem(await post('/tasks', a, { title: 'x', due_at: iso(T0), assignee_id: b.user.id }), 422, 'assignee_id');
    expectProblem(await post('/tasks', a, { due_at: iso(T0) }), 422, 'title');
    expectProblem(await post('/tasks', a, { title: 'x', due_at: 'tomorrow' }), 422, 'due_at');
    expectProblem(await post('/tasks', a, { title: 'x', due_at: iso(T0), kind: 'follow_up' }), 422, 'kind');
    expectProblem(await post('/tasks', a, { title: 'x', due_at: iso(T0), account_id: accountB.id }), 422, 'account_id');
    expectProblem(await post('/tasks', fin, { title: 'x', due_at: iso(T0) }), 403);
    const given = expectStatus(await post('/tasks', m, { title: unique('经理派'), due_at: iso(T0 + 2 * DAY), assignee_id: a.user.id }), 201).body;
    expectProblem(await post('/tasks', x, { title: 'x', due_at: iso(T0), assignee_id: a.user.id }), 422, 'assignee_id');
    expectStatus(await get(`/tasks/${given.id}`, a), 200);
    expectProblem(await get(`/tasks/${given.id}`, b), 404);
    expectProblem(await get(`/tasks/${given.id}`, x), 404);
    assert.ok(!(await listAll('/tasks', b)).items.some((t) => t.id === given.id));
    assert.ok((await listAll('/tasks', m, { assignee_id: a.user.id, kind: 'manual' })).items.some((t) => t.id === given.id));
    const upd = expectStatus(await patch(`/tasks/${own.id}`, a, { version: 1, title: '准备正式报价', urgent: false }), 200).body;
    assert.equal(upd.version, 2);
    assert.equal(upd.urgent, false);
    expectProblem(await patch(`/tasks/${own.id}`, a, { version: 1, title: 'x' }), 409);
    expectProblem(await patch(`/tasks/${own.id}`, a, { version: 2, status: 'done' }), 422, 'status');
    expectStatus(await post(`/tasks/${own.id}/complete`, a, {}), 200);
    const fu = (await listAll('/tasks', a, { kind: 'follow_up', status: 'open' })).items[0];
    expectProblem(await patch(`/tasks/${fu.id}`, a, { version: fu.version, due_at: iso(T0 + 30 * DAY) }), 422, 'due_at');
    expectProblem(await del(`/tasks/${fu.id}`, a), 422, 'kind');
    expectStatus(await del(`/tasks/${given.id}`, a), 204);
    expectProblem(await get(`/tasks/${given.id}`, a), 404);
    expectProblem(await get('/tasks', a, { overdue: 'maybe' }), 400);
    const audit = expectStatus(await get('/audit', a, { entity: 'task', entity_id: own.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['complete', 'update', 'create']);
  });
});

describe('contact logs, relationship actions and the timeline', () => {
  test('contact logs validate the contact and kind and follow the scope', async () => {
    const log = expectStatus(await post('/contact-logs', a, { account_id: account.id, contact_id: contact.id, kind: 'call', occurred_at: iso(T0 - DAY), content: '电话确认需求', result: '约下周面谈', next_step: '发资料' }), 201).body;
    assert.equal(log.contact_name, '李明');
    assert.equal(log.owner_id, a.user.id);
    expectProblem(await post('/contact-logs', a, { account_id: account.id, kind: 'pigeon', occurred_at: iso(T0) }), 422, 'kind');
    expectProblem(await post('/contact-logs', a, { account_id: account.id, kind: 'call' }), 422, 'occurred_at');
    const otherContact = expectStatus(await post('/contacts', b, { account_id: accountB.id, name: '外人' }), 201).body;
    expectProblem(await post('/contact-logs', a, { account_id: account.id, kind: 'call', occurred_at: iso(T0), contact_id: otherContact.id }), 422, 'contact_id');
    expectProblem(await get(`/contact-logs/${log.id}`, b), 404);
    assert.ok((await listAll('/contact-logs', a, { account_id: account.id, kind: 'call' })).items.some((l) => l.id === log.id));
  });

  test('relationship actions (客户关系强化表)', async () => {
    const r = expectStatus(await post('/relationship-actions', a, { account_id: account.id, contact_id: contact.id, current_level: 2, measure: '邀请参观工厂', responsible_id: a.user.id, deadline: '2026-12-31' }), 201).body;
    assert.equal(r.status, 'open');
    assert.equal(r.responsible_name, '拜访甲');
    expectProblem(await post('/relationship-actions', a, { account_id: account.id, measure: 'x', current_level: 9 }), 422, 'current_level');
    expectProblem(await post('/relationship-actions', a, { account_id: account.id }), 422, 'measure');
    expectProblem(await post('/relationship-actions', a, { account_id: account.id, measure: 'x', responsible_id: 999999999 }), 422, 'responsible_id');
    const done = expectStatus(await patch(`/relationship-actions/${r.id}`, a, { version: 1, status: 'done', result: '关系升温' }), 200).body;
    assert.equal(done.status, 'done');
    expectProblem(await get(`/relationship-actions/${r.id}`, b), 404);
  });

  test('stage moves are kept with who and why, and the timeline pages by cursor', async () => {
    const acc = await createAccount(a, unique('时间线客户'));
    expectProblem(await post(`/accounts/${acc.id}/relationship-stage`, a, { stage: 'stabilize' }), 422, 'reason');
    expectProblem(await post(`/accounts/${acc.id}/relationship-stage`, a, { stage: 'forever', reason: 'x' }), 422, 'stage');
    expectProblem(await post(`/accounts/${acc.id}/relationship-stage`, b, { stage: 'stabilize', reason: 'x' }), 404);
    const moved = expectStatus(await post(`/accounts/${acc.id}/relationship-stage`, a, { stage: 'stabilize', reason: '连续三次拜访' }), 201).body;
    assert.equal(moved.from_stage, 'establish');
    assert.equal(expectStatus(await get(`/accounts/${acc.id}`, a), 200).body.relationship_stage, 'stabilize');
    expectProblem(await post(`/accounts/${acc.id}/relationship-stage`, a, { stage: 'stabilize', reason: 'again' }), 422, 'stage');
    for (let i = 0; i < 4; i += 1) {
      expectStatus(await post('/visits', a, { account_id: acc.id, occurred_at: iso(T0 - (i + 1) * DAY) }), 201);
      expectStatus(await post('/contact-logs', a, { account_id: acc.id, kind: 'email', occurred_at: iso(T0 - (i + 1) * DAY) }), 201);
    }
    const fu = (await listAll('/tasks', a, { account_id: acc.id, kind: 'follow_up' })).items[0];
    expectStatus(await post(`/tasks/${fu.id}/complete`, a, { method: 'phone', customer_opinion: '认可' }), 200);
    const seen = [];
    let before;
    for (let page = 0; page < 10; page += 1) {
      const res = expectStatus(await get(`/accounts/${acc.id}/timeline`, a, { limit: 3, before }), 200).body;
      seen.push(...res.items);
      if (!res.next) break;
      before = res.next;
    }
    assert.equal(seen.length, 10, JSON.stringify(seen.map((s) => s.kind)));
    const keys = seen.map((s) => `${s.kind}:${s.id}`);
    assert.equal(new Set(keys).size, keys.length, 'no item twice');
    const times = seen.map((s) => s.occurred_at);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
    assert.deepEqual([...new Set(seen.map((s) => s.kind))].sort(), ['contact_log', 'follow_up', 'stage_change', 'visit']);
    const stage = seen.find((s) => s.kind === 'stage_change');
    assert.equal(stage.reason, '连续三次拜访');
    assert.equal(stage.by_user_id, a.user.id);
    expectProblem(await get(`/accounts/${acc.id}/timeline`, b), 404);
    expectProblem(await get(`/accounts/${acc.id}/timeline`, a, { before: 'garbage' }), 400);
  });

  test('stage changes by an archive edit and by the decision-maker-left rule are on the timeline too', async () => {
    const acc = await createAccount(a, unique('阶段来源客户'));
    const account = expectStatus(await get(`/accounts/${acc.id}`, a), 200).body;
    expectStatus(await patch(`/accounts/${acc.id}`, a, { version: account.version, relationship_stage: 'strengthen' }), 200);
    const boss = expectStatus(await post('/contacts', a, { account_id: acc.id, name: unique('决策人'), buying_role: 'decision_maker' }), 201).body;
    expectStatus(await patch(`/contacts/${boss.id}`, a, { version: boss.version, status: 'left' }), 200);
    assert.equal(expectStatus(await get(`/accounts/${acc.id}`, a), 200).body.relationship_stage, 'establish');
    const items = expectStatus(await get(`/accounts/${acc.id}/timeline`, a, { limit: 50 }), 200).body.items
      .filter((i) => i.kind === 'stage_change');
    assert.deepEqual(items.map((i) => [i.from_stage, i.to_stage, i.reason, i.by_user_id]), [
      ['strengthen', 'establish', 'decision_maker_left', a.user.id],
      ['establish', 'strengthen', 'archive_edit', a.user.id],
    ]);
  });
});

describe('weekly reports', () => {
  test('generated from the week\'s real work, submitted (frozen), reviewed by the manager', async () => {
    const r = await userSession({ username: unique('vw'), departmentId: a.user.department_id, roles: ['specialist'] });
    const acc = await createAccount(r, unique('周报客户'));
    const lastWeek = mondayOf(T0) - 7 * DAY;
    const week = isoWeek(lastWeek);
    const nextWeekOfIt = mondayOf(T0) + DAY; // Tuesday of the week after `week`
    expectStatus(await post('/visits', r, { account_id: acc.id, occurred_at: iso(lastWeek + DAY + 3600_000), key_points: '周报拜访一' }), 201);
    expectStatus(await post('/visits', r, { account_id: acc.id, occurred_at: iso(lastWeek + 2 * DAY), key_points: '周报拜访二' }), 201);
    expectStatus(await post('/visits', r, { account_id: acc.id, occurred_at: iso(lastWeek - DAY), key_points: '上上周' }), 201);
    expectStatus(await post('/contact-logs', r, { account_id: acc.id, kind: 'call', occurred_at: iso(lastWeek + 3 * DAY), content: '周报电话' }), 201);
    expectStatus(await post('/visit-plans', r, { account_id: acc.id, planned_at: iso(nextWeekOfIt + 3600_000), purpose: '下周计划' }), 201);

    const live = expectStatus(await get('/weekly-reports', r, { user_id: r.user.id, week }), 200).body.items[0];
    assert.equal(live.status, 'not_started');
    assert.equal(live.content.week, week);
    assert.deepEqual(live.content.visits.map((v) => v.key_points), ['周报拜访一', '周报拜访二']);
    assert.equal(live.content.contact_logs.length, 1);
    assert.equal(live.content.counts.visits, 2);
    assert.deepEqual(live.content.next_week.planned_visits.map((p) => p.purpose), ['下周计划']);
    assert.ok(live.content.next_week.open_tasks.length >= 1);

    expectProblem(await post('/weekly-reports', r, { week: '2026-W60' }), 422, 'week');
    const draft = expectStatus(await post('/weekly-reports', r, { week, summary: '本周拜访两家' }), 200).body;
    assert.equal(draft.status, 'draft');
    expectProblem(await get(`/weekly-reports/${draft.id}`, b), 404);
    expectProblem(await get('/weekly-reports', b, { user_id: r.user.id, week }), 404);
    expectProblem(await get(`/weekly-reports/${draft.id}`, x), 404);
    expectProblem(await post(`/weekly-reports/${draft.id}/submit`, m, {}), 403);
    expectProblem(await post(`/weekly-reports/${draft.id}/review`, m, { comment: 'early' }), 409);
    const submitted = expectStatus(await post(`/weekly-reports/${draft.id}/submit`, r, { version: draft.version }), 200).body;
    assert.equal(submitted.status, 'submitted');
    assert.equal(submitted.summary, '本周拜访两家');
    assert.equal(submitted.content.counts.visits, 2);
    // Frozen: a visit recorded later for that week does not change the submitted report.
    expectStatus(await post('/visits', r, { account_id: acc.id, occurred_at: iso(lastWeek + 4 * DAY), key_points: '补录' }), 201);
    assert.equal(expectStatus(await get(`/weekly-reports/${draft.id}`, r), 200).body.content.counts.visits, 2);
    expectProblem(await post('/weekly-reports', r, { week, summary: 'change' }), 409);

    const list = expectStatus(await get('/weekly-reports', m, { week, status: 'submitted' }), 200).body;
    assert.ok(list.items.some((i) => i.id === draft.id));
    assert.ok(!expectStatus(await get('/weekly-reports', b, { week }), 200).body.items.some((i) => i.id === draft.id));
    expectProblem(await post(`/weekly-reports/${draft.id}/review`, r, { comment: 'self' }), 403);
    const reviewed = expectStatus(await post(`/weekly-reports/${draft.id}/review`, m, { comment: '继续跟进报价' }), 200).body;
    assert.equal(reviewed.status, 'reviewed');
    assert.equal(reviewed.manager_comment, '继续跟进报价');
    assert.equal(reviewed.reviewed_by, m.user.id);
    expectProblem(await get('/weekly-reports', m, { week: 'W48' }), 400);
  });
});

describe('calendar feed and vCard, read by independent parsers', () => {
  test('the secret iCalendar feed holds visit plans and task due dates; revoking ends it', async () => {
    const plan = expectStatus(await post('/visit-plans', a, { account_id: account.id, planned_at: iso(T0 + 3 * DAY), purpose: '签约; 讨论,价格\n第二行' }), 201).body;
    const feed = expectStatus(await get('/auth/me/calendar-feed', a), 200).body;
    assert.match(feed.url, /\/api\/v1\/calendar-feed\.ics\?token=[A-Za-z0-9_-]{20,}$/);
    assert.equal(expectStatus(await get('/auth/me/calendar-feed', a), 200).body.url, feed.url, 'stable until rotated');
    const path = feed.url.slice(feed.url.indexOf('/api/v1') + 7);
    const res = await request('GET', path);
    expectStatus(res, 200);
    assert.match(res.contentType, /^text\/calendar/);
    const parsed = python(`
import sys, json
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.read())
out = []
for c in cal.walk('VEVENT'):
    out.append({'uid': str(c.get('uid')), 'summary': str(c.get('summary')), 'description': str(c.get('description') or ''),
                'start': c.decoded('dtstart').isoformat()})
print(json.dumps({'version': str(cal.get('version')), 'events': out}))
`, res.text);
    assert.equal(parsed.version, '2.0');
    const ev = parsed.events.find((e) => e.uid === `visit-plan-${plan.id}@kam`);
    assert.ok(ev, JSON.stringify(parsed.events.map((e) => e.uid)));
    assert.match(ev.summary, /拜访/);
    assert.ok(ev.description.includes('签约; 讨论,价格\n第二行'), ev.description);
    assert.equal(new Date(ev.start).toISOString(), iso(Math.floor((T0 + 3 * DAY) / 1000) * 1000));
    assert.ok(parsed.events.some((e) => e.uid.startsWith('task-')), 'open tasks are in the feed');
    // Another user's feed never shows a's plans.
    const feedB = expectStatus(await get('/auth/me/calendar-feed', b), 200).body;
    const textB = (await request('GET', feedB.url.slice(feedB.url.indexOf('/api/v1') + 7))).text;
    assert.ok(!textB.includes(`visit-plan-${plan.id}@kam`));
    // Rotate and revoke.
    const rotated = expectStatus(await post('/auth/me/calendar-feed', a, {}), 200).body;
    assert.notEqual(rotated.url, feed.url);
    expectProblem(await request('GET', path), 401);
    expectStatus(await del('/auth/me/calendar-feed', a), 204);
    expectProblem(await request('GET', rotated.url.slice(rotated.url.indexOf('/api/v1') + 7)), 401);
    expectProblem(await request('GET', '/calendar-feed.ics'), 401);
    expectProblem(await get('/auth/me/calendar-feed'), 401);
  });

  test('contacts export as vCard 4.0, one and a filtered list', async () => {
    const res = await request('GET', `/contacts/${contact.id}/vcard`, { token: a });
    expectStatus(res, 200);
    assert.match(res.contentType, /^text\/vcard/);
    const card = python(`
import sys, json, vobject
c = vobject.readOne(sys.stdin.read())
print(json.dumps({'version': c.version.value, 'fn': c.fn.value, 'org': c.org.value, 'title': c.title.value,
                  'tel': c.tel.value, 'email': c.email.value}))
`, res.text);
    assert.equal(card.version, '4.0');
    assert.equal(card.fn, '李明');
    assert.equal(card.org[0], account.name);
    assert.equal(card.title, '采购经理');
    assert.match(card.tel, /13800001111/);
    assert.equal(card.email, 'li@example.cn');
    expectProblem(await request('GET', `/contacts/${contact.id}/vcard`, { token: b }), 404);
    expectStatus(await post('/contacts', a, { account_id: account.id, name: '王,芳;总' }), 201);
    const list = await request('GET', '/contacts/export', { token: a, query: { format: 'vcf', account_id: account.id } });
    expectStatus(list, 200);
    const names = python(`
import sys, json, vobject
print(json.dumps(sorted(c.fn.value for c in vobject.readComponents(sys.stdin.read()))))
`, list.text);
    assert.deepEqual(names, ['李明', '王,芳;总'].sort());
    const none = await request('GET', '/contacts/export', { token: b, query: { format: 'vcf', account_id: account.id } });
    expectStatus(none, 200);
    assert.equal(none.text, '');
    expectProblem(await request('GET', '/contacts/export', { token: a, query: { format: 'csv' } }), 400);
  });
});

describe('forms (XLSX, read by openpyxl)', () => {
  const HELPER = join(dirname(fileURLToPath(import.meta.url)), 'xlsx_check.py');
  const dir = mkdtempSync(join(tmpdir(), 'kam-activities-'));
  async function xlsx(path, session, expected = 200) {
    const res = await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
    assert.equal(res.status, expected, `${path}: ${res.status}`);
    if (expected !== 200) return null;
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    assert.match(res.headers.get('content-disposition'), /filename\*=UTF-8''/);
    const file = join(dir, `f${Math.random().toString(36).slice(2)}.xlsx`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const r = spawnSync('/usr/bin/python3', [HELPER, 'read', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  test('客户拜访计划表 and 客户联络表 of a week, 客户拜访记录表 of a visit, 客户关系强化表 of an account', async () => {
    const at = mondayOf(T0) + 2 * DAY + 2 * 3600_000;
    const week = isoWeek(at);
    expectStatus(await post('/visit-plans', a, { account_id: account.id, planned_at: iso(at), purpose: '表单计划目的', contacts_to_meet: '李明' }), 201);
    expectStatus(await post('/contact-logs', a, { account_id: account.id, contact_id: contact.id, kind: 'meeting', occurred_at: iso(at), content: '表单联络内容' }), 201);
    const plans = await xlsx(`/forms/visit-plans.xlsx?week=${week}`, a);
    assert.equal(plans.rows[0][0], '客户拜访计划表');
    assert.ok(plans.rows.some((r) => r.includes('表单计划目的') && r.includes(account.name)), JSON.stringify(plans.rows));
    assert.ok(plans.bordered > 0);
    const logs = await xlsx(`/forms/contact-logs.xlsx?user_id=${a.user.id}&week=${week}`, m);
    assert.equal(logs.rows[0][0], '客户联络表');
    assert.ok(logs.rows.some((r) => r.includes('表单联络内容') && r.includes('李明') && r.includes('会面')));
    await xlsx(`/forms/contact-logs.xlsx?user_id=${a.user.id}&week=${week}`, b, 404);
    await xlsx('/forms/contact-logs.xlsx?week=2026-W99', a, 400);

    const v = await visit(a, { key_points: '表单要点', customer_views: '=HYPERLINK("x")' });
    const record = await xlsx(`/visits/${v.id}/form.xlsx`, a);
    assert.equal(record.rows[0][0], '客户拜访记录表');
    const byLabel = Object.fromEntries(record.rows.slice(1).map((r) => [r[0], r[1]]));
    assert.equal(byLabel['客户名称'], account.name);
    assert.equal(byLabel['拜访要点'], '表单要点');
    assert.ok(!byLabel['客户意见'].startsWith('='), 'formula neutralised');
    await xlsx(`/visits/${v.id}/form.xlsx`, b, 404);

    expectStatus(await post('/relationship-actions', a, { account_id: account.id, contact_id: contact.id, current_level: 3, measure: '表单强化措施' }), 201);
    const rel = await xlsx(`/accounts/${account.id}/forms/relationship-actions.xlsx`, a);
    assert.equal(rel.rows[0][0], '客户关系强化表');
    assert.ok(rel.rows.some((r) => r.includes('表单强化措施') && r.includes('李明')));
    await xlsx(`/accounts/${account.id}/forms/relationship-actions.xlsx`, x, 404);
  });
});

describe('events (产品介绍会 / 研讨会)', () => {
  test('invitations, attendance and a lead from an attendee; scope by organiser', async () => {
    expectProblem(await post('/events', a, { starts_at: iso(T0 + 5 * DAY) }), 422, 'topic');
    expectProblem(await post('/events', a, { topic: 'x', starts_at: 'soon' }), 422, 'starts_at');
    expectProblem(await post('/events', fin, { topic: 'x', starts_at: iso(T0) }), 403);
    const ev = expectStatus(await post('/events', a, { topic: '数控机床新品发布会', kind: 'presentation', starts_at: iso(T0 + 5 * DAY), place: '苏州国际博览中心' }), 201).body;
    assert.equal(ev.owner_id, a.user.id);
    assert.equal(ev.invited, 0);
    expectProblem(await get(`/events/${ev.id}`, b), 404);
    expectStatus(await get(`/events/${ev.id}`, m), 200);
    assert.ok(!(await listAll('/events', x)).items.some((e) => e.id === ev.id));
    const otherContact = expectStatus(await post('/contacts', b, { account_id: accountB.id, name: unique('他人联系人') }), 201).body;
    expectProblem(await post(`/events/${ev.id}/invitations`, a, { contact_id: otherContact.id }), 422, 'contact_id');
    const inv = expectStatus(await post(`/events/${ev.id}/invitations`, a, { contact_id: contact.id }), 201).body;
    assert.equal(inv.status, 'invited');
    assert.equal(inv.account_id, account.id);
    expectProblem(await post(`/events/${ev.id}/invitations`, a, { contact_id: contact.id }), 409);
    expectProblem(await post(`/event-invitations/${inv.id}/lead`, a, { note: '想试用' }), 422, 'status');
    expectProblem(await patch(`/event-invitations/${inv.id}`, a, { version: inv.version, status: 'maybe' }), 422, 'status');
    const attended = expectStatus(await patch(`/event-invitations/${inv.id}`, a, { version: inv.version, status: 'attended' }), 200).body;
    expectProblem(await patch(`/event-invitations/${inv.id}`, a, { version: inv.version, status: 'absent' }), 409);
    expectProblem(await patch(`/event-invitations/${inv.id}`, b, { version: attended.version, status: 'absent' }), 404);
    expectProblem(await post(`/event-invitations/${inv.id}/lead`, a, { note: '报价', expected_value_fen: -1 }), 422, 'expected_value_fen');
    const lead = expectStatus(await post(`/event-invitations/${inv.id}/lead`, a, { note: '会后要求报价', expected_value_fen: 8800000 }), 201).body;
    assert.ok(lead.lead_task_id);
    // The lead is an opportunity at stage 1 on the attendee's account, owned by the caller.
    assert.ok(lead.lead_opportunity_id);
    const opportunity = expectStatus(await get(`/opportunities/${lead.lead_opportunity_id}`, a), 200).body;
    assert.equal(opportunity.account_id, account.id);
    assert.equal(opportunity.stage, 1);
    assert.equal(opportunity.status, 'open');
    assert.equal(opportunity.owner_id, a.user.id);
    assert.equal(opportunity.expected_value_fen, 8800000);
    assert.equal(opportunity.name, `活动线索：数控机床新品发布会 · ${contact.name}`);
    expectProblem(await get(`/opportunities/${lead.lead_opportunity_id}`, b), 404);
    expectProblem(await post(`/event-invitations/${inv.id}/lead`, a, { note: 'again' }), 409);
    const task = expectStatus(await get(`/tasks/${lead.lead_task_id}`, a), 200).body;
    assert.equal(task.kind, 'event_lead');
    assert.equal(task.account_id, account.id);
    const got = expectStatus(await get(`/events/${ev.id}`, a), 200).body;
    assert.equal(got.invited, 1);
    assert.equal(got.attended, 1);
    const list = expectStatus(await get(`/events/${ev.id}/invitations`, a), 200).body;
    assert.equal(list.items[0].lead_task_id, lead.lead_task_id);
    const changed = expectStatus(await patch(`/events/${ev.id}`, a, { version: got.version, place: '线上' }), 200).body;
    assert.equal(changed.place, '线上');
    expectStatus(await del(`/events/${ev.id}`, a), 204);
    expectProblem(await get(`/events/${ev.id}`, a), 404);
  });
});

describe('tasks raised by rules', () => {
  test('an account about to fall back into the pool and a decision maker who left raise tasks once', async () => {
    const ad = await admin();
    expectProblem(await post('/jobs/activity-rule-tasks/run', a, {}), 403);
    const settings = expectStatus(await get('/settings/pool', ad), 200).body;
    const original = settings.recovery_days;
    // 8 recovery days: the 7-day warning starts after one idle day.
    const changed = expectStatus(await patch('/settings/pool', ad, { version: settings.version, recovery_days: { ...original, none: 8 } }), 200).body;
    try {
      const acc = await createAccount(a, unique('将回公海客户'));
      const dm = expectStatus(await post('/contacts', a, { account_id: acc.id, name: unique('决策人'), buying_role: 'decision_maker' }), 201).body;
      expectStatus(await patch(`/contacts/${dm.id}`, a, { version: dm.version, status: 'left' }), 200);
      await setClock(T0 + 1.5 * DAY);
      const first = expectStatus(await post('/jobs/activity-rule-tasks/run', ad, {}), 200).body;
      // (>= 0: the server's own hourly run may have raised them first.)
      assert.ok(Number.isInteger(first.pool_recovery) && Number.isInteger(first.decision_maker_left), JSON.stringify(first));
      const pool = await listAll('/tasks', a, { kind: 'pool_recovery', account_id: acc.id });
      assert.equal(pool.total, 1);
      assert.equal(pool.items[0].assignee_id, a.user.id);
      assert.equal(pool.items[0].urgent, true);
      const left = await listAll('/tasks', a, { kind: 'decision_maker_left', entity: 'contact', entity_id: dm.id });
      assert.equal(left.total, 1);
      assert.ok(!(await listAll('/tasks', b, { kind: 'pool_recovery' })).items.some((t) => t.account_id === acc.id));
      expectStatus(await post('/jobs/activity-rule-tasks/run', ad, {}), 200);
      assert.equal((await listAll('/tasks', a, { kind: 'pool_recovery', account_id: acc.id })).total, 1, 'raised once');
      assert.equal((await listAll('/tasks', a, { kind: 'decision_maker_left', entity_id: dm.id })).total, 1, 'raised once');
    } finally {
      await setClock(null);
      expectStatus(await patch('/settings/pool', ad, { version: changed.version, recovery_days: original }), 200);
    }
  });
});

describe('printable forms (HTML)', () => {
  test('the four forms as printable pages, escaped, in scope', async () => {
    const v = await visit(a, { key_points: '打印要点', customer_views: '<script>alert(1)</script>' });
    const res = await request('GET', `/visits/${v.id}/form.html`, { token: a });
    expectStatus(res, 200);
    assert.match(res.contentType, /^text\/html/);
    assert.match(res.headers.get('content-disposition'), /^inline/);
    assert.ok(res.text.includes('<h1>客户拜访记录表</h1>') && res.text.includes('打印要点'));
    assert.ok(!res.text.includes('<script>alert(1)</script>') && res.text.includes('&lt;script&gt;'), 'escaped');
    expectProblem(await request('GET', `/visits/${v.id}/form.html`, { token: b }), 404);
    const week = isoWeek(T0 - DAY);
    const plans = await request('GET', '/forms/visit-plans.html', { token: a, query: { week } });
    expectStatus(plans, 200);
    assert.ok(plans.text.includes('<h1>客户拜访计划表</h1>'));
    const logs = await request('GET', '/forms/contact-logs.html', { token: m, query: { user_id: a.user.id, week } });
    expectStatus(logs, 200);
    assert.ok(logs.text.includes('<h1>客户联络表</h1>'));
    const rel = await request('GET', `/accounts/${account.id}/forms/relationship-actions.html`, { token: a });
    expectStatus(rel, 200);
    assert.ok(rel.text.includes('<h1>客户关系强化表</h1>') && rel.text.includes(account.name));
  });
});
