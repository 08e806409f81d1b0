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

/** Whether `scores` holds more than one score, in the order `compare` gives. */
function isSorted(scores: number[], compare: (a: number, b: number) => number): boolean {
  return scores.length > 1 && scores.every((score, i) => i === 0 || compare(scores[i - 1], score) <= 0);
}

test('sorting by Average Sentiment shows the unhappiest users first', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.waitForResults();
  const header = users.columnHeader('Average Sentiment');
  await expect(users.columnHeader('Last Message At')).toHaveAttribute('aria-sort', 'descending');
  await expect(header).toHaveAttribute('aria-sort', 'none');

  // A number column sorts largest first, then the other way round.
  await users.sortButton('Average Sentiment').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  // The rows follow once the new first page arrives.
  await expect
    .poll(async () => isSorted(await users.sentimentScores(), (a, b) => b - a))
    .toBe(true);

  await users.sortButton('Average Sentiment').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(users.columnHeader('Last Message At')).toHaveAttribute('aria-sort', 'none');
  await expect
    .poll(async () => isSorted(await users.sentimentScores(), (a, b) => a - b))
    .toBe(true);
  expect((await users.sentimentScores())[0]).toBeLessThan(-0.05);
  await expect(users.bodyRows.first().getByText('Negative')).toBeVisible();
  await page.screenshot({ path: 'test-results/users-sorted.png' });
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
