// Account detail tabs: the admin adds a decision maker (supporter, level 4) and sees them on the
// relationship map of the buying centre; marks them as left and sees the relationship stage fall
// back to 建立; adds a secondary customer with a growth record; records a competitor (created on
// the spot in the registry) on the account; sees the ownership tab. Then the same page at phone
// width: the tabs and the map fit the screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, apiRequest, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage } from './helpers.mjs';

let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The visible dropdown of an antd Select (the last one opened). */
function openDropdown(page) {
  return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
}

/**
 * Chooses an option of an antd Select and checks that it shows as chosen. Under load a click can
 * land while another dropdown is still closing over the field; then it is tried again.
 */
async function choose(page, testid, optionTitle) {
  const chosen = page.getByTestId(testid).locator('.ant-select-selection-item', { hasText: optionTitle });
  for (let attempt = 1; ; attempt += 1) {
    await page.getByTestId(testid).click();
    await openDropdown(page).getByTitle(optionTitle, { exact: true }).click();
    try {
      await chosen.waitFor({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Fills an input whose data-testid sits on the input or on its wrapper (InputNumber). */
async function fillField(page, testid, value) {
  const el = page.getByTestId(testid);
  const isInput = await el.evaluate((e) => e.tagName === 'INPUT' || e.tagName === 'TEXTAREA');
  await (isInput ? el : el.locator('input').first()).fill(String(value));
}

/** Waits until the summary statistic `testid` shows exactly `n`. */
async function waitStat(page, testid, n) {
  await page.getByTestId(testid).locator('.ant-statistic-content-value', { hasText: new RegExp(`^${n}$`) }).waitFor();
}

/** A screenshot of one part of the page (the tabs card), easier to look at than the full page. */
async function shotOf(locator, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await locator.page().waitForTimeout(400); // the chart's entry animation
  await locator.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

async function waitIdle(page) {
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
}

async function assertNoHorizontalOverflow(page, where) {
  const sizes = await page.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(sizes.doc <= sizes.viewport && sizes.body <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

/** Creates an account through the API; relationship stage 稳定 so a fall-back is visible. */
async function createAccount(page, name) {
  const created = await apiRequest(page, 'POST', '/accounts', { name, industry: '电子制造' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const staged = await apiRequest(page, 'PATCH', `/accounts/${created.body.id}`, { version: created.body.version, relationship_stage: 'stabilize' });
  assert.equal(staged.status, 200, JSON.stringify(staged.body));
  return created.body.id;
}

test('contacts and the relationship map, secondary customers with growth, competitors, ownership', async () => {
  const suffix = uniqueSuffix();
  const accountName = `星河电子${suffix}`;
  const boss = `张总${suffix.slice(-4)}`;
  const engineer = `李工${suffix.slice(-4)}`;
  await withPage(browser, 'account-tabs', {}, async (page) => {
    await login(page);
    const id = await createAccount(page, accountName);
    await page.goto(`/accounts/${id}`);
    await page.getByTestId('account-tabs').waitFor();
    await page.getByTestId('contacts-tab').waitFor();
    await page.getByTestId('relationship-stage').getByText('稳定关系').waitFor();

    // A decision maker who supports us, relationship level 4.
    await page.getByTestId('contact-new').click();
    await page.getByTestId('contact-name').fill(boss);
    await page.getByTestId('contact-title').fill('总经理');
    await choose(page, 'contact-role', '决策者');
    await choose(page, 'contact-attitude', '支持者');
    await page.locator('.ant-modal-wrap:visible .ant-rate-star').nth(3).click();
    await page.getByTestId('contact-save').click();
    await page.getByTestId('contacts-table').getByText(boss).waitFor();

    // An opposing user, level 2.
    await page.getByTestId('contact-new').click();
    await page.getByTestId('contact-name').fill(engineer);
    await choose(page, 'contact-role', '使用者');
    await choose(page, 'contact-attitude', '反对者');
    await page.locator('.ant-modal-wrap:visible .ant-rate-star').nth(1).click();
    await page.getByTestId('contact-save').click();
    await page.getByTestId('contacts-table').getByText(engineer).waitFor();

    // Both on the map (SVG text), around the account.
    const map = page.getByTestId('relationship-map');
    await map.locator('svg').waitFor();
    await map.locator('svg text', { hasText: boss }).first().waitFor();
    await map.locator('svg text', { hasText: engineer }).first().waitFor();
    await map.locator('svg text', { hasText: accountName }).first().waitFor();
    await waitStat(page, 'summary-decision-makers', 1);
    await waitStat(page, 'summary-supporters', 1);
    await waitStat(page, 'summary-opponents', 1);
    await waitStat(page, 'summary-insiders', 0);
    // The stage is still 稳定 while the decision maker is active.
    await page.getByTestId('relationship-stage').getByText('稳定关系').waitFor();
    await screenshot(page, 'tabs-01-contacts-map');
    await shotOf(page.getByTestId('account-tabs'), 'tabs-01b-map-card');

    // The decision maker leaves: the stage falls back to 建立 (server rule), the node fades.
    const row = page.getByTestId('contacts-table').locator('tr', { hasText: boss });
    await row.getByRole('button', { name: '标记离职' }).click();
    await page.getByTestId('contact-left-confirm').click();
    await page.getByTestId('relationship-stage').getByText('建立关系').waitFor();
    await row.getByText('已离职').waitFor();
    await waitStat(page, 'summary-decision-makers', 0);
    await map.locator('svg text', { hasText: boss }).first().waitFor();
    await screenshot(page, 'tabs-02-decision-maker-left');
    await shotOf(page.getByTestId('account-tabs'), 'tabs-02b-left-card');
    // The account itself says so too.
    const account = await apiRequest(page, 'GET', `/accounts/${id}`);
    assert.equal(account.body.relationship_stage, 'establish');

    // Secondary customer with a growth record.
    await page.getByTestId('tab-secondary').click();
    await page.getByTestId('secondary-tab').waitFor();
    const retailer = `东城便利${suffix}`;
    await page.getByTestId('secondary-new').click();
    await page.getByTestId('secondary-name').fill(retailer);
    await choose(page, 'secondary-kind', '直营零售商');
    await page.getByTestId('secondary-contact').fill('王店长');
    await page.getByTestId('secondary-save').click();
    const secondaryRow = page.getByTestId('secondary-table').locator('tr', { hasText: retailer });
    await secondaryRow.waitFor();
    await secondaryRow.getByRole('button', { name: /成长记录/ }).click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByTestId('growth-form').waitFor();
    await fillField(page, 'growth-revenue', '125000.5');
    await fillField(page, 'growth-outlets', '12');
    await page.getByTestId('growth-note').fill('新开 2 家门店');
    await page.getByTestId('growth-add').click();
    await drawer.getByTestId('growth-table').getByText('125,000.50').waitFor();
    await drawer.getByTestId('growth-table').getByText('新开 2 家门店').waitFor();
    await screenshot(page, 'tabs-03-growth');
    await page.locator('.ant-drawer-close').click();
    await secondaryRow.getByText('¥125,000.50').waitFor();
    await secondaryRow.getByText('12 个网点').waitFor();
    await shotOf(page.getByTestId('account-tabs'), 'tabs-04-secondary');

    // A competitor present at the account, created in the registry from the tab.
    await page.getByTestId('tab-competitors').click();
    await page.getByTestId('competitors-tab').waitFor();
    const rival = `西门子${suffix}`;
    await page.getByTestId('presence-new').click();
    await page.getByTestId('presence-competitor').click();
    await page.getByTestId('presence-competitor').locator('input').fill(rival);
    await openDropdown(page).getByTitle(`新建“${rival}”`).click();
    await choose(page, 'presence-price', '低于我方');
    await fillField(page, 'presence-share', '35');
    await page.getByTestId('presence-products').fill('PLC 控制器');
    await page.getByTestId('presence-save').click();
    const presence = page.getByTestId('presence-table').locator('tr', { hasText: rival });
    await presence.getByText('低于我方').waitFor();
    await presence.getByText('35%').waitFor();
    await shotOf(page.getByTestId('account-tabs'), 'tabs-05-competitors');
    // Recording the same competitor twice is refused with a readable message.
    await page.getByTestId('presence-new').click();
    await page.getByTestId('presence-competitor').click();
    await page.getByTestId('presence-competitor').locator('input').fill(rival);
    await openDropdown(page).getByTitle(rival, { exact: true }).click();
    await page.getByTestId('presence-save').click();
    await page.getByTestId('presence-error').getByText('该竞争对手已在此客户中登记').waitFor();
    await page.locator('.ant-modal-wrap:visible').getByRole('button', { name: /取\s*消/ }).click();

    // The registry lists it.
    await page.goto('/competitors');
    await page.getByTestId('competitors-search').fill(rival);
    await page.getByTestId('competitors-search').press('Enter');
    await page.getByTestId('competitors-table').getByText(rival).waitFor();
    await screenshot(page, 'tabs-06-competitor-registry');

    // Ownership tab: the admin owns it.
    await page.goto(`/accounts/${id}`);
    await page.getByTestId('tab-ownership').click();
    await page.getByTestId('ownership-tab').waitFor();
    await waitIdle(page);
    await shotOf(page.getByTestId('account-tabs'), 'tabs-07-ownership');
  });
});

test('phone width: the tabs and the relationship map fit the screen', async () => {
  const suffix = uniqueSuffix();
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  await withPage(browser, 'account-tabs-phone', phone, async (page) => {
    await login(page);
    const id = await createAccount(page, `手机客户${suffix}`);
    for (const [name, role, attitude] of [
      ['赵总', 'decision_maker', 'supporter'],
      ['钱经理', 'influencer', 'neutral'],
      ['孙工', 'user', 'opponent'],
      ['周秘书', 'gatekeeper', 'neutral'],
      ['吴主管', 'insider', 'supporter'],
    ]) {
      const r = await apiRequest(page, 'POST', '/contacts', { account_id: id, name, buying_role: role, attitude, relationship_level: 3 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    await page.goto(`/accounts/${id}`);
    await page.getByTestId('relationship-map').locator('svg text', { hasText: '吴主管' }).first().waitFor();
    await waitIdle(page);
    await assertNoHorizontalOverflow(page, 'account detail with tabs');
    const mapBox = await page.getByTestId('relationship-map').boundingBox();
    assert.ok(mapBox && mapBox.x >= 0 && mapBox.x + mapBox.width <= 390, `map inside the screen: ${JSON.stringify(mapBox)}`);
    await page.getByTestId('relationship-map').scrollIntoViewIfNeeded();
    await shotOf(page.getByTestId('account-tabs'), 'tabs-08-phone-contacts');
    await page.getByTestId('contact-new').click();
    await page.getByTestId('contact-name').waitFor();
    await assertNoHorizontalOverflow(page, 'contact form');
    await screenshot(page, 'tabs-09-phone-contact-form');
  });
});
