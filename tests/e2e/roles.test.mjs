// Flow 4: the admin creates a department and a specialist through the admin pages, logs out;
// the specialist logs in, sees no admin menus (and a 403 page on an admin URL), and the
// account list does not show the admin's account: a specialist sees only own records.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accountNames,
  createAccountViaUi,
  launchBrowser,
  login,
  logout,
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

/** Picks `text` in an antd Select/TreeSelect: open it, type to filter, choose the option. */
async function choose(page, testId, text) {
  const field = page.getByTestId(testId);
  await field.click();
  await page.keyboard.type(text);
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(new RegExp(text)).first();
  await option.waitFor();
  await option.click();
  // A multiple select stays open: click the dialog's title to close it.
  if (await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()) {
    await page.locator('.ant-modal-title').click();
  }
}

test('admin creates a department and a specialist who then sees only own records', async () => {
  const suffix = uniqueSuffix();
  const departmentName = `华南大客户部${suffix}`;
  const username = `zy_${suffix}`;
  const displayName = `李专员${suffix}`;
  const newDisplayName = `李明${suffix}`;
  const password = `Specialist-${suffix}-2026`;
  const adminAccount = `管理员客户${suffix}`;
  const ownAccount = `专员客户${suffix}`;

  await withPage(browser, 'roles', {}, async (page) => {
    await login(page);
    await createAccountViaUi(page, { name: adminAccount, city: '广州市' });

    // Department, through the departments page.
    await page.getByTestId('menu-/admin').click();
    await page.getByTestId('menu-/admin/departments').click();
    await page.waitForURL('**/admin/departments');
    await page.getByTestId('dept-new').click();
    await page.getByTestId('dept-name').fill(departmentName);
    await page.getByTestId('dept-save').click();
    await page.getByTestId(`dept-${departmentName}`).waitFor();
    // A child department under it, through the row's own button.
    await page.getByTestId(`dept-add-child-${departmentName}`).click();
    await page.getByTestId('dept-name').fill(`广州组${suffix}`);
    await page.getByTestId('dept-save').click();
    await page.getByTestId(`dept-广州组${suffix}`).waitFor();
    // Rename, then delete, a temporary department.
    await page.getByTestId(`dept-add-child-${departmentName}`).click();
    await page.getByTestId('dept-name').fill(`临时组${suffix}`);
    await page.getByTestId('dept-save').click();
    await page.getByTestId(`dept-rename-临时组${suffix}`).click();
    await page.getByTestId('dept-name').fill(`临时组改${suffix}`);
    await page.getByTestId('dept-save').click();
    await page.getByTestId(`dept-临时组改${suffix}`).waitFor();
    await screenshot(page, '13-admin-departments');
    await page.getByTestId(`dept-delete-临时组改${suffix}`).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await page.getByTestId(`dept-临时组改${suffix}`).waitFor({ state: 'detached' });

    // Specialist, through the users page.
    await page.getByTestId('menu-/admin/users').click();
    await page.waitForURL('**/admin/users');
    await page.getByTestId('user-new').click();
    // A username the server refuses (422): its message shows under the field, in Chinese.
    await page.getByTestId('user-username').fill('李 四');
    await page.getByTestId('user-display-name').fill(displayName);
    // Too short a password is refused on the form.
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-save').click();
    await page.getByText('密码至少 12 个字符').first().waitFor();
    await page.getByTestId('user-password').fill(password);
    await choose(page, 'user-department', departmentName);
    await choose(page, 'user-roles', 'specialist');
    await page.getByTestId('user-save').click();
    await page.locator('.ant-form-item-explain-error').getByText('用户名为 2–64 个字母、数字、点、下划线或连字符').waitFor();
    await page.getByTestId('user-form-error').waitFor();
    await screenshot(page, '14-admin-user-new-422');
    await page.getByTestId('user-username').fill(username);
    await page.getByTestId('user-save').click();
    await page.getByTestId(`user-edit-${username}`).waitFor();
    const row = page.locator('.ant-table-tbody tr', { has: page.getByTestId(`user-edit-${username}`) });
    assert.match((await row.textContent()) ?? '', new RegExp(departmentName));
    assert.match((await row.textContent()) ?? '', /specialist/);

    // Edit: a new display name.
    await page.getByTestId(`user-edit-${username}`).click();
    assert.equal(await page.getByTestId('user-display-name').inputValue(), displayName);
    await page.getByTestId('user-display-name').fill(newDisplayName);
    await page.getByTestId('user-save').click();
    await row.getByText(newDisplayName).waitFor();
    await screenshot(page, '15-admin-users');

    // A department with users (and sub-departments) cannot be deleted.
    await page.getByTestId('menu-/admin/departments').click();
    await page.getByTestId(`dept-delete-${departmentName}`).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await page.getByText('该部门下还有用户或子部门，无法删除').waitFor();
    await page.getByTestId(`dept-${departmentName}`).waitFor();

    await logout(page);

    // The specialist.
    await login(page, username, password);
    await page.getByTestId('current-user').getByText(newDisplayName).waitFor();
    await page.getByTestId('menu-/accounts').waitFor();
    assert.equal(await page.getByTestId('menu-/admin').count(), 0, 'no admin menu for a specialist');
    assert.equal(await page.getByText('系统管理').count(), 0);
    await screenshot(page, '16-specialist-dashboard');

    await page.goto('/admin/users');
    await page.getByTestId('page-403').waitFor();

    // The admin's account is not visible; the specialist's own is.
    await page.goto('/accounts');
    await searchAccounts(page, adminAccount);
    assert.deepEqual(await accountNames(page), [], "the admin's account is outside the specialist's scope");
    await createAccountViaUi(page, { name: ownAccount, city: '佛山市' });
    // A specialist may edit but not delete (no accounts.delete).
    await page.getByTestId('account-edit').waitFor();
    assert.equal(await page.getByTestId('account-delete').count(), 0);
    await page.goto('/accounts');
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
    await page.locator('.ant-table-tbody').getByRole('link', { name: ownAccount }).waitFor();
    assert.deepEqual(await accountNames(page), [ownAccount], 'a new specialist sees exactly their own account');
    await screenshot(page, '17-specialist-accounts');
  });
});
