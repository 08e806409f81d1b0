// The user's page: from the table, open Yin Yin's page and read her stats and her message
// history with each message's sentiment; focus stays in it, Escape closes it and focus
// returns to her name.
import { expect, test } from '../pages/fixtures';

import { getUser, upsertUser } from '../pages/api';
import { UsersPage } from '../pages/users-page';

test("an admin opens Yin Yin's page and reads her messages with their sentiment", async ({
  page,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.search('Yin Yin');
  await expect(users.bodyRows).toHaveCount(1);
  // The table's Messages Sent cell (after the checkbox, name, channel and sessions).
  const messagesSent = Number(await users.bodyRows.first().getByRole('cell').nth(4).innerText());
  expect(messagesSent).toBeGreaterThan(0);

  await users.openButton('Yin Yin Tan').click();
  const dialog = users.userDialog('Yin Yin Tan');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(page).toHaveTitle('Yin Yin Tan · Users · Cohort');
  const stats = dialog.getByRole('definition');
  await expect(stats.first()).toHaveText(/\d/);
  await expect(dialog.getByText('Messages Sent', { exact: true })).toBeVisible();
  // Her average sentiment wears the table's coloured label.
  await expect(dialog.locator('.stats-grid .pill--negative')).toHaveText('Negative');

  const history = dialog.getByRole('region', { name: /Messages/ });
  await expect(history).toHaveAttribute('aria-busy', 'false');
  await expect(history.getByRole('heading')).toContainText(String(messagesSent));
  const messages = history.getByRole('listitem');
  await expect(messages).toHaveCount(Math.min(messagesSent, 30));
  // She is the demo's unhappy customer: at least one message is scored negative, and
  // every message shows a score and a label.
  await expect(messages.filter({ hasText: 'Negative' }).first()).toBeVisible();
  for (const message of await messages.all()) {
    await expect(message).toContainText(/-?\d\.\d\d\s*(Positive|Neutral|Negative)/);
  }
  // A message's exact time, on hover, in the same words as the table's tooltip.
  await expect(messages.first().locator('time')).toHaveAttribute(
    'title',
    /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\)$/,
  );
  await page.screenshot({ path: 'test-results/user-page.png' });

  // A modal dialog: Tab and Shift+Tab cycle through its controls, never the page behind.
  for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Tab']) {
    await page.keyboard.press(key);
    await expect(dialog.locator(':focus')).toHaveCount(1);
  }

  // The open user is in the address: a reload opens her page again. The table's rows are
  // held back until she is closed, so her name is not on the page yet when Escape comes:
  // focus goes to it once the rows arrive.
  await expect(page).toHaveURL(/\/users\/[^/?]+\?q=Yin\+Yin/);
  // The demo's users were created when they first chatted, not when the demo was filled.
  const yin = await getUser(/\/users\/(\d+)/.exec(page.url())?.[1] ?? '');
  expect(Date.parse(String(yin.created_at))).toBeLessThan(Date.parse(String(yin.last_message_at)));
  let releaseRows = () => {};
  const rowsHeld = new Promise<void>((resolve) => (releaseRows = resolve));
  await page.route('**/api/v1/bots/*/users/search', async (route) => {
    await rowsHeld;
    await route.fallback();
  });
  await page.reload();
  await expect(users.userDialog('Yin Yin Tan')).toBeVisible();
  await expect(users.openButton('Yin Yin Tan')).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveTitle('Users · Cohort');
  releaseRows();
  await expect(users.openButton('Yin Yin Tan')).toBeFocused();
  await page.unroute('**/api/v1/bots/*/users/search');
  await expect(page).not.toHaveURL(/\/users\//);

  // Back opens her page again; Back once more returns to the same filtered table.
  await page.goBack();
  await expect(users.userDialog('Yin Yin Tan')).toBeVisible();
  await page.goBack();
  await expect(users.userDialog('Yin Yin Tan')).toHaveCount(0);
  await expect(users.searchInput).toHaveValue('Yin Yin');
  await expect(users.bodyRows).toHaveCount(1);
});

test("a user's name is a link: Ctrl+click opens their page in a new tab, over the same search", async ({
  page,
  context,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.search('Yin Yin');
  await expect(users.bodyRows).toHaveCount(1);
  const name = users.openButton('Yin Yin Tan');
  await expect(name).toHaveAttribute('href', /^\/users\/\d+\?q=Yin\+Yin/);

  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    name.click({ modifiers: ['ControlOrMeta'] }),
  ]);
  // The new tab shows her page over the searched table; this one stays as it was.
  const theirs = new UsersPage(tab);
  await expect(theirs.userDialog('Yin Yin Tan')).toBeVisible();
  await expect(theirs.searchInput).toHaveValue('Yin Yin');
  await expect(users.userDialog('Yin Yin Tan')).toHaveCount(0);
  await expect(page).not.toHaveURL(/\/users\//);
  await tab.close();

  // Enter on the focused name opens her page here, as a plain click does.
  await name.focus();
  await page.keyboard.press('Enter');
  await expect(users.userDialog('Yin Yin Tan')).toBeVisible();
  await expect(page).toHaveURL(/\/users\/\d+\?q=Yin\+Yin/);
});

test('a profile picture shows in the table and on the page; one that does not load leaves the initials', async ({
  page,
}) => {
  // A 1×1 picture inline (what a channel sends is an https address; this one needs no
  // network) and an address that cannot load here.
  const picture =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  await upsertUser({ channel: 'web', external_id: 'e2e-picture', first_name: 'Pia', last_name: 'Picture', avatar_url: picture });
  await upsertUser({
    channel: 'web',
    external_id: 'e2e-broken-picture',
    first_name: 'Bo',
    last_name: 'Broken',
    avatar_url: 'https://pictures.invalid/bo.png',
  });
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.search('e2e-picture');
  const pia = users.rowWith('Pia Picture').locator('.avatar img');
  await expect(pia).toHaveAttribute('src', picture);
  await expect.poll(() => pia.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1);
  await users.openButton('Pia Picture').click();
  await expect(users.userDialog('Pia Picture').locator('.avatar img')).toHaveAttribute('src', picture);
  await page.screenshot({ path: 'test-results/user-page-picture.png' });
  await page.keyboard.press('Escape');

  await users.search('e2e-broken-picture');
  const bo = users.rowWith('Bo Broken').locator('.avatar');
  await expect(bo.locator('img')).toHaveCount(0);
  await expect(bo).toHaveText('BB');
});
