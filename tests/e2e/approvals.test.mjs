// Approvals, the main flow in the browser: a specialist files a 礼品馈赠申请 from the account
// page and submits it; the chain shows as Steps. The KA manager sees it in 待我审批 (with the
// menu badge), returns it with a comment; the specialist edits and resubmits; the manager
// approves, finance approves; the request is 已批准 with its trail, and the account's cost of
// development counts it. The request page fits a phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, launchBrowser, login, logout, requireAdminPassword, screenshot, uniqueSuffix, withPage } from './helpers.mjs';

const PASSWORD = 'E2e-Approvals-2026!';
let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function waitIdle(page) {
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
}

async function stepStatuses(page) {
  return page.locator('[data-testid="approval-steps"] .ant-steps-item').evaluateAll((items) =>
    items.map((i) => (i.className.match(/ant-steps-item-(wait|process|finish|error)/) || [])[1]),
  );
}

async function act(page, action, comment) {
  await page.getByTestId(`action-${action}`).click();
  if (comment) await page.getByTestId('action-comment').fill(comment);
  const answered = page.waitForResponse((r) => r.url().includes(`/${action}`) && r.request().method() === 'POST');
  await page.getByTestId('action-confirm').click();
  const response = await answered;
  assert.equal(response.status(), 200, await response.text());
  await page.locator('.ant-modal-wrap').first().waitFor({ state: 'hidden' }).catch(() => undefined);
}

test('gift request: submit, return, resubmit, approve through the chain', async () => {
  const suffix = uniqueSuffix();
  const accountName = `审批测试客户${suffix}`;
  const names = { spec: `e2e_aps_${suffix}`, mgr: `e2e_apm_${suffix}`, fin: `e2e_apf_${suffix}` };
  let requestId;
  let accountId;

  // The organisation: a department with a team below it; the manager sits in the department.
  await withPage(browser, 'approvals-setup', {}, async (page) => {
    await login(page);
    const roles = Object.fromEntries((await apiRequest(page, 'GET', '/roles')).body.items.map((r) => [r.code, r.id]));
    const top = (await apiRequest(page, 'POST', '/departments', { name: `审批部${suffix}`, parent_id: null })).body;
    const team = (await apiRequest(page, 'POST', '/departments', { name: `审批组${suffix}`, parent_id: top.id })).body;
    const user = async (username, display, dept, role) => {
      const res = await apiRequest(page, 'POST', '/users', { username, password: PASSWORD, display_name: display, department_id: dept, role_ids: [roles[role]] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    await user(names.spec, '专员小王', team.id, 'specialist');
    await user(names.mgr, '经理老李', top.id, 'manager');
    await user(names.fin, '财务小张', top.id, 'finance');
  });

  // The specialist files the request from the account page.
  await withPage(browser, 'approvals-submit', {}, async (page) => {
    await login(page, names.spec, PASSWORD);
    const created = await apiRequest(page, 'POST', '/accounts', { name: accountName, industry: '制造', province: '江苏省', city: '苏州市' });
    assert.equal(created.status, 201);
    accountId = created.body.id;
    await page.goto(`/accounts/${accountId}`);
    await page.getByTestId('account-development-cost').waitFor();
    await page.getByTestId('account-new-gift').click();
    await page.waitForURL('**/approvals/gift/new?account_id=*');
    await page.getByTestId('approval-form').waitFor();
    await page.locator('[data-testid="approval-account"]').getByText(accountName).waitFor();
    await page.getByTestId('gift-recipient').fill('王建国');
    await page.getByTestId('gift-recipient-title').fill('总经理');
    await page.getByTestId('gift-name').fill('碧螺春茶叶礼盒');
    await page.getByTestId('gift-quantity').fill('2');
    await page.getByTestId('gift-unit-price').fill('680');
    await page.getByTestId('gift-occasion').fill('年终客户答谢');
    await page.getByTestId('approval-total').getByText('1,360.00').waitFor();
    await screenshot(page, 'approvals-gift-form');
    await page.getByTestId('approval-save-submit').click();
    await page.waitForURL(/\/approvals\/gift\/\d+$/);
    requestId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('approval-steps').waitFor();
    assert.equal(await page.getByTestId('approval-status').first().textContent(), '审批中');
    assert.deepEqual(await stepStatuses(page), ['process', 'wait']);
    assert.match(await page.getByTestId('approval-steps').textContent(), /经理老李/);
    await page.getByTestId('action-withdraw').waitFor();
    await screenshot(page, 'approvals-submitted');
    await logout(page);
  });

  // The manager: the badge counts it, the inbox lists it; return it with a comment.
  await withPage(browser, 'approvals-return', {}, async (page) => {
    await login(page, names.mgr, PASSWORD);
    await page.locator('[data-testid="approvals-badge"] .ant-badge-count').waitFor();
    assert.equal((await page.locator('[data-testid="approvals-badge"] .ant-badge-count').textContent()).trim(), '1');
    await page.getByTestId('menu-/approvals').click();
    await page.getByTestId('approvals-inbox').waitFor();
    await waitIdle(page);
    await page.getByTestId('approvals-inbox').getByText('碧螺春茶叶礼盒 → 王建国').waitFor();
    await screenshot(page, 'approvals-inbox');
    await page.getByTestId('approvals-inbox').getByTestId('approval-link').first().click();
    await page.waitForURL(`**/approvals/gift/${requestId}`);
    await page.getByTestId('action-approve').waitFor();
    await act(page, 'return', '请注明受礼人所在部门');
    assert.equal(await page.getByTestId('approval-status').first().textContent(), '已退回');
    assert.equal(await page.getByTestId('action-approve').count(), 0);
    await logout(page);
  });

  // The specialist edits the returned request and submits it again.
  await withPage(browser, 'approvals-resubmit', {}, async (page) => {
    await login(page, names.spec, PASSWORD);
    await page.goto('/approvals?tab=mine');
    await page.getByTestId('approvals-mine').getByText('已退回').waitFor();
    await page.goto(`/approvals/gift/${requestId}`);
    await page.getByTestId('approval-trail').getByText('请注明受礼人所在部门').waitFor();
    await page.getByTestId('action-edit').click();
    await page.waitForURL(`**/approvals/gift/${requestId}/edit`);
    await page.getByTestId('gift-recipient-title').fill('采购部 总经理');
    await page.getByTestId('approval-save-submit').click();
    await page.waitForURL(`**/approvals/gift/${requestId}`);
    await page.getByTestId('approval-steps').waitFor();
    assert.equal(await page.getByTestId('approval-status').first().textContent(), '审批中');
    assert.deepEqual(await stepStatuses(page), ['process', 'wait']);
    await logout(page);
  });

  // The manager approves, then finance approves: the request is approved.
  for (const [who, comment] of [[names.mgr, '同意'], [names.fin, '费用合规']]) {
    await withPage(browser, `approvals-approve-${who}`, {}, async (page) => {
      await login(page, who, PASSWORD);
      await page.goto(`/approvals/gift/${requestId}`);
      await act(page, 'approve', comment);
      await page.getByTestId('approval-trail').getByText(comment, { exact: false }).waitFor();
      await logout(page);
    });
  }

  await withPage(browser, 'approvals-done', {}, async (page) => {
    await login(page, names.spec, PASSWORD);
    await page.goto(`/approvals/gift/${requestId}`);
    await page.getByTestId('approval-steps').waitFor();
    assert.equal(await page.getByTestId('approval-status').first().textContent(), '已批准');
    assert.deepEqual(await stepStatuses(page), ['finish', 'finish']);
    const trail = await page.getByTestId('approval-trail').textContent();
    for (const text of ['提交审批', '退回修改', '同意', '费用合规', '财务小张']) assert.ok(trail.includes(text), text);
    const print = await page.getByTestId('approval-print').getAttribute('href');
    assert.equal(print, `/api/v1/gift-requests/${requestId}/form.html`);
    const form = await page.request.get(print);
    assert.equal(form.status(), 200);
    assert.ok((await form.text()).includes('礼品馈赠申请表'));
    await screenshot(page, 'approvals-approved');
    await page.goto(`/accounts/${accountId}`);
    await page.getByTestId('cost-total').getByText('1,360.00').waitFor();
    await screenshot(page, 'approvals-account-cost');
  });

  // On a phone the request page fits the screen and the chain stands vertically.
  await withPage(browser, 'approvals-phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
    await login(page, names.spec, PASSWORD);
    await page.goto(`/approvals/gift/${requestId}`);
    await page.getByTestId('approval-steps').waitFor();
    assert.ok(await page.locator('[data-testid="approval-steps"].ant-steps-vertical').count() === 1);
    const sizes = await page.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth }));
    assert.ok(sizes.doc <= sizes.viewport, `page wider than the phone: ${JSON.stringify(sizes)}`);
    await screenshot(page, 'approvals-phone');
  });
});

test('budgets page: the admin sets a quarter budget; the chains are shown for editing', async () => {
  const suffix = uniqueSuffix();
  const name = `预算页客户${suffix}`;
  await withPage(browser, 'approvals-budgets', {}, async (page) => {
    await login(page);
    const created = await apiRequest(page, 'POST', '/accounts', { name });
    assert.equal(created.status, 201);
    await page.getByTestId('menu-/approvals/budgets').click();
    await page.waitForURL('**/approvals/budgets');
    await page.getByTestId('budget-new').click();
    const select = page.locator('.ant-modal [data-testid="budget-account"]');
    await select.click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-item-option', { hasText: name }).click();
    await page.getByTestId('budget-amount').fill('3000');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/budgets') && r.request().method() === 'POST');
    await page.getByTestId('budget-save').click();
    assert.equal((await saved).status(), 201);
    await page.getByTestId('budgets-table').getByText(name).waitFor();
    await page.getByTestId('budgets-table').getByText('¥3,000.00').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === '大客户部经理审批'));
    await screenshot(page, 'approvals-budgets');
  });
});
