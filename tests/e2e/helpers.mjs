// Shared set-up of the browser end-to-end tests (not a test file itself).
// Environment: KAM_URL (a running `kam serve` with the built web app, default
// http://127.0.0.1:18080) and KAM_ADMIN_PASSWORD (the admin's password on that server).
// Chromium is Debian's /usr/bin/chromium driven by playwright-core: no browser download.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.KAM_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const ADMIN_USER = process.env.KAM_ADMIN_USER || 'admin';
export const ADMIN_PASSWORD = process.env.KAM_ADMIN_PASSWORD || '';
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
export const CHROMIUM = process.env.KAM_CHROMIUM || '/usr/bin/chromium';

/** A suffix that keeps names unique across runs against a shared database. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

export function requireAdminPassword() {
  assert.ok(ADMIN_PASSWORD, 'set KAM_ADMIN_PASSWORD to the admin password of the server at KAM_URL');
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A fresh browser context (own cookies and localStorage), Chinese locale, Beijing time. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 860 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 40[134]|Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.problems = problems;
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let drawers, modals and menus finish their transitions first.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 3_000 })
    .catch(() => undefined);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Logs in through the login form and waits for the logged-in layout. */
export async function login(page, username = ADMIN_USER, password = ADMIN_PASSWORD) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function logout(page) {
  await page.getByTestId('logout').click();
  await page.waitForURL((url) => url.pathname.startsWith('/login'));
  await page.getByTestId('login-submit').waitFor();
}

/** Calls the API with a bearer token (set-up outside the browser): { status, body }. */
export async function bearerApi(token, method, path, body) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Logs in through the API and returns the bearer token (asserts 200). */
export async function bearerToken(username, password) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login ${username}`);
  return (await res.json()).token;
}

/** Calls the API with the page's session cookie and CSRF header (for set-up and tampering). */
export async function apiRequest(page, method, path, data) {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((c) => c.name === 'kam_csrf')?.value;
  const headers = csrf ? { 'X-CSRF-Token': csrf } : {};
  const response = await page.request.fetch(`/api/v1${path}`, { method, headers, data });
  const text = await response.text();
  return { status: response.status(), body: text ? JSON.parse(text) : undefined };
}

/** Creates an account through the "新建客户" form and returns its id (from the detail URL). */
export async function createAccountViaUi(page, fields) {
  await page.goto('/accounts');
  await page.getByTestId('account-new').click();
  await page.waitForURL('**/accounts/new');
  await page.getByTestId('account-name').fill(fields.name);
  if (fields.industry) await page.getByTestId('account-industry').fill(fields.industry);
  if (fields.province) await page.getByTestId('account-province').fill(fields.province);
  if (fields.city) await page.getByTestId('account-city').fill(fields.city);
  if (fields.address) await page.getByTestId('account-address').fill(fields.address);
  await page.getByTestId('account-save').click();
  await page.waitForURL(/\/accounts\/\d+$/);
  await page.getByTestId('account-title').waitFor();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

/** Searches the account list through the search box and waits for the answer. */
export async function searchAccounts(page, text) {
  const input = page.getByTestId('accounts-search');
  await input.fill(text);
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/accounts?') && r.request().method() === 'GET');
  await input.press('Enter');
  await answered;
  await page.locator('.ant-table-tbody').waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
}

/** Names in the account table's rows (the name column is the one with links). */
export async function accountNames(page) {
  return page.locator('.ant-table-tbody tr.ant-table-row td a').allTextContents();
}

/** Fails the test when the page logged uncaught errors. */
export function assertNoPageErrors(page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}

/**
 * Runs `body(page)` in a fresh context; on failure saves `FAILED-<name>.png`. Uncaught page
 * errors fail the test too. The context is closed in every case.
 */
export async function withPage(browser, name, options, body) {
  const page = await newPage(browser, options);
  try {
    await body(page);
    assertNoPageErrors(page);
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await page.context().close();
  }
}
