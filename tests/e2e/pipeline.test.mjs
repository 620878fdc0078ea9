// The five-stage pipeline in the browser: a specialist starts an opportunity from the account
// page and takes it from 确定开发对象 to 成交, blocked at each gate (the refusal lists the unmet
// items) until its evidence exists; the evidence is entered on the detail page (stage facts,
// go decision, plan step, touchpoint, closing record) or, where another person must act (the
// technical sign-off of a sample by the manager), through the API. Then the board: a card
// dragged two columns ahead is refused (no skipping), one column ahead runs the gate; and the
// funnel / forecast page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, apiRequest, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage, bearerApi, bearerToken } from './helpers.mjs';

const PASSWORD = 'Test-Pass-2026!';
let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});



/** Users of this run: a specialist and a manager in one department. */
async function people(suffix) {
  const admin = await bearerToken('admin', ADMIN_PASSWORD);
  const roles = Object.fromEntries((await bearerApi(admin, 'GET', '/roles')).body.items.map((r) => [r.code, r.id]));
  const dept = await bearerApi(admin, 'POST', '/departments', { name: `管道部${suffix}`, parent_id: null });
  assert.equal(dept.status, 201);
  const make = async (username, role, display) => {
    const res = await bearerApi(admin, 'POST', '/users', { username, display_name: display, password: PASSWORD, department_id: dept.body.id, role_ids: [roles[role]] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { ...res.body, token: await bearerToken(username, PASSWORD) };
  };
  return { specialist: await make(`pspec${suffix}`, 'specialist', '张专员'), manager: await make(`pmgr${suffix}`, 'manager', '李经理') };
}

const activePane = (page) => page.locator('.ant-tabs-tabpane-active');

/** Presses 推进 and expects the refusal listing `count` unmet items; closes it. */
async function expectRefusal(page, count, shot) {
  await page.getByTestId('detail-advance').click();
  const items = page.getByTestId('unmet-items').locator('.ant-list-item');
  await items.first().waitFor();
  assert.equal(await items.count(), count, 'unmet items listed');
  if (shot) await screenshot(page, shot);
  await closeRefusal(page);
}

async function closeRefusal(page) {
  await page.locator('.ant-modal', { has: page.getByTestId('unmet-items') }).locator('.ant-modal-footer button').last().click();
  await page.getByTestId('unmet-items').waitFor({ state: 'hidden' });
}

async function advanceTo(page, stage) {
  await page.getByTestId('detail-advance').click();
  await page.locator('.ant-steps-item-process .ant-steps-item-title').filter({ hasText: STAGE_NAMES[stage] }).waitFor();
}

const STAGE_NAMES = { 1: '确定开发对象', 2: '信息收集/样品', 3: '价值评估/开发计划', 4: '关系建立', 5: '促成成交' };

async function saveFields(page, values) {
  const pane = activePane(page);
  for (const [name, value] of Object.entries(values)) await pane.getByTestId(`field-${name}`).locator('xpath=self::textarea|self::input|.//input').first().fill(String(value));
  await clickSave(page);
}

async function clickSave(page) {
  const saved = page.waitForResponse((r) => /\/api\/v1\/opportunities\/\d+$/.test(r.url()) && r.request().method() === 'PATCH');
  await activePane(page).getByTestId('save-fields').click();
  assert.equal((await saved).status(), 200);
}

async function addViaModal(page, button, fields) {
  await activePane(page).getByTestId(button).click();
  const modal = page.locator('.ant-modal:visible').last();
  for (const [name, value] of Object.entries(fields)) {
    if (value && typeof value === 'object') {
      await modal.getByTestId(`add-${name}`).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByTitle(value.option, { exact: true }).click();
    } else {
      const el = modal.getByTestId(`add-${name}`);
      const input = (await el.evaluate((e) => e.tagName === 'INPUT' || e.tagName === 'TEXTAREA')) ? el : el.locator('input').first();
      await input.fill(String(value));
    }
  }
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 201);
  await modal.getByTestId('add-submit').click();
  await created;
  await modal.waitFor({ state: 'hidden' });
}

test('a specialist takes an opportunity from target to won, blocked at every gate', async () => {
  const suffix = uniqueSuffix();
  const { specialist, manager } = await people(suffix);
  const account = await bearerApi(specialist.token, 'POST', '/accounts', { name: `管道客户${suffix}` });
  assert.equal(account.status, 201);
  await withPage(browser, 'pipeline-flow', {}, async (page) => {
    await login(page, specialist.username, PASSWORD);
    await page.goto(`/accounts/${account.body.id}`);
    await page.getByTestId('account-new-opportunity').click();
    await page.getByTestId('new-opportunity-name').fill(`包装替换项目${suffix}`);
    await page.getByTestId('new-opportunity-value').fill('12000.50');
    await page.getByTestId('new-opportunity-submit').click();
    await page.waitForURL(/\/pipeline\/opportunities\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('opportunity-name').waitFor();
    assert.match(await page.getByTestId('opportunity-status').textContent(), /进行中/);

    // Stage 1: everything missing, then the facts and the go decision.
    await expectRefusal(page, 8, 'pipeline-gate-refused');
    await saveFields(page, {
      customer_business_age: '经营15年', customer_scale: '员工800人', customer_status: '扩产中', potential_need: '新产线包材',
      supplier_structure: '两家本地供应商', supplier_problems: '交期不稳',
    });
    await activePane(page).getByText('紧迫', { exact: true }).click();
    await clickSave(page);
    await expectRefusal(page, 1);
    await page.getByTestId('decide-go').click();
    await page.getByTestId('decision-reason').fill('需求明确，预算已批');
    await page.getByTestId('decision-ok').click();
    await page.getByTestId('check-s1_go').and(page.locator('[data-met="yes"]')).waitFor();
    await screenshot(page, 'pipeline-stage1-complete');
    await advanceTo(page, 2);

    // Stage 2: a sample (signed off by the manager), an insider, the requirements.
    await expectRefusal(page, 3);
    await addViaModal(page, 'add-sample', { specification: 'A4 80g 食品级', quantity: 10, requested_on: '2026-11-01' });
    const samples = await bearerApi(specialist.token, 'GET', `/opportunities/${id}/samples`);
    assert.equal((await bearerApi(manager.token, 'POST', `/opportunity-samples/${samples.body.items[0].id}/sign-off`, { result: 'passed' })).status, 200);
    assert.equal((await bearerApi(specialist.token, 'POST', '/contacts', { account_id: account.body.id, name: '内线小王', buying_role: 'insider' })).status, 201);
    await saveFields(page, { requirements: '月需求2万件' });
    await advanceTo(page, 3);

    // Stage 3: probability, cost, obstacles, a plan step.
    await expectRefusal(page, 4);
    await saveFields(page, { win_probability: 60, expected_cost_fen: '20000' });
    const obstacles = activePane(page).getByTestId('field-obstacles');
    await obstacles.click();
    await obstacles.locator('input').fill('老供应商关系深');
    await obstacles.locator('input').press('Enter');
    await clickSave(page);
    await addViaModal(page, 'add-step', { title: '技术交流会', due_date: '2026-12-10' });
    await advanceTo(page, 4);

    // Stage 4: a decision maker at level 4 and a touchpoint with them.
    await expectRefusal(page, 3);
    assert.equal((await bearerApi(specialist.token, 'POST', '/contacts', { account_id: account.body.id, name: `王总${suffix}`, buying_role: 'decision_maker', relationship_level: 4 })).status, 201);
    await page.reload();
    await page.getByTestId('stage-tab-4').waitFor();
    await expectRefusal(page, 1);
    await addViaModal(page, 'add-touch', { contact_id: { option: `王总${suffix}` }, touched_on: '2026-11-20', summary: '登门拜访，认可方案' });
    await advanceTo(page, 5);

    // Stage 5: the closing records, then won.
    for (const kind of ['executive_meeting', 'factory_audit']) {
      assert.equal((await bearerApi(specialist.token, 'POST', `/opportunities/${id}/closing-records`, { kind, held_on: '2026-11-25', summary: kind })).status, 201);
    }
    await page.reload();
    await addViaModal(page, 'add-record', { kind: { option: '系统支持' }, held_on: '2026-11-26', summary: 'ERP 对接支持' });
    await page.getByTestId('close-won').click();
    await page.getByTestId('won-value').fill('11800');
    await page.getByTestId('won-date').fill('2026-12-01');
    await page.getByTestId('close-submit').click();
    await page.getByTestId('opportunity-status').filter({ hasText: '已成交' }).waitFor();
    await page.getByTestId('stage-tab-history').click();
    assert.equal(await page.getByTestId('history-table').locator('tbody tr.ant-table-row').count(), 5);
    await screenshot(page, 'pipeline-won-history');
  });
});

test('the board: a card cannot skip a stage; one column ahead runs the gate; insight charts render', async () => {
  const suffix = uniqueSuffix();
  const { specialist } = await people(suffix);
  const account = await bearerApi(specialist.token, 'POST', '/accounts', { name: `看板客户${suffix}` });
  const o = await bearerApi(specialist.token, 'POST', '/opportunities', { account_id: account.body.id, name: `看板项目${suffix}`, expected_value_fen: 500000 });
  assert.equal(o.status, 201);
  await withPage(browser, 'pipeline-board', {}, async (page) => {
    await login(page, specialist.username, PASSWORD);
    await page.goto('/pipeline');
    const card = page.getByTestId(`opportunity-card-${o.body.id}`);
    await card.waitFor();
    await card.dragTo(page.getByTestId('stage-column-3'));
    await page.getByText('只能推进到下一阶段').waitFor();
    await card.dragTo(page.getByTestId('stage-column-2'));
    await page.getByTestId('unmet-items').waitFor();
    assert.equal(await page.getByTestId('unmet-items').locator('.ant-list-item').count(), 8);
    await screenshot(page, 'pipeline-board-refused');
    await closeRefusal(page);
    await page.goto('/pipeline/insight');
    await page.getByTestId('funnel-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('forecast-card').locator('svg').first().waitFor();
    await screenshot(page, 'pipeline-insight');
  });
  await withPage(browser, 'pipeline-board-api', {}, async (page) => {
    // the drop did not move it
    await login(page, specialist.username, PASSWORD);
    const now = await apiRequest(page, 'GET', `/opportunities/${o.body.id}`);
    assert.equal(now.body.stage, 1);
  });
});
