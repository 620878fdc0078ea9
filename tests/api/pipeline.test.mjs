// The five-stage pipeline (issue 4): every gate blocks until its evidence
// exists (422 listing each unmet item), stages are never skipped, the
// manager's override (403 for a specialist) is recorded in the history and the
// audit, no-go terminates at stage 1, lost reasons come from the taxonomy,
// funnel counts respect the data scope and the forecast arithmetic holds on a
// known data set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, request, expectStatus, expectProblem, admin, createDepartment, userSession, createAccount,
  unique, listAll, serverErrors,
} from './lib.mjs';

const TAG = unique('管道');
let s = {};
let account;
let otherAccount;

before(async () => {
  const ka = await createDepartment(unique('大客户部'));
  const east = await createDepartment(unique('华东'), ka.id);
  const south = await createDepartment(unique('华南'), ka.id);
  const mk = (key, departmentId, role) => userSession({ username: unique(key), displayName: `${key}${TAG}`, departmentId, roles: [role] });
  s = {
    a: await mk('pa', east.id, 'specialist'),
    b: await mk('pb', east.id, 'specialist'),
    c: await mk('pc', south.id, 'specialist'),
    manager: await mk('pm', ka.id, 'manager'),
    finance: await mk('pf', ka.id, 'finance'),
    dept: { ka, east, south },
  };
  account = await createAccount(s.a, `${TAG}苏州精密`);
  otherAccount = await createAccount(s.b, `${TAG}别人的客户`);
});

after(() => assert.deepEqual(serverErrors, []));

const newOpp = async (session, fields = {}) => expectStatus(
  await post('/opportunities', session, { account_id: account.id, name: unique(`${TAG}项目`), ...fields }), 201, 'create opportunity',
).body;
const advance = (session, id, body = {}) => post(`/opportunities/${id}/advance`, session, body);
const unmet = (res) => {
  expectProblem(res, 422);
  return res.body.errors.map((e) => e.field);
};
const current = async (id, session = s.a) => expectStatus(await get(`/opportunities/${id}`, session), 200).body;
const change = async (id, fields, session = s.a) => {
  const o = await current(id, session);
  return expectStatus(await patch(`/opportunities/${id}`, session, { version: o.version, ...fields }), 200, 'patch').body;
};
const contact = async (fields) => expectStatus(await post('/contacts', s.a, { account_id: account.id, name: unique('联系人'), ...fields }), 201).body;

const STAGE1 = {
  customer_business_age: '经营15年', customer_scale: '员工800人', customer_status: '扩产', potential_need: '新产线包材',
  need_urgency: 'high', supplier_structure: '两家本地供应商', supplier_problems: '交期不稳',
};

describe('opportunities CRUD, validation, scope', () => {
  test('create → 201 at stage 1, open, owned by the caller; get, patch (409 when stale), delete, audit', async () => {
    const o = await newOpp(s.a, { expected_value_fen: 1200000, product_lines: ['包装', '标签'], expected_close_date: '2027-03-31' });
    assert.equal(o.stage, 1);
    assert.equal(o.status, 'open');
    assert.equal(o.owner_id, s.a.user.id);
    assert.equal(o.account_id, account.id);
    assert.equal(o.account_name, account.name);
    assert.deepEqual(o.product_lines, ['包装', '标签']);
    assert.deepEqual(o.obstacles, []);
    assert.equal(o.stalled, false);
    assert.equal(o.version, 1);
    const changed = expectStatus(await patch(`/opportunities/${o.id}`, s.a, { version: 1, win_probability: 40, obstacles: ['价格高'] }), 200).body;
    assert.equal(changed.version, 2);
    assert.equal(changed.weighted_value_fen, 480000);
    expectProblem(await patch(`/opportunities/${o.id}`, s.a, { version: 1, name: 'x' }), 409);
    // stage and status are not fields of a patch
    const ignored = expectStatus(await patch(`/opportunities/${o.id}`, s.a, { version: 2, stage: 5, status: 'won' }), 200).body;
    assert.equal(ignored.stage, 1);
    assert.equal(ignored.status, 'open');
    expectStatus(await del(`/opportunities/${o.id}`, s.a), 204);
    expectProblem(await get(`/opportunities/${o.id}`, s.a), 404);
    const audit = expectStatus(await get('/audit', s.a, { entity: 'opportunity', entity_id: o.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['delete', 'update', 'update', 'create']);
  });

  test('422 names the field', async () => {
    expectProblem(await post('/opportunities', s.a, { account_id: account.id }), 422, 'name');
    expectProblem(await post('/opportunities', s.a, { name: 'x' }), 422, 'account_id');
    expectProblem(await post('/opportunities', s.a, { account_id: account.id, name: 'x', win_probability: 101 }), 422, 'win_probability');
    expectProblem(await post('/opportunities', s.a, { account_id: account.id, name: 'x', expected_value_fen: -1 }), 422, 'expected_value_fen');
    expectProblem(await post('/opportunities', s.a, { account_id: account.id, name: 'x', expected_close_date: '2027-02-30' }), 422, 'expected_close_date');
    expectProblem(await post('/opportunities', s.a, { account_id: account.id, name: 'x', product_lines: 'abc' }), 422, 'product_lines');
    expectProblem(await post('/opportunities', s.a, { account_id: account.id, name: 'x', need_urgency: 'now' }), 422, 'need_urgency');
    // an account the caller cannot see is 422 on account_id
    expectProblem(await post('/opportunities', s.a, { account_id: otherAccount.id, name: 'x' }), 422, 'account_id');
    expectProblem(await get('/opportunities', s.a, { nope: 1 }), 400);
    expectProblem(await get('/opportunities', s.a, { stage: 6 }), 400);
    expectProblem(await get('/opportunities', s.a, { view: 'tiny' }), 400);
  });

  test('view=card lists what a board card shows and nothing else', async () => {
    const o = await newOpp(s.a, { name: `${TAG}卡片`, expected_value_fen: 1000, win_probability: 40, product_lines: ['包装'], supplier_problems: '交期不稳' });
    const full = expectStatus(await get('/opportunities', s.a, { q: `${TAG}卡片` }), 200).body.items[0];
    const card = expectStatus(await get('/opportunities', s.a, { q: `${TAG}卡片`, view: 'card' }), 200).body.items[0];
    assert.equal(full.supplier_problems, '交期不稳');
    assert.equal(card.id, o.id);
    assert.equal('supplier_problems' in card, false);
    assert.equal('obstacles' in card, false);
    assert.deepEqual(card.product_lines, ['包装']);
    assert.equal(card.weighted_value_fen, 400);
    assert.equal(card.stalled, false);
    for (const key of ['account_name', 'owner_name', 'stage', 'status', 'version', 'days_in_stage']) assert.ok(key in card, key);
  });

  test('a peer specialist gets 404 and never sees them; the manager does; finance may read but not write', async () => {
    const o = await newOpp(s.a, { name: `${TAG}范围` });
    expectProblem(await get(`/opportunities/${o.id}`, s.b), 404);
    expectProblem(await patch(`/opportunities/${o.id}`, s.b, { version: 1, name: 'x' }), 404);
    expectProblem(await advance(s.b, o.id), 404);
    expectProblem(await get(`/opportunities/${o.id}/samples`, s.b), 404);
    expectProblem(await get(`/opportunities/${o.id}/history`, s.b), 404);
    assert.equal((await listAll('/opportunities', s.b, { q: `${TAG}范围` })).total, 0);
    assert.equal((await listAll('/opportunities', s.manager, { q: `${TAG}范围` })).total, 1);
    expectStatus(await get(`/opportunities/${o.id}`, s.finance), 200);
    expectProblem(await patch(`/opportunities/${o.id}`, s.finance, { version: 1, name: 'x' }), 403);
    expectProblem(await post('/opportunities', s.finance, { account_id: account.id, name: 'x' }), 403);
    expectProblem(await get('/audit', s.b, { entity: 'opportunity', entity_id: o.id }), 404);
  });
});

describe('the five gates', () => {
  test('a specialist walks an opportunity from target to won, blocked at each gate until its evidence exists', async () => {
    const o = await newOpp(s.a, { expected_value_fen: 500000 });
    const id = o.id;
    // Stage 1
    assert.deepEqual(unmet(await advance(s.a, id)), ['s1_business_age', 's1_scale', 's1_status', 's1_need', 's1_urgency', 's1_suppliers', 's1_supplier_problems', 's1_go']);
    await change(id, STAGE1);
    assert.deepEqual(unmet(await advance(s.a, id)), ['s1_go']);
    expectProblem(await post(`/opportunities/${id}/go-no-go`, s.a, { decision: 'go' }), 422, 'reason');
    expectProblem(await post(`/opportunities/${id}/go-no-go`, s.a, { decision: 'maybe', reason: 'x' }), 422, 'decision');
    expectStatus(await post(`/opportunities/${id}/go-no-go`, s.a, { decision: 'go', reason: '需求明确，预算已批' }), 200);
    let gate = expectStatus(await get(`/opportunities/${id}/gate`, s.a), 200).body;
    assert.equal(gate.stages[0].met, true);
    assert.equal(gate.stages[1].met, false);
    assert.equal(expectStatus(await advance(s.a, id), 200).body.stage, 2);

    // Stage 2: sample signed off by someone else, an insider, requirements
    assert.deepEqual(unmet(await advance(s.a, id)), ['s2_sample', 's2_insider', 's2_requirements']);
    expectProblem(await post(`/opportunities/${id}/samples`, s.a, { specification: 'A4', quantity: 0, requested_on: '2026-11-01' }), 422, 'quantity');
    const sample = expectStatus(await post(`/opportunities/${id}/samples`, s.a, { specification: 'A4 80g 白', quantity: 10, requested_on: '2026-11-01' }), 201).body;
    assert.equal(sample.result, 'pending');
    assert.equal(sample.requested_by, s.a.user.id);
    expectProblem(await post(`/opportunity-samples/${sample.id}/sign-off`, s.a, { result: 'passed' }), 422, 'signed_off_by');
    const signed = expectStatus(await post(`/opportunity-samples/${sample.id}/sign-off`, s.manager, { result: 'passed' }), 200).body;
    assert.equal(signed.signed_off_by, s.manager.user.id);
    await contact({ buying_role: 'insider' });
    await change(id, { requirements: '月需求2万件，食品级' });
    assert.equal(expectStatus(await advance(s.a, id), 200).body.stage, 3);

    // Stage 3: probability, obstacles, cost, plan
    assert.deepEqual(unmet(await advance(s.a, id)), ['s3_probability', 's3_obstacles', 's3_cost', 's3_plan']);
    await change(id, { win_probability: 60, obstacles: ['老供应商关系深', '价格敏感'], expected_cost_fen: 2000000 });
    const step = expectStatus(await post(`/opportunities/${id}/plan-steps`, s.a, { title: '技术交流会', due_date: '2026-12-10' }), 201).body;
    assert.equal(step.owner_id, s.a.user.id);
    assert.equal(step.done, false);
    const done = expectStatus(await patch(`/opportunity-plan-steps/${step.id}`, s.a, { version: 1, done: true }), 200).body;
    assert.equal(done.done, true);
    assert.equal(expectStatus(await advance(s.a, id), 200).body.stage, 4);

    // Stage 4: every decision maker at the level and touched
    assert.deepEqual(unmet(await advance(s.a, id)), ['s4_decision_makers', 's4_relationship', 's4_touchpoints']);
    const dm1 = await contact({ name: `${TAG}王总`, buying_role: 'decision_maker', relationship_level: 2 });
    const dm2 = await contact({ name: `${TAG}李总`, buying_role: 'decision_maker', relationship_level: 4 });
    expectProblem(await post(`/opportunities/${id}/touchpoints`, s.a, { contact_id: 999999999, touched_on: '2026-11-20', summary: 'x' }), 422, 'contact_id');
    expectStatus(await post(`/opportunities/${id}/touchpoints`, s.a, { contact_id: dm1.id, touched_on: '2026-11-20', summary: '登门拜访' }), 201);
    const blocked = await advance(s.a, id);
    assert.deepEqual(unmet(blocked), ['s4_relationship', 's4_touchpoints']);
    assert.match(blocked.body.errors[0].message, /王总/);
    assert.match(blocked.body.errors[1].message, /李总/);
    const checklist = expectStatus(await get(`/opportunities/${id}/gate`, s.a), 200).body.stages[3].items;
    const touch = checklist.find((i) => i.code === 's4_touchpoints');
    assert.match(touch.detail_zh, /^尚无接触记录：.*李总/);
    assert.match(checklist.find((i) => i.code === 's4_relationship').detail_zh, /^关系等级低于 3：.*王总/);
    assert.equal(checklist.find((i) => i.code === 's4_decision_makers').detail_zh, null);
    expectStatus(await patch(`/contacts/${dm1.id}`, s.a, { version: 1, relationship_level: 3 }), 200);
    // A call logged with 李总 (activities) touches him too; a log before the
    // opportunity was opened would not.
    expectStatus(await post('/contact-logs', s.a, { account_id: account.id, contact_id: dm2.id, kind: 'call', occurred_at: o.created_at, content: '电话沟通' }), 201);
    // A third decision maker is met on a visit that names him among the customer's participants.
    const dm3 = await contact({ name: `${TAG}赵总`, buying_role: 'decision_maker', relationship_level: 5 });
    const third = await advance(s.a, id);
    assert.deepEqual(unmet(third), ['s4_touchpoints']);
    assert.match(third.body.errors[0].message, /赵总/);
    assert.doesNotMatch(third.body.errors[0].message, /李总/);
    expectStatus(await post('/visits', s.a, { account_id: account.id, occurred_at: o.created_at, method: 'in_person', customer_participants: `${dm3.name}、采购部刘工` }), 201);
    assert.equal(expectStatus(await advance(s.a, id), 200).body.stage, 5);

    // Stage 5: no stage 6; won only with the closing records
    expectProblem(await advance(s.a, id), 422, 'stage');
    const early = await post(`/opportunities/${id}/close`, s.a, { status: 'won', won_value_fen: 480000, won_date: '2026-12-01' });
    assert.deepEqual(unmet(early), ['s5_executive_meeting', 's5_inspection', 's5_system_support']);
    for (const kind of ['executive_meeting', 'factory_audit', 'system_support']) {
      expectStatus(await post(`/opportunities/${id}/closing-records`, s.a, { kind, held_on: '2026-11-25', summary: `${kind}记录` }), 201);
    }
    expectProblem(await post(`/opportunities/${id}/closing-records`, s.a, { kind: 'party', held_on: '2026-11-25', summary: 'x' }), 422, 'kind');
    expectProblem(await post(`/opportunities/${id}/close`, s.a, { status: 'won', won_date: '2026-12-01' }), 422, 'won_value_fen');
    const won = expectStatus(await post(`/opportunities/${id}/close`, s.a, { status: 'won', won_value_fen: 480000, won_date: '2026-12-01' }), 200).body;
    assert.equal(won.status, 'won');
    assert.equal(won.won_value_fen, 480000);
    // closed: nothing more to add
    expectProblem(await post(`/opportunities/${id}/plan-steps`, s.a, { title: 'x' }), 422, 'status');
    expectProblem(await post(`/opportunities/${id}/close`, s.a, { status: 'lost', lost_reason_code: 'price' }), 422, 'status');

    const history = expectStatus(await get(`/opportunities/${id}/history`, s.a), 200).body;
    assert.deepEqual(history.items.map((h) => h.stage), [1, 2, 3, 4, 5]);
    for (const h of history.items) {
      assert.ok(h.entered_at && h.exited_at, 'every stay has entry and exit');
      assert.equal(h.override, false);
    }
    assert.equal(history.items[1].entered_by, s.a.user.id);
    const audit = expectStatus(await get('/audit', s.a, { entity: 'opportunity', entity_id: id, limit: 100 }), 200).body;
    assert.equal(audit.items.filter((i) => i.action === 'advance').length, 4);
    assert.equal(audit.items[0].action, 'won');
    gate = expectStatus(await get(`/opportunities/${id}/gate`, s.a), 200).body;
    assert.ok(gate.stages.every((st) => st.met));
  });

  test('stages cannot be skipped: advance moves exactly one stage', async () => {
    const o = await newOpp(s.manager, { account_id: (await createAccount(s.manager, unique(`${TAG}经理客户`))).id });
    const moved = expectStatus(await advance(s.manager, o.id, { override_reason: '测试跳过' }), 200).body;
    assert.equal(moved.stage, 2);
    const patched = expectStatus(await patch(`/opportunities/${o.id}`, s.manager, { version: moved.version, stage: 4 }), 200).body;
    assert.equal(patched.stage, 2, 'a patch never moves the stage');
    assert.equal(expectStatus(await advance(s.manager, o.id, { override_reason: '再跳' }), 200).body.stage, 3);
    const history = expectStatus(await get(`/opportunities/${o.id}/history`, s.manager), 200).body;
    assert.deepEqual(history.items.map((h) => h.stage), [1, 2, 3]);
  });

  test('override: 403 for a specialist, allowed for a manager in scope with a reason, recorded and audited', async () => {
    const o = await newOpp(s.a);
    expectProblem(await advance(s.a, o.id, { override_reason: '我觉得可以' }), 403);
    assert.equal((await current(o.id)).stage, 1);
    // a manager without a reason is still blocked by the gate
    assert.ok(unmet(await advance(s.manager, o.id)).includes('s1_go'));
    // a manager of another tree cannot see it at all
    const moved = expectStatus(await advance(s.manager, o.id, { override_reason: '总经理引荐，直接进入样品阶段' }), 200).body;
    assert.equal(moved.stage, 2);
    const history = expectStatus(await get(`/opportunities/${o.id}/history`, s.a), 200).body;
    assert.equal(history.items[1].override, true);
    assert.equal(history.items[1].override_reason, '总经理引荐，直接进入样品阶段');
    assert.equal(history.items[1].entered_by, s.manager.user.id);
    assert.equal(history.items[0].exited_by, s.manager.user.id);
    const audit = expectStatus(await get('/audit', s.a, { entity: 'opportunity', entity_id: o.id }), 200).body;
    assert.equal(audit.items[0].action, 'override');
    assert.equal(audit.items[0].after.override_reason, '总经理引荐，直接进入样品阶段');
    assert.ok(audit.items[0].after.overridden_items.includes('s1_go'));
    // stale version in the body is 409
    expectProblem(await advance(s.manager, o.id, { version: 1, override_reason: 'x' }), 409);
    // a specialist of the other department cannot even find it
    expectProblem(await advance(s.c, o.id, { override_reason: 'x' }), 404);
  });

  test('no-go at stage 1 terminates; go-no-go later is 422', async () => {
    const o = await newOpp(s.a);
    const t = expectStatus(await post(`/opportunities/${o.id}/go-no-go`, s.a, { decision: 'no_go', reason: '需求太小，不值得投入' }), 200).body;
    assert.equal(t.status, 'terminated');
    assert.equal(t.go_decision, 'no_go');
    expectProblem(await advance(s.a, o.id), 422, 'status');
    expectProblem(await patch(`/opportunities/${o.id}`, s.a, { version: t.version, name: 'x' }), 422, 'status');
    const history = expectStatus(await get(`/opportunities/${o.id}/history`, s.a), 200).body;
    assert.ok(history.items[0].exited_at);
    const later = await newOpp(s.manager, { account_id: (await createAccount(s.manager, unique(`${TAG}经理客户`))).id });
    expectStatus(await advance(s.manager, later.id, { override_reason: '直接推进' }), 200);
    expectProblem(await post(`/opportunities/${later.id}/go-no-go`, s.manager, { decision: 'no_go', reason: 'x' }), 422, 'decision');
  });

  test('lost needs a reason code from the configurable taxonomy', async () => {
    const reasons = expectStatus(await get('/pipeline/lost-reasons', s.a), 200).body.items;
    assert.deepEqual(reasons.map((r) => r.label_zh), ['价格', '质量', '交期', '关系', '竞品替代', '客户需求取消', '其他']);
    const o = await newOpp(s.a);
    expectProblem(await post(`/opportunities/${o.id}/close`, s.a, { status: 'lost' }), 422, 'lost_reason_code');
    expectProblem(await post(`/opportunities/${o.id}/close`, s.a, { status: 'lost', lost_reason_code: 'weather' }), 422, 'lost_reason_code');
    expectProblem(await post(`/opportunities/${o.id}/close`, s.a, { status: 'dunno' }), 422, 'status');
    const lost = expectStatus(await post(`/opportunities/${o.id}/close`, s.a, { status: 'lost', lost_reason_code: 'competitor', note: '被竞品低价替代' }), 200).body;
    assert.equal(lost.status, 'lost');
    assert.equal(lost.lost_reason_code, 'competitor');
    // won before stage 5 is refused
    const early = await newOpp(s.a);
    expectProblem(await post(`/opportunities/${early.id}/close`, s.a, { status: 'won', won_value_fen: 1, won_date: '2026-12-01' }), 422, 'status');
    // the taxonomy is admin data
    expectProblem(await request('PUT', '/pipeline/lost-reasons', { token: s.manager, body: { items: reasons } }), 403);
    const a = await admin();
    const extended = [...reasons, { code: `tag${TAG}`.slice(0, 60), label_zh: '资金问题', label_en: 'Funding' }];
    const saved = expectStatus(await request('PUT', '/pipeline/lost-reasons', { token: a, body: { items: extended } }), 200).body;
    assert.equal(saved.items.length, reasons.length + 1);
    expectProblem(await request('PUT', '/pipeline/lost-reasons', { token: a, body: { items: [{ code: 'x' }] } }), 422, 'items[0]');
    // restore (the extra code becomes disabled, not deleted)
    const restored = expectStatus(await request('PUT', '/pipeline/lost-reasons', { token: a, body: { items: reasons } }), 200).body;
    assert.equal(restored.items.filter((r) => r.enabled).length, reasons.length);
  });

  test('gate checklists are data: an admin edits them, others may not', async () => {
    const gates = expectStatus(await get('/pipeline/gates', s.a), 200).body;
    assert.equal(gates.items.filter((g) => g.stage === 1).length, 8);
    expectProblem(await request('PUT', '/pipeline/gates', { token: s.manager, body: gates }), 403);
    const a = await admin();
    const bad = await request('PUT', '/pipeline/gates', { token: a, body: { items: [{ stage: 2, code: 'x', kind: 'magic', label_zh: 'x', label_en: 'x' }] } });
    expectProblem(bad, 422, 'items[0]');
    // disable the stage-1 business-age item, check, then restore
    const edited = gates.items.map((g) => (g.code === 's1_business_age' ? { ...g, enabled: false } : g));
    expectStatus(await request('PUT', '/pipeline/gates', { token: a, body: { items: edited } }), 200);
    const o = await newOpp(s.a);
    assert.ok(!unmet(await advance(s.a, o.id)).includes('s1_business_age'));
    expectStatus(await request('PUT', '/pipeline/gates', { token: a, body: { items: gates.items } }), 200);
    assert.ok(unmet(await advance(s.a, o.id)).includes('s1_business_age'));
  });
});

describe('insight', () => {
  test('funnel counts only what the caller may see; filters by owner, product line and dates', async () => {
    const line = unique('线');
    await newOpp(s.a, { expected_value_fen: 1000, product_lines: [line] });
    await newOpp(s.a, { expected_value_fen: 2000, product_lines: [line] });
    const bAccount = await createAccount(s.b, unique(`${TAG}乙客户`));
    await newOpp(s.b, { account_id: bAccount.id, expected_value_fen: 4000, product_lines: [line] });
    const fa = expectStatus(await get('/pipeline/funnel', s.a, { product_line: line }), 200).body;
    assert.equal(fa.stages[0].count, 2);
    assert.equal(fa.stages[0].value_fen, 3000);
    const fb = expectStatus(await get('/pipeline/funnel', s.b, { product_line: line }), 200).body;
    assert.equal(fb.stages[0].count, 1);
    assert.equal(fb.stages[0].value_fen, 4000);
    const fm = expectStatus(await get('/pipeline/funnel', s.manager, { product_line: line }), 200).body;
    assert.equal(fm.stages[0].count, 3);
    const fc = expectStatus(await get('/pipeline/funnel', s.c, { product_line: line }), 200).body;
    assert.equal(fc.stages[0].count, 0);
    const owner = expectStatus(await get('/pipeline/funnel', s.manager, { product_line: line, owner_id: s.b.user.id }), 200).body;
    assert.equal(owner.stages[0].count, 1);
    const past = expectStatus(await get('/pipeline/funnel', s.manager, { product_line: line, to: '2020-01-01' }), 200).body;
    assert.equal(past.stages[0].count, 0);
    assert.equal(fa.stages.length, 5);
    for (const st of fa.stages) assert.equal(typeof st.median_seconds_in_stage, 'number');
    expectProblem(await get('/pipeline/funnel', s.a, { from: 'yesterday' }), 400);
    expectProblem(await get('/pipeline/funnel', s.a, { nope: 1 }), 400);
    // Unfiltered, the counts come from the per-owner tally; a date filter that takes in
    // everything reads the opportunities themselves: both agree for every caller.
    for (const who of [s.a, s.b, s.c, s.manager]) {
      const tallied = expectStatus(await get('/pipeline/funnel', who), 200).body;
      const counted = expectStatus(await get('/pipeline/funnel', who, { from: '2000-01-01' }), 200).body;
      assert.deepEqual(tallied, counted, who.user.username);
      assert.ok(tallied.stages[0].reached >= (who === s.c ? 0 : 1));
    }
  });

  test('conversion: reached and advanced per stage', async () => {
    const line = unique('转化');
    const acc = await createAccount(s.manager, unique(`${TAG}转化客户`));
    const mk = () => newOpp(s.manager, { account_id: acc.id, product_lines: [line] });
    const x = await mk();
    await mk();
    await mk();
    expectStatus(await advance(s.manager, x.id, { override_reason: '测试' }), 200);
    const f = expectStatus(await get('/pipeline/funnel', s.manager, { product_line: line }), 200).body;
    assert.equal(f.stages[0].reached, 3);
    assert.equal(f.stages[0].advanced, 1);
    assert.equal(f.stages[0].conversion_bp, 3333);
    assert.equal(f.stages[1].reached, 1);
    assert.equal(f.stages[1].count, 1);
    assert.equal(f.stages[0].count, 2);
  });

  test('forecast arithmetic on a known data set', async () => {
    const line = unique('预测');
    const acc = await createAccount(s.c, unique(`${TAG}预测客户`));
    const mk = (fields) => newOpp(s.c, { account_id: acc.id, product_lines: [line], ...fields });
    await mk({ expected_value_fen: 100000, win_probability: 35, expected_close_date: '2031-01-15' });
    await mk({ expected_value_fen: 333, win_probability: 33, expected_close_date: '2031-01-31' });
    await mk({ expected_value_fen: 90000, expected_close_date: '2031-02-01' });
    await mk({ expected_value_fen: 777, win_probability: 50, expected_close_date: '2031-12-01' });
    await mk({ expected_value_fen: 5000, win_probability: 90, expected_close_date: '2030-11-30' }); // before the window
    const f = expectStatus(await get('/pipeline/forecast', s.c, { as_of: '2030-12-05', product_line: line }), 200).body;
    assert.equal(f.as_of, '2030-12-05');
    assert.equal(f.months.length, 12);
    assert.equal(f.previous_months.length, 12);
    assert.equal(f.months[0].month, '2030-12');
    assert.equal(f.months[11].month, '2031-11');
    assert.deepEqual(f.months[1], { month: '2031-01', count: 2, expected_value_fen: 100333, weighted_value_fen: 35109, won_count: 0, won_value_fen: 0 });
    assert.equal(f.months[2].expected_value_fen, 90000);
    assert.equal(f.months[2].weighted_value_fen, 0); // no probability → 0
    assert.equal(f.totals.weighted_value_fen, 35109);
    assert.equal(f.totals.expected_value_fen, 190333);
    // scoped: a peer sees none of it
    const other = expectStatus(await get('/pipeline/forecast', s.a, { as_of: '2030-12-05', product_line: line }), 200).body;
    assert.equal(other.totals.expected_value_fen, 0);
    expectProblem(await get('/pipeline/forecast', s.c, { as_of: '2030-13-01' }), 400);
    // The tally (no filter) and the opportunities (a date filter that takes in everything) agree.
    for (const who of [s.c, s.manager]) {
      const tallied = expectStatus(await get('/pipeline/forecast', who, { as_of: '2030-12-05' }), 200).body;
      const counted = expectStatus(await get('/pipeline/forecast', who, { as_of: '2030-12-05', from: '2000-01-01' }), 200).body;
      assert.deepEqual(tallied, counted, who.user.username);
    }
    const all = expectStatus(await get('/pipeline/forecast', s.c, { as_of: '2030-12-05' }), 200).body;
    assert.ok(all.months[1].weighted_value_fen >= 35109);
  });

  test('stalled: listed and flagged after the per-stage threshold', async () => {
    const o = await newOpp(s.a, { name: `${TAG}停滞` });
    const now = expectStatus(await get('/pipeline/stalled', s.a), 200).body;
    assert.ok(!now.items.some((i) => i.id === o.id));
    const later = await listAll('/pipeline/stalled', s.a, { as_of: '2099-01-01' });
    const mine = later.items.find((i) => i.id === o.id);
    assert.ok(mine, 'listed in 2099');
    assert.equal(mine.stalled, true);
    assert.ok(!(await listAll('/pipeline/stalled', s.b, { as_of: '2099-01-01' })).items.some((i) => i.id === o.id));
    const settings = expectStatus(await get('/pipeline/settings', s.a), 200).body;
    assert.equal(settings.stages.length, 5);
    expectProblem(await request('PUT', '/pipeline/settings', { token: s.manager, body: settings }), 403);
    const a = await admin();
    expectProblem(await request('PUT', '/pipeline/settings', { token: a, body: { stages: [{ stage: 9, stalled_days: 1 }] } }), 422, 'stages[0]');
  });
});
