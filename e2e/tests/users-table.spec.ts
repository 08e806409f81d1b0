// The users table: sign in with a token, see the demo audience, narrow it by first name;
// and a refused token sends the admin back to the sign-in card.
import { expect, test } from '@playwright/test';

import { USERS_TABLE_HEADERS, UsersPage } from '../pages/users-page';

test('an admin signs in, sees the users table and finds Yin Yin by first name', async ({
  page,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();

  await expect(users.table).toBeVisible();
  for (const header of USERS_TABLE_HEADERS) {
    await expect(users.columnHeader(header)).toBeVisible();
  }
  await users.waitForResults();
  await expect(users.usersCount).toBeVisible();
  expect(await users.usersTotal()).toBeGreaterThan(1);
  await page.screenshot({ path: 'test-results/users-page.png', fullPage: true });

  // The demo's ~300 users span several pages; Yin Yin may be on any of them.
  await users.loadMoreUntilRowWith('Yin Yin');
  await expect(users.rowWith('Yin Yin')).toHaveCount(1);

  await users.searchByFirstName('Yin Yin');
  await users.waitForResults();
  await expect(users.bodyRows).toHaveCount(1);
  await expect(users.bodyRows.first()).toContainText('Yin Yin');
  await expect(users.usersCount).toHaveText('1 user');
});

test('a wrong token shows the sign-in card again with an error', async ({ page }) => {
  const users = new UsersPage(page);

  await users.open();
  await users.signIn('not-a-real-token');

  await expect(users.signInError).toBeVisible();
  await expect(users.signInError).toContainText('not accepted');
  await expect(users.tokenInput).toBeVisible();
  await expect(users.continueButton).toBeVisible();
  await expect(users.table).toHaveCount(0);
});
