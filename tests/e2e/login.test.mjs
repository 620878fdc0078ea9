// Flow 5: a wrong password shows the server's answer on the login form ("用户名或密码错误"),
// and repeated failures show the throttling message (429).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage } from './helpers.mjs';

let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function attempt(page, username, password) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByTestId('login-submit').click();
  return (await answered).status();
}

test('wrong password shows 用户名或密码错误, and stays on the login page', async () => {
  await withPage(browser, 'login-wrong-password', {}, async (page) => {
    await page.goto('/login');
    // Throttling counts per username: a throwaway name keeps the admin account unaffected.
    const username = `nobody_${uniqueSuffix()}`;
    assert.equal(await attempt(page, username, 'wrong-password-123'), 401);
    const error = page.getByTestId('login-error');
    await error.getByText('用户名或密码错误').waitFor();
    assert.match(new URL(page.url()).pathname, /^\/login/);
    await screenshot(page, '12-login-wrong-password');

    // Keep failing: the server throttles, and the form says so.
    let status = 401;
    for (let i = 0; i < 8 && status !== 429; i++) status = await attempt(page, username, `wrong-${i}-password`);
    assert.equal(status, 429, 'the server throttles repeated failures');
    await error.getByText('登录尝试次数过多，请稍后再试').waitFor();
  });
});

test('the admin can still log in afterwards and the app redirects back to the asked page', async () => {
  await withPage(browser, 'login-redirect', {}, async (page) => {
    await page.goto('/accounts?q=%E7%B2%BE%E5%AF%86');
    await page.waitForURL(/\/login\?redirect=/);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/accounts\?q=/);
    assert.equal(await page.getByTestId('accounts-search').inputValue(), '精密');
  });
  // and a fresh login through the helper works too
  await withPage(browser, 'login-again', {}, async (page) => {
    await login(page);
  });
});
