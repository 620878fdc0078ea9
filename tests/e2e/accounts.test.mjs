// Flow 1: the admin creates an account with a Chinese name, finds it by a two-character
// Chinese substring and by its unique part, opens it, edits it, sees the change history,
// gets the "changed by someone else" message on a stale edit, and deletes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accountNames,
  apiRequest,
  launchBrowser,
  login,
  requireAdminPassword,
  screenshot,
  searchAccounts,
  uniqueSuffix,
  withPage,
} from './helpers.mjs';

let browser;
before(async () => {
  requireAdminPassword();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('admin creates, finds, edits, audits and deletes a Chinese-named account', async () => {
  const suffix = uniqueSuffix();
  const name = `华为精密制造${suffix}`;
  await withPage(browser, 'accounts', {}, async (page) => {
    await login(page);
    await screenshot(page, '01-dashboard-admin');

    // The menu leads to the list; the list shows the Chinese column titles.
    await page.getByTestId('menu-/accounts').click();
    await page.waitForURL('**/accounts');
    for (const title of ['档案编号', '名称', '行业', '省份', '城市', '负责人', '更新时间']) {
      await page.getByRole('columnheader', { name: title }).first().waitFor();
    }

    // Create.
    await page.getByTestId('account-new').click();
    await page.waitForURL('**/accounts/new');
    // An empty name is refused on the form itself.
    await page.getByTestId('account-save').click();
    await page.getByText('请输入客户名称').waitFor();
    await page.getByTestId('account-name').fill(name);
    await page.getByTestId('account-industry').fill('电子制造');
    await page.getByTestId('account-province').fill('广东省');
    await page.getByTestId('account-city').fill('深圳市');
    await page.getByTestId('account-address').fill('龙岗区坂田华为基地');
    await screenshot(page, '02-account-new');
    await page.getByTestId('account-save').click();
    await page.waitForURL(/\/accounts\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    assert.equal(await page.getByTestId('account-title').textContent(), name);
    const details = page.getByTestId('account-descriptions');
    await details.getByText('深圳市').waitFor();
    const archiveNo = (await details.locator('td').first().textContent())?.trim();
    assert.ok(archiveNo, 'the server gave the account an archive number');

    // Find it by the two-character substring 精密: every hit contains it, and sorted by
    // creation time (newest first) ours is on the first page.
    await page.goto('/accounts');
    await searchAccounts(page, '精密');
    const hits = await accountNames(page);
    assert.ok(hits.length >= 1, 'searching 精密 finds something');
    for (const hit of hits) assert.match(hit, /精密/);
    const createdHeader = page.getByRole('columnheader', { name: '建档时间' });
    await createdHeader.click(); // ascending
    await page.waitForURL(/sort=created_at/);
    await createdHeader.click(); // descending
    await page.waitForURL(/sort=-created_at/);
    await page.locator('.ant-table-tbody').getByRole('link', { name }).waitFor();

    // Find it by its unique part: exactly one row, with its archive number and city.
    await searchAccounts(page, `制造${suffix}`);
    assert.deepEqual(await accountNames(page), [name]);
    const row = page.locator('.ant-table-tbody tr.ant-table-row').first();
    assert.match((await row.textContent()) ?? '', new RegExp(archiveNo));
    assert.match((await row.textContent()) ?? '', /深圳市/);
    await page.getByText('共 1 条').waitFor();
    await screenshot(page, '03-accounts-search');

    // Open the detail from the list, edit it.
    await page.locator('.ant-table-tbody').getByRole('link', { name }).click();
    await page.waitForURL(`**/accounts/${id}`);
    await page.getByTestId('account-edit').click();
    await page.waitForURL(`**/accounts/${id}/edit`);
    assert.equal(await page.getByTestId('account-name').inputValue(), name);
    await page.getByTestId('account-city').fill('东莞市');
    await page.getByTestId('account-save').click();
    await page.waitForURL(`**/accounts/${id}`);
    await page.getByTestId('account-descriptions').getByText('东莞市').waitFor();

    // The change history shows the create and the update with the changed city.
    const history = page.getByTestId('account-history');
    await history.getByText('修改').waitFor();
    await history.getByText('创建').waitFor();
    assert.ok((await history.getByTestId('audit-entry').count()) >= 2);
    const historyText = (await history.textContent()) ?? '';
    assert.match(historyText, /城市/);
    assert.match(historyText, /深圳市/);
    assert.match(historyText, /东莞市/);
    await screenshot(page, '04-account-detail-history');

    // A stale edit: someone else saves first, then our save is refused with a clear message.
    await page.getByTestId('account-edit').click();
    await page.waitForURL(`**/accounts/${id}/edit`);
    await page.getByTestId('account-name').waitFor();
    const current = await apiRequest(page, 'GET', `/accounts/${id}`);
    const other = await apiRequest(page, 'PATCH', `/accounts/${id}`, { version: current.body.version, industry: '通信设备' });
    assert.equal(other.status, 200, 'the concurrent edit through the API succeeds');
    await page.getByTestId('account-address').fill('松山湖');
    await page.getByTestId('account-save').click();
    await page.getByText('该记录已被他人修改，请刷新后重试').first().waitFor();
    await screenshot(page, '05-account-edit-conflict');
    // Reloading takes the other edit and lets ours through.
    await page.getByRole('button', { name: /刷\s*新/ }).click();
    assert.equal(await page.getByTestId('account-industry').inputValue(), '通信设备');
    await page.getByTestId('account-address').fill('松山湖');
    await page.getByTestId('account-save').click();
    await page.waitForURL(`**/accounts/${id}`);
    await page.getByTestId('account-descriptions').getByText('松山湖').waitFor();

    // Delete, with confirmation; then it is gone from the list.
    await page.getByTestId('account-delete').click();
    await page.locator('.ant-modal-confirm-title').getByText('确定删除该客户吗？').waitFor();
    await page
      .getByRole('button', { name: /删\s*除/ })
      .last()
      .click();
    await page.waitForURL(/\/accounts$/);
    await searchAccounts(page, `制造${suffix}`);
    assert.deepEqual(await accountNames(page), []);
    const gone = await apiRequest(page, 'GET', `/accounts/${id}`);
    assert.equal(gone.status, 404);
  });
});
