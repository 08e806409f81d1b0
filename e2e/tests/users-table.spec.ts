// The users table: every column in view, exact times and folded chips reachable by
// keyboard, and sorting.
import { expect, test } from '../pages/fixtures';

import { USERS_TABLE_HEADERS, UsersPage } from '../pages/users-page';

test('an admin sees the users table with every column at 1400 px', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const users = new UsersPage(page);
  await users.openSignedIn();

  await expect(users.table).toBeVisible();
  for (const header of USERS_TABLE_HEADERS) {
    await expect(users.columnHeader(header)).toBeInViewport();
  }
  await expect(users.usersCount).toHaveText(/^[\d,]+ users$/);
  expect(await users.usersTotal()).toBeGreaterThan(1);
  // The rows scroll inside the card and the footer is in view: the page itself does not
  // scroll (it did by 52 px, taking the title under the top bar).
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(900);
  await expect(users.footerStatus).toBeInViewport();
  await page.screenshot({ path: 'test-results/users-page.png', fullPage: true });

  // Exact times open on focus, not only on hover.
  const time = users.bodyRows.first().locator('time');
  await time.focus();
  await expect(time).toHaveAttribute('data-tooltip', /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\)$/);
  // A screen reader reads what is shown, then the exact time.
  await expect(time).toHaveText(/^(just now|\d+ (min|h|d) ago|\d{1,2} [A-Z][a-z]{2}( \d{4})?), \d{1,2} [A-Z][a-z]{2} \d{4}, /);

  // "+N" shows the rest of a cell's chips on click, and hides them again.
  const more = users.table.locator('button.chip--more').first();
  await expect(more).toHaveAccessibleName(/^Show (1 more (tag|attribute)|([2-9]|\d\d+) more (tags|attributes))$/);
  const cell = more.locator('xpath=..');
  const before = await cell.locator('.chip:not(.chip--more)').count();
  await more.click();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  expect(await cell.locator('.chip:not(.chip--more)').count()).toBeGreaterThan(before);
  await expect(more).toHaveAccessibleName(/^Show fewer (tags|attributes)$/);
  await more.click();
  await expect(cell.locator('.chip:not(.chip--more)')).toHaveCount(before);
  // Escape closes what Enter opened.
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(cell.locator('.chip:not(.chip--more)')).toHaveCount(before);
});

/** Whether `scores` holds more than one score, in the order `compare` gives. */
function isSorted(scores: number[], compare: (a: number, b: number) => number): boolean {
  return scores.length > 1 && scores.every((score, i) => i === 0 || compare(scores[i - 1], score) <= 0);
}

test('sorting by Average Sentiment shows the unhappiest users first', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
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
