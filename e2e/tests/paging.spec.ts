// Keyset paging: Next and Previous walk the pages, the footer says where they are, and the
// page size is part of the address.
import { expect, test } from '../pages/fixtures';

import { UsersPage } from '../pages/users-page';

test('Next, Previous and the page size', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  const total = await users.usersTotal();
  expect(total).toBeGreaterThan(100);
  const formatted = total.toLocaleString('en-US');
  await expect(users.bodyRows).toHaveCount(50);
  await expect(users.footerStatus).toHaveText(`Showing 1–50 of ${formatted}`);
  await expect(users.previousButton).toBeDisabled();
  const ids = () => users.bodyRows.locator('.user__open').evaluateAll((buttons) => buttons.map((button) => button.id));
  const firstPage = await ids();

  await users.nextButton.click();
  await users.waitForResults();
  await expect(users.footerStatus).toHaveText(`Showing 51–100 of ${formatted}`);
  const secondPage = await ids();
  expect(secondPage).toHaveLength(50);
  expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);

  await users.previousButton.click();
  await users.waitForResults();
  expect(await ids()).toEqual(firstPage);

  await users.pageSize.selectOption('25');
  await users.waitForResults();
  await expect(users.bodyRows).toHaveCount(25);
  await expect(page).toHaveURL(/limit=25/);
  await expect(users.footerStatus).toHaveText(`Showing 1–25 of ${formatted}`);
  await page.reload();
  await users.waitForResults();
  await expect(users.bodyRows).toHaveCount(25);
  await expect(users.pageSize).toHaveValue('25');

  // The last page: Next is disabled there.
  await users.pageSize.selectOption('250');
  await users.waitForResults();
  await users.nextButton.click();
  await users.waitForResults();
  await expect(users.bodyRows).toHaveCount(total - 250);
  await expect(users.footerStatus).toHaveText(`Showing 251–${formatted} of ${formatted}`);
  await expect(users.nextButton).toBeDisabled();
  await page.screenshot({ path: 'test-results/paging-last-page.png', fullPage: true });
});
