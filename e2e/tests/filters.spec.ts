// The filter builder: Column · Function · Value rows, AND and OR groups, chips, the quick
// search, and the address bar that carries all of it. Every count on screen is held
// against the server's own count of the same filter.
import { expect, test } from '../pages/fixtures';

import { countMatching } from '../pages/api';
import { UsersPage } from '../pages/users-page';

test("the seed's example: First Name contains Yin Yin shows exactly Yin Yin", async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'First Name', fn: 'contains', value: 'Yin Yin' });
  await page.screenshot({ path: 'test-results/filter-editor.png' });
  await users.apply();

  await expect(users.bodyRows).toHaveCount(1);
  await expect(users.bodyRows.first()).toContainText('Yin Yin');
  await expect(users.usersCount).toHaveText('1 user');
  expect(await users.chipTexts()).toEqual(['First Name contains "Yin Yin"']);
  await expect(page).toHaveURL(/filter=/);
  await page.screenshot({ path: 'test-results/filter-applied.png' });

  // Removing the chip shows everyone again.
  await users.chips.getByRole('button', { name: /^Remove filter/ }).click();
  await users.waitForResults();
  expect(await users.usersTotal()).toBeGreaterThan(1);
  await expect(users.chips).toHaveCount(0);
});

test('Time Spent takes a duration: greater than 10m is 600 seconds, shown as 10m', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'Time Spent', fn: 'greater than', value: '10m' });
  await users.apply();

  const expected = await countMatching({ column: 'time_spent_secs', function: 'greater_than', value: 600 });
  expect(expected).toBeGreaterThan(0);
  expect(await users.usersTotal()).toBe(expected);
  expect(await users.chipTexts()).toEqual(['Time Spent > 10m']);
  // The table's Time Spent ("1h 05m", "12m") is over ten minutes on every row.
  for (const text of await users.bodyRows.locator('td').nth(6).allInnerTexts()) {
    const [, hours, minutes] = /^(?:(\d+)h )?(\d+)m$/.exec(text.trim()) ?? [];
    expect(Number(hours ?? 0) * 60 + Number(minutes), text).toBeGreaterThanOrEqual(10);
  }

  // Edited, the row shows the duration back; a duration it cannot read is refused on it.
  await users.chips.first().getByRole('button', { name: /^Edit filter/ }).click();
  const value = users.filterRows().first().getByLabel('Value', { exact: true });
  await expect(value).toHaveValue('10m');
  await value.fill('10 parsecs');
  await users.applyButton.click();
  await expect(users.editor).toContainText('Enter a duration, like 90s, 10m or 1h 30m.');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: 'test-results/filter-duration-refused.png' });
});

test('an attribute filter selects the users the API counts', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addFilterButton.click();
  const row = users.filterRows().last();
  // Attribute keys sit in their own group of the Column menu.
  const group = row.getByLabel('Column', { exact: true }).locator('optgroup[label="Attribute filters"]');
  await expect(group.locator('option', { hasText: 'fav_food' })).toHaveCount(1);
  await users.fillRow(row, { column: 'fav_food', fn: 'equals', value: 'pizza' });
  await users.apply();

  const expected = await countMatching({
    column: 'attributes.fav_food',
    function: 'equals',
    value: 'pizza',
  });
  expect(expected).toBeGreaterThan(0);
  expect(await users.usersTotal()).toBe(expected);
  for (const cell of await users.bodyRows.locator('td').nth(9).all()) {
    await expect(cell).toBeVisible();
  }
  await expect(users.bodyRows.first()).toContainText('fav_food = pizza');
});

test('Sessions greater than 3 AND a tag, then the same as an OR group', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'Sessions', fn: 'greater than', value: '3' });
  await users.addFilterButton.click();
  // The editor is already open: Add Filter adds a second row.
  await expect(users.filterRows()).toHaveCount(2);
  await users.fillRow(users.filterRows().last(), { column: 'Tags', fn: 'has', value: 'VIP' });
  // Column and Function are as wide in every row, so the Values line up.
  const valueX = async (n: number) =>
    (await users.filterRows().nth(n).locator('.field--value').boundingBox())!.x;
  expect(await valueX(1)).toBe(await valueX(0));
  await users.apply();

  const sessions = { column: 'sessions', function: 'greater_than', value: 3 };
  const vip = { column: 'tags', function: 'has', value: 'VIP' };
  const both = await countMatching({ all: [sessions, vip] });
  expect(await users.usersTotal()).toBe(both);
  expect(await users.chipTexts()).toEqual(['Sessions > 3', 'Tags has VIP']);

  // The same two conditions as one OR group: the AND between them becomes OR.
  await users.chips.first().getByRole('button', { name: /^Edit filter/ }).click();
  await users.editor.getByRole('button', { name: /^AND: switch/ }).click();
  await users.apply();
  const either = await countMatching({ any: [sessions, vip] });
  expect(either).toBeGreaterThan(both);
  expect(await users.usersTotal()).toBe(either);
  // An OR shows as one chip holding its parts (UI.md), not as two chips that read as AND.
  expect(await users.chipTexts()).toEqual(['Sessions > 3 or Tags has VIP']);
  await users.chips.first().getByRole('button', { name: /^Remove filter/ }).click();
  await users.waitForResults();
  await expect(users.chips).toHaveCount(0);
  await expect(page).not.toHaveURL(/filter=/);
});

test('removing chips by keyboard keeps focus in the filter bar', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'Sessions', fn: 'greater than', value: '1' });
  await users.addFilterButton.click();
  await users.fillRow(users.filterRows().last(), { column: 'Clicks', fn: 'greater than', value: '0' });
  await users.apply();
  expect(await users.chipTexts()).toEqual(['Sessions > 1', 'Clicks > 0']);

  // Enter on the first chip's ×: focus moves to the × of the chip now in its place; on the
  // last one's, to Add Filter.
  await users.chips.first().getByRole('button', { name: /^Remove filter/ }).focus();
  await page.keyboard.press('Enter');
  await expect(users.chips).toHaveCount(1);
  await expect(users.chips.first().getByRole('button', { name: 'Remove filter: Clicks > 0' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(users.chips).toHaveCount(0);
  await expect(users.addFilterButton).toBeFocused();
});

test('a row with a wrong value is marked before Apply, and nothing is sent', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  const before = await users.usersTotal();
  await users.addCondition({ column: 'Sessions', fn: 'greater than', value: 'three' });
  await users.applyButton.click();
  const row = users.filterRows().last();
  await expect(row.locator('.row-error')).toHaveText('Enter a number, like 3 or -0.05.');
  await expect(row.getByLabel('Value', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // Focus goes to the value to mend; an exponent is no number either (PRODUCT.md's rule).
  await expect(row.getByLabel('Value', { exact: true })).toBeFocused();
  await row.getByLabel('Value', { exact: true }).fill('1e3');
  await users.applyButton.click();
  await expect(row.locator('.row-error')).toHaveText('Enter a number, like 3 or -0.05.');
  await page.screenshot({ path: 'test-results/filter-invalid-row.png' });
  await expect(users.editor).toBeVisible();
  expect(await users.usersTotal()).toBe(before);

  // Fixing the value clears the mark and applies.
  await row.getByLabel('Value', { exact: true }).fill('3');
  await expect(row.locator('.row-error')).toHaveCount(0);
  await users.apply();
  // The editor closed with its Apply button: focus is back on Add Filter, not the page.
  await expect(users.addFilterButton).toBeFocused();
  expect(await users.usersTotal()).toBe(
    await countMatching({ column: 'sessions', function: 'greater_than', value: 3 }),
  );
});

test('Telegram AND (unhappy OR Complained), shared by URL, reloaded and gone Back through', async ({
  page,
  browser,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'Channel', fn: 'is', value: 'Telegram' });
  await users.editor.getByRole('button', { name: '+ Add group' }).first().click();
  const rows = users.filterRows();
  await expect(rows).toHaveCount(2);
  await users.fillRow(rows.nth(1), { column: 'Average Sentiment', fn: 'less than', value: '-0.05' });
  // The nested group's own "Add condition" is the second one in the editor.
  await users.editor.getByRole('button', { name: '+ Add condition' }).first().click();
  await expect(rows).toHaveCount(3);
  await users.fillRow(rows.nth(2), { column: 'Tags', fn: 'has', value: 'Complained' });
  await page.screenshot({ path: 'test-results/filter-nested-group.png' });
  await users.apply();

  const expected = await countMatching({
    all: [
      { column: 'channel', function: 'is', value: 'telegram' },
      {
        any: [
          { column: 'average_sentiment', function: 'less_than', value: -0.05 },
          { column: 'tags', function: 'has', value: 'Complained' },
        ],
      },
    ],
  });
  expect(expected).toBeGreaterThan(0);
  expect(await users.usersTotal()).toBe(expected);
  expect(await users.chipTexts()).toEqual([
    'Channel is Telegram',
    'Average Sentiment < -0.05 or Tags has Complained',
  ]);
  const names = await users.bodyRows.locator('.user__name').allInnerTexts();
  const shared = page.url();

  // A colleague opens the link: after signing in, the same table.
  const colleague = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const theirPage = await colleague.newPage();
  const theirs = new UsersPage(theirPage);
  await theirs.openSignedIn(new URL(shared).pathname + new URL(shared).search);
  expect(await theirs.usersTotal()).toBe(expected);
  expect(await theirs.bodyRows.locator('.user__name').allInnerTexts()).toEqual(names);
  expect(await theirs.chipTexts()).toEqual(await users.chipTexts());
  await theirPage.screenshot({ path: 'test-results/filter-shared-link.png' });
  await colleague.close();

  // Sorted, then reloaded: filter and sort both come back.
  await users.sortButton('Sessions').click();
  await users.waitForResults();
  await expect(page).toHaveURL(/sort=-sessions/);
  await page.reload();
  await users.waitForResults();
  expect(await users.usersTotal()).toBe(expected);
  await expect(users.columnHeader('Sessions')).toHaveAttribute('aria-sort', 'descending');

  // Back undoes the sort, then the filter.
  await page.goBack();
  await users.waitForResults();
  await expect(users.columnHeader('Sessions')).toHaveAttribute('aria-sort', 'none');
  expect(await users.usersTotal()).toBe(expected);
  await page.goBack();
  await users.waitForResults();
  await expect(users.chips).toHaveCount(0);
  expect(await users.usersTotal()).toBeGreaterThan(expected);
  await page.goForward();
  await users.waitForResults();
  expect(await users.usersTotal()).toBe(expected);
});

test('the quick search finds a user by name as shown, by email and by external id', async ({
  page,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.search('yin yin tan');
  await expect(users.bodyRows).toHaveCount(1);
  const secondLine = await users.bodyRows.first().locator('.user__secondary').innerText();

  await users.search(secondLine);
  await expect(users.bodyRows.first()).toContainText('Yin Yin');
  await expect(page).toHaveURL(/q=/);

  await users.search('no such person anywhere');
  await expect(page.getByText('No users match this filter')).toBeVisible();
  await page.screenshot({ path: 'test-results/filter-empty.png' });
  await users.tableRegion.getByRole('button', { name: 'Clear' }).click();
  await users.waitForResults();
  expect(await users.usersTotal()).toBeGreaterThan(1);
  await expect(users.searchInput).toHaveValue('');
});

test('a filter edited by hand into nonsense shows nobody, says why and offers Clear filter', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn('/?filter=%7B%22column%22%3A%22sessions%22%2C%22function%22%3A%22contains%22%7D&sort=-clicks');
  await expect(users.tableRegion.getByRole('alert')).toContainText('cannot be applied');
  await expect(users.bodyRows).toHaveCount(0);
  await users.tableRegion.getByRole('button', { name: 'Clear filter' }).click();
  await users.waitForResults();
  await expect(users.columnHeader('Clicks')).toHaveAttribute('aria-sort', 'descending');
  expect(await users.usersTotal()).toBeGreaterThan(1);
  await page.screenshot({ path: 'test-results/filter-bad-url.png' });
});
