// Flow 2: the language switch turns the menu into English, is remembered across reloads,
// and switches back to Chinese.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, login, requireAdminPassword, screenshot, withPage } from './helpers.mjs';

let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function menuLabels(page) {
  return (await page.getByTestId('side-menu').locator('[data-testid^="menu-"]').allTextContents()).map((s) => s.trim());
}

async function switchTo(page, testId) {
  await page.getByTestId('lang-switch').click();
  await page.getByTestId(testId).click();
}

test('language switch changes the menu labels and is remembered', async () => {
  await withPage(browser, 'i18n', {}, async (page) => {
    await login(page);

    // Chinese first.
    await page.getByTestId('menu-/admin').waitFor();
    let labels = await menuLabels(page);
    assert.ok(labels.includes('首页') && labels.includes('客户档案') && labels.includes('系统管理'), labels.join(','));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

    await switchTo(page, 'lang-en');
    await page.getByTestId('side-menu').getByText('Accounts').waitFor();
    labels = await menuLabels(page);
    for (const label of ['Home', 'Accounts', 'Administration']) assert.ok(labels.includes(label), `${label} in ${labels.join(',')}`);
    assert.ok(!labels.includes('客户档案'));
    await page.getByTestId('logout').getByText('Log out').waitFor();
    await screenshot(page, '06-dashboard-english');

    // Remembered on other pages and after a reload.
    await page.goto('/accounts');
    await page.getByRole('columnheader', { name: 'Archive no.' }).waitFor();
    // antd's own texts follow the language too: the pager total, or the empty state.
    await page
      .locator('.ant-pagination-total-text, .ant-empty-description')
      .filter({ hasText: /in total|No data/ })
      .first()
      .waitFor();
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/accounts?'));
    await page.reload();
    await page.getByTestId('side-menu').getByText('Accounts').waitFor();
    await listed;
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
    await screenshot(page, '07-accounts-english');

    // And back to Chinese.
    await switchTo(page, 'lang-zh-CN');
    await page.getByTestId('side-menu').getByText('客户档案').waitFor();
    await page.getByRole('columnheader', { name: '档案编号' }).waitFor();
    assert.equal(await page.evaluate(() => window.localStorage.getItem('kam.locale')), 'zh-CN');
  });
});

test('the login page can be switched to English before logging in', async () => {
  await withPage(browser, 'i18n-login', {}, async (page) => {
    await page.goto('/login');
    await page.getByText('用户名').first().waitFor();
    await switchTo(page, 'lang-en');
    await page.getByText('Username').first().waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
