// Visits and contact on a phone (390×844, geolocation granted): a specialist plans a visit on
// the calendar, records it from the plan with a check-in, sees the follow-up task the visit
// raised among the quadrants and completes it with the customer's opinion; the weekly report
// holds the visit and is submitted; the manager reviews it; the account timeline shows the
// visit and the follow-up. No horizontal overflow on the phone pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage, bearerApi, bearerToken } from './helpers.mjs';

const PASSWORD = 'Test-Pass-2026!';
const PHONE = {
  viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  geolocation: { latitude: 31.2304, longitude: 121.4737, accuracy: 20 }, permissions: ['geolocation'],
};
let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});



async function people(suffix) {
  const admin = await bearerToken('admin', ADMIN_PASSWORD);
  const roles = Object.fromEntries((await bearerApi(admin, 'GET', '/roles')).body.items.map((r) => [r.code, r.id]));
  const dept = await bearerApi(admin, 'POST', '/departments', { name: `拜访部${suffix}`, parent_id: null });
  assert.equal(dept.status, 201);
  const make = async (username, role, display) => {
    const res = await bearerApi(admin, 'POST', '/users', { username, display_name: display, password: PASSWORD, department_id: dept.body.id, role_ids: [roles[role]] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { ...res.body, token: await bearerToken(username, PASSWORD) };
  };
  return { rep: await make(`vrep${suffix}`, 'specialist', '王专员'), manager: await make(`vmgr${suffix}`, 'manager', '赵经理') };
}

async function noOverflow(page, where) {
  const sizes = await page.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth }));
  assert.ok(sizes.doc <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

/** Wednesday 10:00 local of the current week as a datetime-local value (always inside the week). */
function midweekLocal() {
  const d = new Date();
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
  const wed = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 2, 10, 0);
  const pad = (n) => String(n).padStart(2, '0');
  return `${wed.getFullYear()}-${pad(wed.getMonth() + 1)}-${pad(wed.getDate())}T10:00`;
}

test('a rep plans, checks in, records and follows up a visit on a phone; report and review', async () => {
  const suffix = uniqueSuffix();
  const { rep, manager } = await people(suffix);
  const accountName = `拜访精密机械${suffix}`;
  const account = await bearerApi(rep.token, 'POST', '/accounts', { name: accountName, province: '江苏省', city: '苏州市' });
  assert.equal(account.status, 201);

  await withPage(browser, 'activities', PHONE, async (page) => {
    await login(page, rep.username, PASSWORD);

    // Plan a visit on the calendar (week view).
    await page.goto('/visits');
    await page.getByTestId('plan-new').click();
    await page.getByTestId('plan-account').click();
    await page.keyboard.type(suffix);
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(new RegExp(suffix)).first();
    await option.waitFor();
    await option.click();
    await page.getByTestId('plan-planned-at').fill(midweekLocal());
    await page.getByTestId('plan-purpose').fill('介绍新一代数控机床');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/visit-plans') && r.request().method() === 'POST');
    await page.getByTestId('plan-submit').click();
    const plan = await (await created).json();
    assert.equal(plan.status, 'planned');
    const record = page.getByTestId(`plan-record-${plan.id}`);
    await record.waitFor();
    await noOverflow(page, 'calendar');
    await screenshot(page, 'activities-01-phone-calendar');

    // Record the visit from the plan, with a check-in.
    await record.click();
    await page.waitForURL(/\/visits\/new\?plan=/);
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-checkin').click();
    await page.getByTestId('visit-checkin-result').waitFor();
    assert.match(await page.getByTestId('visit-checkin-result').textContent(), /31\.23040/);
    await page.getByTestId('visit-key-points').fill('确认三季度采购计划');
    await page.getByTestId('visit-customer-views').fill('价格偏高，希望看到案例');
    await noOverflow(page, 'visit form');
    await screenshot(page, 'activities-02-phone-visit-form');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/visits') && r.request().method() === 'POST');
    await page.getByTestId('visit-submit').click();
    const visit = await (await saved).json();
    assert.equal(visit.plan_id, plan.id);
    assert.equal(visit.checkin_latitude, 31.2304);
    assert.equal(visit.follow_up.status, 'open');
    await page.getByTestId('visit-saved-tasks').waitFor();
    await screenshot(page, 'activities-03-phone-visit-saved');

    // The follow-up task is in the 重要不紧急 quadrant; complete it with the customer's opinion.
    await page.getByTestId('visit-saved-tasks').click();
    await page.waitForURL('**/tasks');
    const task = page.getByTestId(`task-${visit.follow_up.id}`);
    await page.getByTestId('quadrant-q2').getByTestId(`task-${visit.follow_up.id}`).waitFor();
    await noOverflow(page, 'tasks');
    await screenshot(page, 'activities-04-phone-tasks');
    await page.getByTestId(`task-complete-${visit.follow_up.id}`).click();
    await page.getByTestId('complete-method').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('电话').click();
    await page.getByTestId('complete-opinion').fill('看过案例后认可，等报价');
    await page.getByTestId('complete-submit').click();
    await task.waitFor({ state: 'detached' });
    const done = await bearerApi(rep.token, 'GET', `/tasks/${visit.follow_up.id}`);
    assert.equal(done.body.status, 'done');
    assert.equal(done.body.customer_opinion, '看过案例后认可，等报价');
    assert.equal((await bearerApi(rep.token, 'GET', `/visit-plans/${plan.id}`)).body.status, 'done');

    // The weekly report holds the visit; submit it.
    await page.goto('/weekly-reports');
    const content = page.getByTestId('report-content');
    await content.waitFor();
    await content.getByText(accountName).first().waitFor();
    await page.getByTestId('report-summary').fill('本周拜访一家，回访已完成');
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-status').filter({ hasText: '已提交' }).waitFor();
    await noOverflow(page, 'weekly report');
    await screenshot(page, 'activities-05-phone-weekly-report');

    // The account timeline shows the visit and the follow-up.
    await page.goto(`/accounts/${account.body.id}`);
    await page.getByTestId('account-timeline').getByTestId('timeline-visit').first().waitFor();
    await page.getByTestId('account-timeline').getByTestId('timeline-follow_up').first().waitFor();
  });

  // The manager reviews the submitted report (desktop).
  await withPage(browser, 'activities-review', {}, async (page) => {
    await login(page, manager.username, PASSWORD);
    await page.goto('/weekly-reports');
    await page.getByRole('tab', { name: '团队周报' }).click();
    // The team list starts at last week; go forward to this week.
    await page.getByTestId('week-next').last().click();
    const row = page.getByTestId('team-reports').locator('tr', { hasText: '王专员' });
    await row.waitFor();
    await row.getByRole('button').click();
    await page.getByTestId('report-comment').fill('案例资料尽快发给客户');
    await page.getByTestId('report-review').click();
    await page.locator('.ant-drawer').getByText('已批阅').first().waitFor();
    await screenshot(page, 'activities-06-manager-review');

    // The events page: create a product presentation (invitations and leads are covered by the API tests).
    await page.goto('/events');
    await page.getByRole('button', { name: /新建活动/ }).click();
    await page.locator('.ant-modal input').first().fill(`新品发布会${suffix}`);
    await page.locator('.ant-modal .ant-btn-primary').click();
    const eventRow = page.locator('tr', { hasText: `新品发布会${suffix}` });
    await eventRow.waitFor();
    await screenshot(page, 'activities-07-events');
  });
  const reports = await bearerApi(manager.token, 'GET', '/weekly-reports');
  assert.equal(reports.status, 200);
  assert.ok(reports.body.items.some((r) => r.user_id === rep.id && r.status === 'reviewed'));
});
