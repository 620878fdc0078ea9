// The customer archive in the browser (issue 3): the full account form (sections, enums with
// Chinese labels, money in yuan, credit code check, server errors under the fields), the detail
// page grouped the same way with the market stage's priorities and the 客户档案表 links; the
// list's filter panel with its state in the URL, saved views, CSV/XLSX export of the filtered
// list; the import wizard (dry run with row errors → apply); and all of it at phone width.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiRequest, launchBrowser, login, requireAdminPassword, screenshot, uniqueSuffix, withPage } from './helpers.mjs';

let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// GB 32100-2015: a valid unified social credit code, unique per call.
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode() {
  let body = '91440300';
  while (body.length < 17) body += CREDIT_CHARSET[Math.floor(Math.random() * 31)];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_CHARSET.indexOf(body[i]) * CREDIT_WEIGHTS[i];
  return body + CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** Picks `label` in the antd Select with data-testid `testId`. */
async function choose(page, testId, label) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').getByText(label, { exact: true }).click();
}

async function waitForList(page) {
  await page.locator('.ant-table-tbody').waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
}

/** Runs `action` and waits for the account list it triggers to load and render. */
async function listAfter(page, action) {
  const answered = page.waitForResponse((r) => /\/api\/v1\/accounts\?/.test(r.url()) && r.request().method() === 'GET');
  await action();
  await answered;
  await waitForList(page);
}

async function rowNames(page) {
  return page.locator('.ant-table-tbody tr.ant-table-row td a').allTextContents();
}

async function assertNoHorizontalOverflow(page, where) {
  const sizes = await page.evaluate(() => ({
    viewport: window.innerWidth,
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  assert.ok(sizes.doc <= sizes.viewport && sizes.body <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

test('the full account form: sections, selects, yuan, credit code; the detail grouped with priorities and the archive form', async () => {
  const suffix = uniqueSuffix();
  const name = `苏州精密机械档案${suffix}`;
  const code = creditCode();
  await withPage(browser, 'archive-form', {}, async (page) => {
    await login(page);
    await page.goto('/accounts/new');
    for (const section of ['基本信息', '经营信息', '需求与偏好', '分类']) await page.getByRole('separator').getByText(section, { exact: true }).waitFor();
    await page.getByText('18 位，数字或大写字母').waitFor(); // the credit code hint

    await page.getByTestId('account-name').fill(name);
    // A wrong check character is caught on the form, in lower case too.
    await page.getByTestId('account-credit-code').fill(`${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`.toLowerCase());
    await page.getByTestId('account-save').click();
    await page.getByText('校验码不正确，请核对').waitFor();
    await page.getByTestId('account-credit-code').fill(code.toLowerCase());
    assert.equal(await page.getByTestId('account-credit-code').inputValue(), code, 'the code is shown in capitals');

    await page.getByTestId('account-industry').fill('装备制造');
    await choose(page, 'account-ownership-type', '民营企业');
    await page.getByTestId('account-founded-year').fill('1998');
    await page.getByTestId('account-province').fill('江苏省');
    await page.getByTestId('account-city').fill('苏州市');
    await page.getByTestId('account-address').fill('工业园区星湖街 328 号');
    await page.getByTestId('account-website').fill('www.example.cn');
    await page.getByTestId('account-employees').fill('1,200');
    // Money: typed in yuan; a third decimal is refused, 0.29-style amounts stay exact.
    await page.getByTestId('account-annual-revenue-fen').fill('12.345');
    await page.getByTestId('account-save').click();
    await page.getByText('请输入金额，最多两位小数').waitFor();
    await page.getByTestId('account-annual-revenue-fen').fill('1234567.29');
    await choose(page, 'account-procurement-mode', '统一采购');
    await page.getByTestId('account-business-status').fill('经营稳定，产能扩张中');
    await page.getByTestId('account-needs').fill('数控刀具年度集采');
    await page.getByTestId('account-preferences').fill('重视交期与技术服务');
    await choose(page, 'account-price-sensitivity', '中');
    await choose(page, 'account-customer-kind', '终端大客户');
    await choose(page, 'account-market-stage', '开发期');
    await choose(page, 'account-relationship-stage', '稳定关系');
    // A tier set by hand needs a reason.
    await choose(page, 'account-tier', 'A 类');
    await page.getByTestId('account-save').click();
    await page.getByText('手工设定客户等级时请填写原因').waitFor();
    await page.getByTestId('account-tier-override-reason').fill('年采购额居区域前列');
    await screenshot(page, 'archive-20-form-filled');

    await page.getByTestId('account-save').click();
    await page.waitForURL(/\/accounts\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    // What the server stored: fen as an integer, enums as their codes.
    const stored = (await apiRequest(page, 'GET', `/accounts/${id}`)).body;
    assert.equal(stored.annual_revenue_fen, 123456729);
    assert.equal(stored.employees, 1200);
    assert.equal(stored.founded_year, 1998);
    assert.equal(stored.credit_code, code);
    assert.equal(stored.ownership_type, 'private');
    assert.equal(stored.customer_kind, 'end_user');
    assert.equal(stored.market_stage, 'development');
    assert.equal(stored.relationship_stage, 'stabilize');
    assert.equal(stored.tier, 'A');

    // The detail page groups the fields like the form and shows labels, not codes.
    const details = page.getByTestId('account-descriptions');
    for (const section of ['基本信息', '经营信息', '需求与偏好', '分类', '系统信息']) await details.getByText(section, { exact: true }).waitFor();
    for (const text of [code, '民营企业', '1,234,567.29 元', '统一采购', '终端大客户', '开发期', '稳定关系', 'A 类', '年采购额居区域前列']) {
      await details.getByText(text, { exact: true }).first().waitFor();
    }
    // Market stage priorities: development puts deep development (深度开发) first.
    const priorities = page.getByTestId('market-stage-priorities');
    await priorities.waitFor();
    const first = (await priorities.locator('li').first().textContent()) ?? '';
    assert.match(first, /深度开发/);
    // The printable 客户档案表 and its XLSX.
    const print = page.getByTestId('archive-print');
    assert.equal(await print.getAttribute('href'), `/api/v1/accounts/${id}/forms/archive.html`);
    assert.equal(await print.getAttribute('target'), '_blank');
    assert.equal(await page.getByTestId('archive-xlsx').getAttribute('href'), `/api/v1/accounts/${id}/forms/archive.xlsx`);
    const html = await page.request.get(`/api/v1/accounts/${id}/forms/archive.html`);
    assert.equal(html.status(), 200);
    assert.match(await html.text(), new RegExp(name));
    await screenshot(page, 'archive-21-detail');

    // Edit: the form opens with yuan and labels; an unchanged save changes nothing but the
    // edited field.
    await page.getByTestId('account-edit').click();
    await page.waitForURL(`**/accounts/${id}/edit`);
    assert.equal(await page.getByTestId('account-annual-revenue-fen').inputValue(), '1234567.29');
    await page.getByTestId('account-employees').fill('1300');
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/api/v1/accounts/${id}`));
    await page.getByTestId('account-save').click();
    const body = JSON.parse((await patch).postData() ?? '{}');
    assert.deepEqual(Object.keys(body).sort(), ['employees', 'version']);
    assert.equal(body.employees, 1300);
    await page.waitForURL(`**/accounts/${id}`);

    // A second account with the same credit code: the conflict shows under the field.
    await page.goto('/accounts/new');
    await page.getByTestId('account-name').fill(`${name}乙`);
    await page.getByTestId('account-credit-code').fill(code);
    await page.getByTestId('account-save').click();
    await page.getByText('该统一社会信用代码已被其他客户使用').waitFor();

    // Per-field errors of a 422 appear under their fields (the answer is staged here so the
    // test does not depend on which check the server happens to make).
    await page.route('**/api/v1/accounts', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'about:blank',
              title: 'Unprocessable Entity',
              status: 422,
              errors: [
                { field: 'city', message: 'city does not belong to the province' },
                { field: 'website', message: 'must be at most 200 characters' },
              ],
            }),
          })
        : route.fallback(),
    );
    await page.getByTestId('account-credit-code').fill('');
    await page.getByTestId('account-save').click();
    await page.getByText('city does not belong to the province').waitFor();
    await page.getByText('最多 200 个字符').waitFor();
    await page.unroute('**/api/v1/accounts');
    await screenshot(page, 'archive-22-form-422');
  });
});

test('filters live in the URL, saved views restore them, export downloads the filtered list', async () => {
  const suffix = uniqueSuffix();
  const industry = `筛选行业${suffix}`;
  const names = { a: `甲档案${suffix}`, b: `乙档案${suffix}` };
  await withPage(browser, 'archive-list', { acceptDownloads: true }, async (page) => {
    await login(page);
    const a = await apiRequest(page, 'POST', '/accounts', {
      name: names.a,
      industry,
      province: '广东省',
      city: '深圳市',
      tier: 'A',
      tier_override_reason: '测试',
      customer_kind: 'channel',
      market_stage: 'mature',
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const b = await apiRequest(page, 'POST', '/accounts', { name: names.b, industry, province: '江苏省', city: '南京市', customer_kind: 'end_user' });
    assert.equal(b.status, 201, JSON.stringify(b.body));

    // A link with the industry filter shows both; the panel opens with it.
    await listAfter(page, () => page.goto(`/accounts?industry=${encodeURIComponent(industry)}`));
    assert.deepEqual((await rowNames(page)).sort(), [names.a, names.b].sort());
    await page.getByTestId('filter-panel').waitFor();
    assert.equal(await page.getByTestId('filter-industry').inputValue(), industry);

    // Tier A: the URL changes, one row stays.
    await listAfter(page, () => choose(page, 'filter-tier', 'A 类'));
    assert.match(page.url(), /tier=A/);
    assert.deepEqual(await rowNames(page), [names.a]);
    // Customer kind end_user on top: nothing.
    await listAfter(page, () => choose(page, 'filter-customer-kind', '终端大客户'));
    assert.match(page.url(), /customer_kind=end_user/);
    assert.deepEqual(await rowNames(page), []);
    await listAfter(page, () => page.getByTestId('filter-tags').locator('.ant-tag', { hasText: '客户类型：终端大客户' }).locator('.ant-tag-close-icon').click());
    assert.ok(!page.url().includes('customer_kind'));

    // The region cascader: 广东省 / 深圳市.
    await page.getByTestId('filter-region').click();
    await page.locator('.ant-cascader-menu-item').getByText('广东省', { exact: true }).click();
    await listAfter(page, () => page.locator('.ant-cascader-menu-item').getByText('深圳市', { exact: true }).click());
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('province'), '广东省');
    assert.equal(url.searchParams.get('city'), '深圳市');
    assert.deepEqual(await rowNames(page), [names.a]);

    // Reload keeps everything.
    await listAfter(page, () => page.reload());
    assert.deepEqual(await rowNames(page), [names.a]);
    await page.getByTestId('filter-tags').getByText('广东省 / 深圳市').waitFor();
    await screenshot(page, 'archive-23-list-filters');

    // Save the filters as a view.
    const viewName = `华南A类${suffix}`;
    await page.getByTestId('view-save').click();
    await page.getByTestId('view-name').fill(viewName);
    await page.getByTestId('view-save-ok').click();
    await page.getByText('视图已保存').waitFor();
    await page.getByTestId('saved-views').getByText(viewName).waitFor();

    // Export what the list shows: CSV with a BOM and Chinese headers, only the filtered row.
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('accounts-export').click();
    await page.getByTestId('export-csv').click();
    const csv = await csvDownload;
    const csvText = readFileSync(await csv.path(), 'utf8');
    assert.equal(csvText.charCodeAt(0), 0xfeff, 'the CSV starts with a BOM');
    assert.match(csvText, /档案编号|名称/);
    assert.ok(csvText.includes(names.a), 'the filtered account is exported');
    assert.ok(!csvText.includes(names.b), 'the filtered-out account is not');
    const xlsxDownload = page.waitForEvent('download');
    await page.getByTestId('accounts-export').click();
    await page.getByTestId('export-xlsx').click();
    const xlsx = await xlsxDownload;
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');

    // Clear the filters, then the view brings them back.
    await listAfter(page, () => page.getByTestId('filter-reset').click());
    assert.equal(new URL(page.url()).search, '');
    await listAfter(page, () => choose(page, 'saved-views', viewName));
    assert.deepEqual(await rowNames(page), [names.a]);
    const restored = new URL(page.url()).searchParams;
    assert.equal(restored.get('industry'), industry);
    assert.equal(restored.get('city'), '深圳市');

    // Delete the view.
    await page.getByTestId('view-delete').click();
    await page.getByTestId('confirm-delete-view').click();
    await page.getByText('视图已删除').waitFor();
    const views = await apiRequest(page, 'GET', '/saved-views?entity=accounts');
    assert.ok(!views.body.items.some((v) => v.name === viewName), 'the view is gone');
  });
});

test('import wizard: a dry run lists row errors, a clean file is imported all at once', async () => {
  const suffix = uniqueSuffix();
  const good = [`导入甲${suffix}`, `导入乙${suffix}`];
  const header = '客户名称,统一社会信用代码,行业,省份,城市,地址';
  const bad = `\uFEFF${header}\r\n${good[0]},${creditCode()},机械,江苏省,苏州市,园区\r\n,,,江苏省,苏州市,缺名称\r\n`;
  const clean = `\uFEFF${header}\r\n${good[0]},${creditCode()},机械,江苏省,苏州市,园区\r\n${good[1]},,化工,浙江省,宁波市,北仑\r\n`;
  await withPage(browser, 'archive-import', {}, async (page) => {
    await login(page);
    await page.goto('/accounts');
    await page.getByTestId('accounts-import').click();
    await page.waitForURL('**/imports?kind=accounts');
    await page.getByTestId('import-form').waitFor();
    await screenshot(page, 'archive-24-import-upload');

    // Checking without a file is refused on the page.
    await page.getByTestId('import-check').click();
    await page.getByText('请选择要导入的文件').waitFor();

    const fileInput = page.getByTestId('import-file').locator('input[type=file]');
    await fileInput.setInputFiles({ name: '客户-有错.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.getByText('客户-有错.csv').waitFor();
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-preview').waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    assert.ok((await errors.locator('tbody tr.ant-table-row').count()) >= 1, 'the row error is listed');
    assert.equal(await page.getByTestId('import-apply').isDisabled(), true, 'a file with errors cannot be applied');
    await screenshot(page, 'archive-25-import-dry-run-errors');
    const none = await apiRequest(page, 'GET', `/accounts?q=${encodeURIComponent(good[0])}`);
    assert.equal(none.body.total, 0, 'a dry run writes nothing');

    // Back, a clean file, check, apply.
    await page.getByTestId('import-back').click();
    await fileInput.setInputFiles({ name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from(clean, 'utf8') });
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-ok').waitFor();
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-done').waitFor();
    await page.getByText('新建 2 条，更新 0 条，跳过 0 条').waitFor();
    await screenshot(page, 'archive-26-import-done');
    for (const n of good) {
      const found = await apiRequest(page, 'GET', `/accounts?q=${encodeURIComponent(n)}`);
      assert.equal(found.body.total, 1, `${n} was imported`);
    }

    // Importing the same file again with "skip" skips both.
    await page.getByTestId('import-again').click();
    await choose(page, 'import-on-duplicate', '跳过');
    await fileInput.setInputFiles({ name: '客户.csv', mimeType: 'text/csv', buffer: Buffer.from(clean, 'utf8') });
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-preview').waitFor();
    await page.getByTestId('import-apply').click();
    await page.getByText('新建 0 条，更新 0 条，跳过 2 条').waitFor();
  });
});

test('phone width: list with filters, full form, detail and import stay inside the screen', async () => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  await withPage(browser, 'archive-phone', phone, async (page) => {
    await login(page);
    await page.goto('/accounts?tier=A');
    await waitForList(page);
    // On a phone the panel starts closed (the tags say what is filtered) and opens on demand.
    await page.getByTestId('filter-tags').getByText('客户等级：A 类').waitFor();
    assert.equal(await page.getByTestId('filter-panel').count(), 0);
    await page.getByTestId('filter-toggle').click();
    await page.getByTestId('filter-panel').waitFor();
    await assertNoHorizontalOverflow(page, 'account list with filters');
    for (const id of ['filter-toggle', 'saved-views', 'accounts-export', 'filter-region']) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${id} on screen: ${JSON.stringify(box)}`);
    }
    await screenshot(page, 'archive-27-phone-archive-list');

    await page.goto('/accounts/new');
    await page.getByTestId('account-name').waitFor();
    await assertNoHorizontalOverflow(page, 'account form');
    await screenshot(page, 'archive-28-phone-archive-form');

    const created = await apiRequest(page, 'POST', '/accounts', { name: `手机档案${uniqueSuffix()}`, market_stage: 'mature', annual_revenue_fen: 99 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await page.goto(`/accounts/${created.body.id}`);
    await page.getByTestId('account-descriptions').waitFor();
    await page.getByTestId('account-section-business').getByText('0.99 元').waitFor();
    await assertNoHorizontalOverflow(page, 'account detail');
    await screenshot(page, 'archive-29-phone-archive-detail');

    await page.goto('/imports');
    await page.getByTestId('import-form').waitFor();
    await assertNoHorizontalOverflow(page, 'import wizard');
    await screenshot(page, 'archive-30-phone-import');
  });
});
