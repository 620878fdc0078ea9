// Contacts and the buying centre: CRUD, validation, scope through the account,
// the decision-maker-left rule end to end (account stage + account audit).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, expectStatus, expectProblem, createDepartment, userSession, createAccount, unique, listAll,
  serverErrors,
} from './lib.mjs';

let a; let b; let fin; let account; let otherAccount;

before(async () => {
  const dept = await createDepartment(unique('联系人测试部'));
  a = await userSession({ username: unique('cta'), departmentId: dept.id, roles: ['specialist'] });
  b = await userSession({ username: unique('ctb'), departmentId: dept.id, roles: ['specialist'] });
  fin = await userSession({ username: unique('ctf'), departmentId: dept.id, roles: ['finance'] });
  account = await createAccount(a, unique('联系人客户'));
  otherAccount = await createAccount(b, unique('别人的客户'));
});

after(() => assert.deepEqual(serverErrors, []));

const newContact = async (fields) => expectStatus(await post('/contacts', a, { account_id: account.id, name: unique('王'), ...fields }), 201, 'create contact').body;

describe('contacts CRUD', () => {
  test('create → 201 with the whole contact; get, patch, delete', async () => {
    const c = await newContact({ name: '王建国', title: '总经理', phone: '13800001111', buying_role: 'decision_maker', attitude: 'supporter', relationship_level: 4 });
    assert.equal(c.account_id, account.id);
    assert.equal(c.account_name, account.name);
    assert.equal(c.status, 'active');
    assert.equal(c.version, 1);
    assert.equal(c.relationship_level, 4);
    assert.deepEqual(expectStatus(await get(`/contacts/${c.id}`, a), 200).body, c);
    const changed = expectStatus(await patch(`/contacts/${c.id}`, a, { version: 1, title: null, attitude: 'neutral' }), 200).body;
    assert.equal(changed.version, 2);
    assert.equal(changed.title, null);
    assert.equal(changed.attitude, 'neutral');
    expectProblem(await patch(`/contacts/${c.id}`, a, { version: 1, title: 'x' }), 409);
    expectStatus(await del(`/contacts/${c.id}`, a), 204);
    expectProblem(await get(`/contacts/${c.id}`, a), 404);
    const audit = expectStatus(await get('/audit', a, { entity: 'contact', entity_id: c.id }), 200).body;
    assert.deepEqual(audit.items.map((i) => i.action), ['delete', 'update', 'create']);
  });

  test('422s name the field', async () => {
    expectProblem(await post('/contacts', a, { account_id: account.id }), 422, 'name');
    expectProblem(await post('/contacts', a, { name: '无客户' }), 422, 'account_id');
    expectProblem(await post('/contacts', a, { account_id: account.id, name: 'x', relationship_level: 0 }), 422, 'relationship_level');
    expectProblem(await post('/contacts', a, { account_id: account.id, name: 'x', relationship_level: 6 }), 422, 'relationship_level');
    expectProblem(await post('/contacts', a, { account_id: account.id, name: 'x', buying_role: 'boss' }), 422, 'buying_role');
    expectProblem(await post('/contacts', a, { account_id: account.id, name: 'x', attitude: 'angry' }), 422, 'attitude');
    expectProblem(await post('/contacts', a, { account_id: account.id, name: 'x', status: 'gone' }), 422, 'status');
    expectProblem(await post('/contacts', a, { account_id: 'x', name: 'x' }), 422, 'account_id');
    const c = await newContact({});
    expectProblem(await patch(`/contacts/${c.id}`, a, { title: 'x' }), 422, 'version');
    expectProblem(await patch(`/contacts/${c.id}`, a, { version: 1, name: '  ' }), 422, 'name');
    expectProblem(await patch(`/contacts/${c.id}`, a, { version: 1, status: null }), 422, 'status');
  });

  test('list filters, search and paging', async () => {
    const tag = unique('检索');
    await newContact({ name: `${tag}甲`, buying_role: 'insider' });
    await newContact({ name: `${tag}乙`, status: 'left' });
    await newContact({ name: `${tag}丙` });
    const all = await listAll('/contacts', a, { q: tag });
    assert.equal(all.total, 3);
    assert.equal((await listAll('/contacts', a, { q: tag, status: 'left' })).total, 1);
    assert.equal((await listAll('/contacts', a, { q: tag, buying_role: 'insider' })).total, 1);
    assert.equal((await listAll('/contacts', a, { q: tag, account_id: account.id })).total, 3);
    const page = expectStatus(await get('/contacts', a, { q: tag, limit: 2 }), 200).body;
    assert.equal(page.items.length, 2);
    assert.equal(page.total, 3);
    expectProblem(await get('/contacts', a, { nope: 1 }), 400);
    expectProblem(await get('/contacts', a, { status: 'gone' }), 400);
    expectProblem(await get('/contacts', a, { account_id: 'abc' }), 400);
  });
});

describe('scope follows the account', () => {
  test('a peer specialist gets 404 and never sees them in lists', async () => {
    const c = await newContact({ name: unique('秘密') });
    expectProblem(await get(`/contacts/${c.id}`, b), 404);
    expectProblem(await patch(`/contacts/${c.id}`, b, { version: 1, name: 'x' }), 404);
    expectProblem(await del(`/contacts/${c.id}`, b), 404);
    expectProblem(await get(`/accounts/${account.id}/buying-center`, b), 404);
    expectProblem(await get('/audit', b, { entity: 'contact', entity_id: c.id }), 404);
    const listed = await listAll('/contacts', b, { account_id: account.id });
    assert.equal(listed.total, 0);
    assert.ok(!(await listAll('/contacts', b)).items.some((x) => x.id === c.id));
    // Creating one for an invisible account is 422 on account_id.
    expectProblem(await post('/contacts', a, { account_id: otherAccount.id, name: 'x' }), 422, 'account_id');
  });

  test('read-only finance sees but may not write', async () => {
    const c = await newContact({});
    expectStatus(await get(`/contacts/${c.id}`, fin), 200);
    expectProblem(await patch(`/contacts/${c.id}`, fin, { version: 1, name: 'x' }), 403);
    expectProblem(await del(`/contacts/${c.id}`, fin), 403);
    expectProblem(await post('/contacts', fin, { account_id: account.id, name: 'x' }), 403);
  });
});

describe('buying centre and the decision-maker-left rule', () => {
  /** An account of a's at relationship stage strengthen, or null when the account API cannot set it yet. */
  async function strengthened() {
    const acc = await createAccount(a, { name: unique('强化客户'), relationship_stage: 'strengthen' });
    if (acc.relationship_stage === 'strengthen') return acc;
    const res = await patch(`/accounts/${acc.id}`, a, { version: acc.version, relationship_stage: 'strengthen' });
    return res.status === 200 && res.body.relationship_stage === 'strengthen' ? res.body : null;
  }

  test('GET /accounts/{id}/buying-center lists every contact with a summary of the active ones', async () => {
    const acc = await createAccount(a, unique('决策链客户'));
    const add = (fields) => post('/contacts', a, { account_id: acc.id, name: unique('人'), ...fields });
    expectStatus(await add({ buying_role: 'decision_maker', attitude: 'supporter' }), 201);
    expectStatus(await add({ buying_role: 'insider', attitude: 'supporter' }), 201);
    expectStatus(await add({ buying_role: 'user', attitude: 'opponent' }), 201);
    expectStatus(await add({ buying_role: 'decision_maker', status: 'left' }), 201);
    const bc = expectStatus(await get(`/accounts/${acc.id}/buying-center`, a), 200).body;
    assert.equal(bc.account_id, acc.id);
    assert.equal(bc.relationship_stage, 'establish');
    assert.equal(bc.contacts.length, 4);
    assert.deepEqual(bc.summary, { decision_makers: 1, supporters: 2, opponents: 1, insiders: 1 });
    expectProblem(await get('/accounts/999999999/buying-center', a), 404);
  });

  test('a decision maker leaving sets the account back to establish, audited with the reason', async (t) => {
    const acc = await strengthened();
    if (!acc) {
      t.skip('the account API does not set relationship_stage yet');
      return;
    }
    const dm = expectStatus(await post('/contacts', a, { account_id: acc.id, name: unique('决策人'), buying_role: 'decision_maker' }), 201).body;
    assert.equal(expectStatus(await get(`/accounts/${acc.id}/buying-center`, a), 200).body.relationship_stage, 'strengthen');
    expectStatus(await patch(`/contacts/${dm.id}`, a, { version: dm.version, status: 'left' }), 200);
    assert.equal(expectStatus(await get(`/accounts/${acc.id}/buying-center`, a), 200).body.relationship_stage, 'establish');
    const got = expectStatus(await get(`/accounts/${acc.id}`, a), 200).body;
    assert.equal(got.relationship_stage, 'establish');
    assert.ok(got.version > acc.version, 'the account version moved');
    const audit = expectStatus(await get('/audit', a, { entity: 'account', entity_id: acc.id }), 200).body;
    const fallBack = audit.items.find((i) => i.after && i.after.reason === 'decision_maker_left');
    assert.ok(fallBack, `an account audit row with reason decision_maker_left: ${JSON.stringify(audit.items)}`);
    assert.equal(fallBack.after.relationship_stage, 'establish');
    assert.equal(fallBack.before.relationship_stage, 'strengthen');
  });

  test('an influencer leaving keeps the stage', async (t) => {
    const acc = await strengthened();
    if (!acc) {
      t.skip('the account API does not set relationship_stage yet');
      return;
    }
    const c = expectStatus(await post('/contacts', a, { account_id: acc.id, name: unique('影响者'), buying_role: 'influencer' }), 201).body;
    expectStatus(await patch(`/contacts/${c.id}`, a, { version: c.version, status: 'left' }), 200);
    assert.equal(expectStatus(await get(`/accounts/${acc.id}/buying-center`, a), 200).body.relationship_stage, 'strengthen');
  });
});
