// Flow 3: at phone size (390×844) the app is usable: no horizontal overflow of the page,
// the menu is reachable through the header button, the account list and detail work.
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

async function assertNoHorizontalOverflow(page, where) {
  const sizes = await page.evaluate(() => ({
    viewport: window.innerWidth,
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  assert.ok(sizes.doc <= sizes.viewport && sizes.body <= sizes.viewport, `${where}: page wider than the screen ${JSON.stringify(sizes)}`);
}

test('phone viewport: login, menu drawer, account list without horizontal overflow', async () => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
  await withPage(browser, 'mobile', phone, async (page) => {
    await page.goto('/login');
    await page.getByTestId('login-submit').waitFor();
    await assertNoHorizontalOverflow(page, 'login');
    await screenshot(page, '08-phone-login');

    await login(page);
    await assertNoHorizontalOverflow(page, 'dashboard');
    // No side menu at this width: it opens as a drawer from the header.
    assert.equal(await page.getByTestId('side-menu').count(), 0, 'side menu hidden on a phone');
    await page.getByTestId('menu-toggle').click();
    const menuEntry = page.getByTestId('menu-/accounts');
    await menuEntry.waitFor();
    await screenshot(page, '09-phone-menu-drawer');
    await menuEntry.click();
    await page.waitForURL('**/accounts');
    await page.locator('.ant-table').waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
    assert.equal(await page.locator('.ant-drawer-open').count(), 0, 'the drawer closes after choosing');

    // Search box and "new" button are on screen and usable.
    const search = page.getByTestId('accounts-search');
    const box = await search.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `search box inside the screen: ${JSON.stringify(box)}`);
    await page.getByTestId('account-new').waitFor();
    await assertNoHorizontalOverflow(page, 'accounts list');
    await screenshot(page, '10-phone-accounts');

    // Language switch and logout are reachable in the header.
    for (const id of ['lang-switch', 'logout', 'menu-toggle']) {
      const b = await page.getByTestId(id).boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `${id} on screen: ${JSON.stringify(b)}`);
    }

    // The new-account form fits too.
    await page.getByTestId('account-new').click();
    await page.getByTestId('account-name').waitFor();
    await assertNoHorizontalOverflow(page, 'account form');
    await screenshot(page, '11-phone-account-form');
  });
});
