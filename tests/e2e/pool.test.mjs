// Customer pool (公海): an account released to the pool is claimed from the pool page (the
// limits panel counts it), shows in the account list as the admin's, is released again from the
// account header and is back in the pool; the ownership tab tells the story. The admin changes
// the pool rules. A specialist claims, cannot transfer, releases; at a limit of 0 accounts the
// claim button is disabled with the warning. The pool page fits a phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, launchBrowser, login, logout, requireAdminPassword, screenshot, searchAccounts, uniqueSuffix, withPage } from './helpers.mjs';

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

/** An account that is in the pool: created (owned by the caller), then released. */
async function poolAccount(page, name) {
  const created = await apiRequest(page, 'POST', '/accounts', { name, industry: '零售', province: '浙江省', city: '杭州市' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const released = await apiRequest(page, 'POST', `/accounts/${created.body.id}/release`, {});
  assert.equal(released.status, 200, JSON.stringify(released.body));
  assert.equal(released.body.owner_id, null);
  return created.body.id;
}

async function searchPool(page, text) {
  const input = page.getByTestId('pool-search');
  await input.fill(text);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/accounts/pool') && r.request().method() === 'GET');
  await input.press('Enter');
  await answered;
  await waitIdle(page);
}

async function ownedCount(page) {
  const text = await page.getByTestId('pool-owned').locator('.ant-statistic-content-value').textContent();
  return Number((text ?? '').replace(/[^0-9]/g, ''));
}

async function assertNoHorizontalOverflow(page, where) {
  const sizes = await page.evaluate(() => ({ viewport: window.innerWidth, doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  assert.ok(sizes.doc <= sizes.viewport && sizes.body <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

test('claim from the pool, see it as mine, release it back; pool rules', async () => {
  const suffix = uniqueSuffix();
  const name = `公海测试超市${suffix}`;
  await withPage(browser, 'pool', {}, async (page) => {
    await login(page);
    const me = (await apiRequest(page, 'GET', '/auth/me')).body;
    const id = await poolAccount(page, name);

    await page.getByTestId('menu-/pool').click();
    await page.waitForURL('**/pool');
    await page.getByTestId('pool-limits').getByText('我的客户数').waitFor();
    await page.getByTestId('pool-limits').getByText('每日领取上限').waitFor();
    await page.getByTestId('pool-owned').locator('.ant-statistic-content-value').waitFor();
    await waitIdle(page);
    const before = await ownedCount(page);
    await searchPool(page, name);
    await page.getByTestId('pool-table').getByRole('link', { name }).waitFor();
    await screenshot(page, 'pool-01-list');

    // Claim: gone from the pool, one more account owned.
    await page.getByTestId(`pool-claim-${id}`).click();
    await page.locator('.ant-message').getByText(`已领取“${name}”`).waitFor();
    await page.getByTestId('pool-table').getByRole('link', { name }).waitFor({ state: 'detached' });
    await page.getByTestId('pool-owned').locator('.ant-statistic-content-value', { hasText: new RegExp(`^${before + 1}$`) }).waitFor();
    await screenshot(page, 'pool-02-claimed');

    // In my account list, with me as the owner.
    await page.goto('/accounts');
    await searchAccounts(page, name);
    const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: name });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(me.display_name));

    // Release it from the account header.
    await row.getByRole('link', { name }).click();
    await page.waitForURL(`**/accounts/${id}`);
    await page.getByTestId('account-release').click();
    await page.getByTestId('release-confirm').click();
    await page.locator('.ant-message').getByText(`已将“${name}”释放到公海`).waitFor();
    // Now in the pool: the header offers to claim it.
    await page.getByTestId('account-claim').waitFor();
    const after = await apiRequest(page, 'GET', `/accounts/${id}`);
    assert.equal(after.body.owner_id, null);

    // The ownership tab lists claim and release (newest first).
    await page.getByTestId('tab-ownership').click();
    await page.getByTestId('ownership-log').waitFor();
    const actions = await page.getByTestId('ownership-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(actions.slice(0, 3), ['release', 'claim', 'release']);
    await page.getByTestId('ownership-tab').getByText('公海').first().waitFor();
    await screenshot(page, 'pool-03-ownership-log');

    await page.goto('/pool');
    await searchPool(page, name);
    await page.getByTestId('pool-table').getByRole('link', { name }).waitFor();

    // Pool rules: change the daily limit, see it kept, put it back.
    await page.goto('/admin/pool-settings');
    const claims = page.getByTestId('pool-max-claims');
    const input = (await claims.evaluate((e) => e.tagName)) === 'INPUT' ? claims : claims.locator('input');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="pool-max-claims"]');
      const field = el && (el.tagName === 'INPUT' ? el : el.querySelector('input'));
      return field && field.value !== '';
    });
    const original = Number(await input.inputValue());
    await input.fill(String(original + 1));
    await page.getByTestId('pool-settings-save').click();
    await page.locator('.ant-message').getByText('已保存').waitFor();
    await screenshot(page, 'pool-04-settings');
    const saved = await apiRequest(page, 'GET', '/settings/pool');
    assert.equal(saved.body.max_claims_per_day, original + 1);
    await page.reload();
    await page.waitForFunction((v) => {
      const el = document.querySelector('[data-testid="pool-max-claims"]');
      const field = el && (el.tagName === 'INPUT' ? el : el.querySelector('input'));
      return field && field.value === String(v);
    }, original + 1);
    await input.fill(String(original));
    await page.getByTestId('pool-settings-save').click();
    await page.locator('.ant-message').getByText('已保存').last().waitFor();
    assert.equal((await apiRequest(page, 'GET', '/settings/pool')).body.max_claims_per_day, original);
  });
});

test('a specialist claims and releases, sees no transfer; the admin transfers; limit reached disables claiming', async () => {
  const suffix = uniqueSuffix();
  const username = `pool.sp${suffix}`;
  const password = 'Specialist-Pass-2026!';
  const name = `专员领取客户${suffix}`;
  await withPage(browser, 'pool-specialist', {}, async (page) => {
    await login(page);
    const roles = (await apiRequest(page, 'GET', '/roles')).body.items;
    const specialistRole = roles.find((r) => r.code === 'specialist');
    const departments = (await apiRequest(page, 'GET', '/departments')).body.items;
    const created = await apiRequest(page, 'POST', '/users', {
      username,
      password,
      display_name: `公海专员${suffix.slice(-4)}`,
      department_id: departments[0].id,
      role_ids: [specialistRole.id],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = await poolAccount(page, name);
    await logout(page);

    // The specialist claims it from the pool.
    await login(page, username, password);
    await page.goto('/pool');
    await searchPool(page, name);
    await page.getByTestId('pool-owned').locator('.ant-statistic-content-value', { hasText: /^0$/ }).waitFor();
    await page.getByTestId(`pool-claim-${id}`).click();
    await page.locator('.ant-message').getByText(`已领取“${name}”`).waitFor();
    await page.getByTestId('pool-owned').locator('.ant-statistic-content-value', { hasText: /^1$/ }).waitFor();

    // On the account: release, no transfer for a specialist.
    await page.goto(`/accounts/${id}`);
    await page.getByTestId('account-release').waitFor();
    assert.equal(await page.getByTestId('account-transfer').count(), 0, 'a specialist cannot transfer');
    await screenshot(page, 'pool-05-specialist-account');
    await page.getByTestId('account-release').click();
    await page.getByTestId('release-confirm').click();
    // Either the account stays visible (in the pool, claimable) or, outside the specialist's
    // scope once released, the app goes to the pool page.
    await page.waitForFunction(
      () => window.location.pathname === '/pool' || document.querySelector('[data-testid="account-claim"]') !== null,
    );
    assert.equal((await apiRequest(page, 'GET', `/accounts/${id}`)).status === 404 || (await page.getByTestId('account-claim').count()) === 1, true);
    await logout(page);

    // The admin claims it back and transfers it to the specialist from the header.
    await login(page);
    await page.goto(`/accounts/${id}`);
    await page.getByTestId('account-claim').click();
    await page.getByTestId('account-transfer').waitFor();
    await page.getByTestId('account-transfer').click();
    await page.getByTestId('transfer-user').click();
    await page.getByTestId('transfer-user').locator('input').fill(username);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().getByText(username, { exact: false }).click();
    await page.getByTestId('transfer-confirm').click();
    await page.locator('.ant-message').getByText(/已转移给/).waitFor();
    const transferred = await apiRequest(page, 'GET', `/accounts/${id}`);
    assert.equal(transferred.body.owner_id, created.body.id);
    await page.getByTestId('tab-ownership').click();
    await page.getByTestId('ownership-entry').first().getByText('转移').waitFor();

    // At a limit of 1 owned account the specialist (owning 1) cannot claim more.
    const settings = (await apiRequest(page, 'GET', '/settings/pool')).body;
    const other = await poolAccount(page, `上限测试${suffix}`);
    const limited = await apiRequest(page, 'PATCH', '/settings/pool', { version: settings.version, max_owned_per_user: 1 });
    assert.equal(limited.status, 200, JSON.stringify(limited.body));
    try {
      await logout(page);
      await login(page, username, password);
      await page.goto('/pool');
      await searchPool(page, `上限测试${suffix}`);
      await page.getByTestId('pool-limits').getByText('已达持有上限，请先释放客户').waitFor();
      assert.equal(await page.getByTestId(`pool-claim-${other}`).isDisabled(), true, 'claim disabled at the limit');
      // The server refuses too, with the limit named.
      const refused = await apiRequest(page, 'POST', `/accounts/${other}/claim`, {});
      assert.equal(refused.status, 422);
      await screenshot(page, 'pool-06-limit-reached');
    } finally {
      await logout(page).catch(() => undefined);
      await login(page);
      const now = (await apiRequest(page, 'GET', '/settings/pool')).body;
      const restored = await apiRequest(page, 'PATCH', '/settings/pool', { version: now.version, max_owned_per_user: settings.max_owned_per_user });
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
    }
  });
});

test('phone width: the pool page and its limits fit the screen', async () => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  await withPage(browser, 'pool-phone', phone, async (page) => {
    await login(page);
    await poolAccount(page, `手机公海${uniqueSuffix()}`);
    await page.goto('/pool');
    await page.getByTestId('pool-limits').waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await waitIdle(page);
    await assertNoHorizontalOverflow(page, 'pool page');
    const search = await page.getByTestId('pool-search').boundingBox();
    assert.ok(search && search.x >= 0 && search.x + search.width <= 390, `search inside the screen: ${JSON.stringify(search)}`);
    await screenshot(page, 'pool-07-phone');
    await page.goto('/admin/pool-settings');
    await page.getByTestId('pool-settings-save').waitFor();
    await assertNoHorizontalOverflow(page, 'pool settings');
    await screenshot(page, 'pool-08-phone-settings');
  });
});
