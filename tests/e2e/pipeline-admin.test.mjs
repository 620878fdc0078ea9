// Pipeline settings (开发流程设置, /admin/pipeline) and the editing of an opportunity's samples and
// plan steps. The admin switches a stage-1 gate item off, moves one, raises a number and adds an
// item; a refused save (a 422 on items[0], faked in the browser) shows under the right row; the
// real save persists after a reload. Stalled days and a lost reason change and persist. Every
// setting is put back through the API afterwards (the other pipeline tests expect the defaults).
// On an opportunity: a signed-off sample gets its delivery date (sign-off kept), a plan step is
// edited (first refused as stale, 409), then deleted. Phone width: no horizontal overflow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ADMIN_PASSWORD, SCREENSHOT_DIR, apiRequest, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage, bearerApi, bearerToken } from './helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});



/** The stored configuration, to put back at the end. */
async function snapshot(admin) {
  const [gates, reasons, settings] = await Promise.all([
    bearerApi(admin, 'GET', '/pipeline/gates'),
    bearerApi(admin, 'GET', '/pipeline/lost-reasons'),
    bearerApi(admin, 'GET', '/pipeline/settings'),
  ]);
  return { gates: gates.body, reasons: reasons.body, settings: settings.body };
}

async function restore(admin, saved) {
  const strip = (items) => items.map(({ id, ...rest }) => rest);
  assert.equal((await bearerApi(admin, 'PUT', '/pipeline/gates', { items: strip(saved.gates.items) })).status, 200);
  assert.equal((await bearerApi(admin, 'PUT', '/pipeline/lost-reasons', saved.reasons)).status, 200);
  assert.equal((await bearerApi(admin, 'PUT', '/pipeline/settings', saved.settings)).status, 200);
}

async function assertNoOverflow(page, where) {
  const sizes = await page.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(sizes.doc <= sizes.viewport && sizes.body <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

/**
 * What the screen shows (not the full page): the settings page is long, and a full-page capture
 * draws the sticky header and save bar in the middle of it.
 */
async function viewShot(page, name) {
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 3_000 })
    .catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const gateRow = (page, code) => page.getByTestId(`gate-item-${code}`);
const stageCodes = (page, stage) =>
  page.getByTestId(`gate-stage-${stage}`).locator('[data-testid^="gate-item-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice('gate-item-'.length)));

/** The <input> of an antd InputNumber / Input found by its test id. */
function inputOf(page, testid) {
  return page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first();
}

async function savePut(page, button, path) {
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1${path}`) && r.request().method() === 'PUT');
  await page.getByTestId(button).click();
  return answered;
}

test('an admin edits the stage gates, stalled days and lost reasons; the changes persist', async () => {
  const admin = await bearerToken('admin', ADMIN_PASSWORD);
  const saved = await snapshot(admin);
  const original = Object.fromEntries(saved.gates.items.map((i) => [i.code, i]));
  assert.equal(original.s1_scale.enabled, true, 'the default s1_scale item is on');
  try {
    await withPage(browser, 'pipeline-admin', {}, async (page) => {
      await login(page);
      // From the menu: 系统管理 → 开发流程设置.
      await page.getByRole('menuitem', { name: /系统管理/ }).click();
      await page.getByRole('menuitem', { name: /开发流程设置/ }).click();
      await page.waitForURL('**/admin/pipeline');
      await gateRow(page, 's1_scale').waitFor();
      assert.deepEqual((await stageCodes(page, 1)).slice(0, 3), ['s1_business_age', 's1_scale', 's1_status']);
      await viewShot(page, 'pipeline-admin-01-gates');

      // Switch s1_scale off, move s1_status above it, raise the stage-4 relationship level to 4.
      await gateRow(page, 's1_scale').getByTestId('gate-enabled').click();
      assert.equal(await gateRow(page, 's1_scale').getAttribute('data-enabled'), 'no');
      await page.getByTestId('gates-dirty').waitFor();
      await gateRow(page, 's1_status').getByTestId('move-up').click();
      assert.deepEqual((await stageCodes(page, 1)).slice(0, 3), ['s1_business_age', 's1_status', 's1_scale']);
      await inputOf(gateRow(page, 's4_relationship'), 'gate-param-min_level').fill('4');
      await gateRow(page, 's1_status').getByTestId('gate-label-zh').fill('已记录客户现状（含产能）');

      // Add an item to stage 5: at least 2 touchpoints (code and labels suggested).
      await page.getByTestId('gate-add-5').click();
      const dialog = page.locator('.ant-modal:visible').last();
      // Picked by typing into the searchable select (a click on the option can land mid-animation).
      await dialog.getByTestId('gate-add-count').click();
      await page.keyboard.type('接触记录');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active', { hasText: '接触记录' }).waitFor();
      await page.keyboard.press('Enter');
      await dialog.getByTestId('gate-add-count').locator('.ant-select-selection-item', { hasText: '接触记录' }).waitFor();
      await inputOf(dialog, 'gate-add-min').fill('2');
      await page.waitForFunction(() => document.querySelector('[data-testid="gate-add-code"]')?.value === 's5_touchpoints');
      assert.equal(await dialog.getByTestId('gate-add-label-zh').inputValue(), '接触记录至少 2 个');
      await viewShot(page, 'pipeline-admin-02-add-gate');
      await dialog.getByTestId('gate-add-ok').click();
      await gateRow(page, 's5_touchpoints').waitFor();

      // A refused save (faked 422 on the first entry) is shown under that row, nothing is lost.
      await page.route('**/api/v1/pipeline/gates', (route) =>
        route.request().method() === 'PUT'
          ? route.fulfill({
              status: 422,
              contentType: 'application/problem+json',
              body: JSON.stringify({ type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'invalid input', errors: [{ field: 'items[0]', message: 'duplicate code s1_business_age' }] }),
            })
          : route.continue(),
      );
      assert.equal((await savePut(page, 'gates-save', '/pipeline/gates')).status(), 422);
      await gateRow(page, 's1_business_age').getByTestId('row-error').getByText('代码重复').waitFor();
      assert.equal(await page.getByTestId('row-error').count(), 1, 'only the refused row shows an error');
      await page.getByTestId('gates-error').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await viewShot(page, 'pipeline-admin-03-gates-422');
      await page.unroute('**/api/v1/pipeline/gates');

      assert.equal((await savePut(page, 'gates-save', '/pipeline/gates')).status(), 200);
      await page.locator('.ant-message').getByText('已保存').waitFor();
      await page.reload();
      await gateRow(page, 's1_scale').waitFor();
      assert.equal(await gateRow(page, 's1_scale').getAttribute('data-enabled'), 'no', 'still off after a reload');
      assert.deepEqual((await stageCodes(page, 1)).slice(0, 3), ['s1_business_age', 's1_status', 's1_scale']);
      assert.equal(await inputOf(gateRow(page, 's4_relationship'), 'gate-param-min_level').inputValue(), '4');
      assert.equal(await gateRow(page, 's1_status').getByTestId('gate-label-zh').inputValue(), '已记录客户现状（含产能）');
      await gateRow(page, 's5_touchpoints').waitFor();
      assert.equal(await page.getByTestId('gates-dirty').count(), 0);
      const stored = Object.fromEntries((await apiRequest(page, 'GET', '/pipeline/gates')).body.items.map((i) => [i.code, i]));
      assert.equal(stored.s1_scale.enabled, false);
      assert.deepEqual(stored.s4_relationship.params, { min_level: 4 });
      assert.deepEqual(stored.s5_touchpoints.params, { count: 'touchpoints', min: 2 });

      // A new opportunity's stage-1 checklist no longer has the switched-off item.
      const account = await apiRequest(page, 'POST', '/accounts', { name: `关卡设置客户${uniqueSuffix()}` });
      const o = await apiRequest(page, 'POST', '/opportunities', { account_id: account.body.id, name: '关卡设置项目' });
      const gate = await apiRequest(page, 'GET', `/opportunities/${o.body.id}/gate`);
      const codes = gate.body.stages.find((s) => s.stage === 1).items.map((i) => i.code);
      assert.ok(!codes.includes('s1_scale') && codes.includes('s1_status'), JSON.stringify(codes));

      // Stalled days: stage 2 from its value to another, kept after a reload.
      await page.getByTestId('pipeline-admin-tab-stalled').click();
      const days2 = inputOf(page, 'stalled-days-2');
      await page.waitForFunction(() => document.querySelector('input[data-testid="stalled-days-2"], [data-testid="stalled-days-2"] input')?.value);
      const before = Number(await days2.inputValue());
      const next = before === 21 ? 22 : 21;
      await days2.fill(String(next));
      await page.getByTestId('stalled-dirty').waitFor();
      await screenshot(page, 'pipeline-admin-04-stalled');
      assert.equal((await savePut(page, 'stalled-save', '/pipeline/settings')).status(), 200);
      await page.reload();
      await page.waitForURL('**/admin/pipeline?tab=stalled');
      await page.waitForFunction(
        (v) => document.querySelector('input[data-testid="stalled-days-2"], [data-testid="stalled-days-2"] input')?.value === String(v),
        next,
      );
      const settings = await apiRequest(page, 'GET', '/pipeline/settings');
      assert.equal(settings.body.stages.find((s) => s.stage === 2).stalled_days, next);

      // Lost reasons: relabel 其他 and move it to the top.
      await page.getByTestId('pipeline-admin-tab-lost-reasons').click();
      const other = page.getByTestId('reason-other');
      await other.waitFor();
      await other.getByTestId('reason-label-zh').fill('其他原因');
      for (let i = 0; i < saved.reasons.items.length && (await other.getByTestId('move-up').isEnabled()); i += 1) await other.getByTestId('move-up').click();
      await page.mouse.move(0, 0);
      await screenshot(page, 'pipeline-admin-05-lost-reasons');
      assert.equal((await savePut(page, 'reasons-save', '/pipeline/lost-reasons')).status(), 200);
      await page.reload();
      await page.getByTestId('reason-other').waitFor();
      assert.equal(await page.getByTestId('reason-other').getByTestId('reason-label-zh').inputValue(), '其他原因');
      const first = await page.getByTestId('lost-reasons-tab').locator('[data-testid^="reason-"][data-enabled]').first().getAttribute('data-testid');
      assert.equal(first, 'reason-other');
    });

    await withPage(browser, 'pipeline-admin-phone', PHONE, async (page) => {
      await login(page);
      await page.goto('/admin/pipeline');
      await gateRow(page, 's1_scale').waitFor();
      await assertNoOverflow(page, 'gates');
      await viewShot(page, 'pipeline-admin-06-phone-gates');
      await gateRow(page, 's4_relationship').scrollIntoViewIfNeeded();
      await gateRow(page, 's4_relationship').getByTestId('gate-label-zh').fill('每位关键决策人的关系等级达到要求！');
      await viewShot(page, 'pipeline-admin-06b-phone-gates-edited');
      await page.getByTestId('pipeline-admin-tab-stalled').click();
      await page.getByTestId('stalled-days-1').waitFor();
      await assertNoOverflow(page, 'stalled days');
      await viewShot(page, 'pipeline-admin-07-phone-stalled');
      await page.getByTestId('pipeline-admin-tab-lost-reasons').click();
      await page.getByTestId('reason-add').click();
      const added = page.locator('[data-testid^="reason-reason-"]');
      assert.equal(await added.getByTestId('row-error').count(), 0, 'a new empty row is not flagged before it is touched');
      await added.getByTestId('reason-code').fill('late_payment');
      await added.getByTestId('reason-label-zh').fill('付款条件');
      await page.getByTestId('reasons-save').click();
      await added.getByTestId('row-error').getByText('中文名称和英文名称都必须填写').waitFor();
      await added.scrollIntoViewIfNeeded();
      await assertNoOverflow(page, 'lost reasons');
      await viewShot(page, 'pipeline-admin-08-phone-lost-reasons');
    });
  } finally {
    await restore(admin, saved);
  }
  const back = await snapshot(admin);
  assert.equal(back.gates.items.find((i) => i.code === 's1_scale').enabled, true);
  assert.equal(back.gates.items.some((i) => i.code === 's5_touchpoints'), saved.gates.items.some((i) => i.code === 's5_touchpoints'));
});

test('on an opportunity a sample gets its delivery date and a plan step is edited, then deleted', async () => {
  const suffix = uniqueSuffix();
  const admin = await bearerToken('admin', ADMIN_PASSWORD);
  // A director (sees everything) signs the sample off: the requester cannot.
  const roles = Object.fromEntries((await bearerApi(admin, 'GET', '/roles')).body.items.map((r) => [r.code, r.id]));
  const dept = await bearerApi(admin, 'POST', '/departments', { name: `样品部${suffix}`, parent_id: null });
  assert.equal(dept.status, 201);
  const director = await bearerApi(admin, 'POST', '/users', { username: `sdir${suffix}`, display_name: '赵总监', password: 'Test-Pass-2026!', department_id: dept.body.id, role_ids: [roles.director] });
  assert.equal(director.status, 201, JSON.stringify(director.body));
  const directorToken = await bearerToken(`sdir${suffix}`, 'Test-Pass-2026!');

  const account = await bearerApi(admin, 'POST', '/accounts', { name: `样品客户${suffix}` });
  const o = await bearerApi(admin, 'POST', '/opportunities', { account_id: account.body.id, name: `样品项目${suffix}` });
  assert.equal(o.status, 201);
  const sample = await bearerApi(admin, 'POST', `/opportunities/${o.body.id}/samples`, { specification: 'A4 80g 食品级', quantity: 10, requested_on: '2026-11-01' });
  assert.equal(sample.status, 201);
  assert.equal((await bearerApi(directorToken, 'POST', `/opportunity-samples/${sample.body.id}/sign-off`, { result: 'passed' })).status, 200);
  const step = await bearerApi(admin, 'POST', `/opportunities/${o.body.id}/plan-steps`, { title: `技术交流会${suffix}`, due_date: '2026-12-10' });
  assert.equal(step.status, 201);

  await withPage(browser, 'pipeline-children', {}, async (page) => {
    await login(page);
    await page.goto(`/pipeline/opportunities/${o.body.id}`);
    await page.getByTestId('opportunity-name').waitFor();
    const pane = page.locator('.ant-tabs-tabpane-active');

    // Sample: a delivery date; the sign-off stays.
    await page.getByTestId('stage-tab-2').click();
    const sampleRow = pane.locator('tr.ant-table-row', { hasText: 'A4 80g 食品级' });
    await sampleRow.getByTestId('sample-edit').click();
    const dialog = page.locator('.ant-modal:visible').last();
    await dialog.getByTestId('sample-delivered-on').fill('2026-10-01');
    await dialog.getByTestId('sample-save').click();
    await dialog.getByText('送达日期不能早于申请日期').waitFor();
    await dialog.getByTestId('sample-delivered-on').fill('2026-11-06');
    await dialog.getByTestId('sample-note').fill('顺丰加急');
    await inputOf(dialog, 'sample-quantity').fill('12');
    await dialog.getByTestId('sample-resets-sign-off').waitFor();
    await viewShot(page, 'pipeline-children-01-sample-dialog');
    await inputOf(dialog, 'sample-quantity').fill('10');
    await dialog.getByTestId('sample-resets-sign-off').waitFor({ state: 'detached' });
    const patched = page.waitForResponse((r) => r.url().includes(`/opportunity-samples/${sample.body.id}`) && r.request().method() === 'PATCH');
    await dialog.getByTestId('sample-save').click();
    const patch = await patched;
    assert.equal(patch.status(), 200);
    assert.deepEqual(Object.keys(JSON.parse(patch.request().postData())).sort(), ['delivered_on', 'note', 'version'], 'only the changed fields are sent');
    await dialog.waitFor({ state: 'hidden' });
    await sampleRow.getByTestId('sample-delivered').filter({ hasText: '2026-11-06' }).waitFor();
    await sampleRow.getByText('已通过').waitFor();
    const storedSample = (await bearerApi(admin, 'GET', `/opportunities/${o.body.id}/samples`)).body.items[0];
    assert.equal(storedSample.delivered_on, '2026-11-06');
    assert.equal(storedSample.result, 'passed', 'a new delivery date keeps the sign-off');

    // Plan step: an edit refused as stale (changed meanwhile), then done on fresh data, then deleted.
    await page.getByTestId('stage-tab-3').click();
    const stepRow = () => pane.locator('tr.ant-table-row', { hasText: `技术交流会${suffix}` });
    await stepRow().getByTestId('step-edit').click();
    const stepDialog = page.locator('.ant-modal:visible').last();
    await stepDialog.getByTestId('step-title').waitFor();
    assert.equal((await bearerApi(admin, 'PATCH', `/opportunity-plan-steps/${step.body.id}`, { version: step.body.version, done: true })).status, 200);
    await stepDialog.getByTestId('step-title').fill(`技术交流会（扩大范围）${suffix}`);
    await stepDialog.getByTestId('step-save').click();
    await stepDialog.getByTestId('step-error').getByText('已被他人修改').waitFor();
    await viewShot(page, 'pipeline-children-02-step-stale');
    await stepDialog.locator('.ant-modal-footer button').first().click();
    await stepDialog.waitFor({ state: 'hidden' });
    await stepRow().locator('.ant-checkbox-checked').waitFor(); // reloaded: done by the other edit

    await stepRow().getByTestId('step-edit').click();
    await stepDialog.getByTestId('step-title').fill(`技术交流会（扩大范围）${suffix}`);
    await stepDialog.getByTestId('step-due-date').fill('2026-12-20');
    await viewShot(page, 'pipeline-children-03-step-dialog');
    const stepPatched = page.waitForResponse((r) => r.url().includes(`/opportunity-plan-steps/${step.body.id}`) && r.request().method() === 'PATCH');
    await stepDialog.getByTestId('step-save').click();
    assert.equal((await stepPatched).status(), 200);
    await stepDialog.waitFor({ state: 'hidden' });
    const edited = pane.locator('tr.ant-table-row', { hasText: `技术交流会（扩大范围）${suffix}` });
    await edited.getByText('2026-12-20').waitFor();

    await edited.getByTestId('step-delete').click();
    await page.locator('.ant-popover:visible').getByText('删除此计划步骤？').waitFor();
    await viewShot(page, 'pipeline-children-04-step-delete-confirm');
    const deleted = page.waitForResponse((r) => r.url().includes(`/opportunity-plan-steps/${step.body.id}`) && r.request().method() === 'DELETE');
    await page.getByTestId('step-delete-ok').click();
    assert.equal((await deleted).status(), 204);
    await edited.waitFor({ state: 'detached' });
    assert.equal((await bearerApi(admin, 'GET', `/opportunities/${o.body.id}/plan-steps`)).body.items.length, 0);
  });

  await withPage(browser, 'pipeline-children-phone', PHONE, async (page) => {
    await login(page);
    await page.goto(`/pipeline/opportunities/${o.body.id}`);
    await page.getByTestId('stage-tab-2').click();
    const sampleRow = page.locator('.ant-tabs-tabpane-active tr.ant-table-row', { hasText: 'A4 80g 食品级' });
    await sampleRow.scrollIntoViewIfNeeded();
    await assertNoOverflow(page, 'samples table');
    await viewShot(page, 'pipeline-children-05a-phone-samples');
    await sampleRow.getByTestId('sample-edit').click();
    await page.locator('.ant-modal:visible').getByTestId('sample-delivered-on').waitFor();
    await assertNoOverflow(page, 'sample dialog');
    await viewShot(page, 'pipeline-children-05-phone-sample-dialog');
  });
});
