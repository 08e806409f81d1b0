// Settings: a new bot starts empty (its own "No users yet"), and the bot switcher moves
// between the workspace's bots, keeping each in the address.
import { expect, test } from '../pages/fixtures';

import { UsersPage, demoAdmin } from '../pages/users-page';

test('create a bot, see it empty, and switch back to Pizza Palace', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  // The header's bot switcher shows the bot on every page; "New bot…" opens Settings'
  // form, focused on its name.
  const picker = page.getByLabel('Bot', { exact: true });
  await expect(picker.locator('option:checked')).toHaveText('Pizza Palace');
  await picker.selectOption({ label: 'New bot…' });
  await expect(page).toHaveTitle('Settings · Cohort');
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  // A name the API refuses is said at the field.
  await page.getByLabel('Name', { exact: true }).fill('x'.repeat(101));
  await page.getByRole('button', { name: 'Create bot' }).click();
  await expect(page.locator('#new-bot-error')).toHaveText('A bot name is at most 100 characters.');
  await page.getByLabel('Name', { exact: true }).fill('Support Bot');
  await page.getByRole('button', { name: 'Create bot' }).click();

  await expect(page.getByText('Everyone who chats with Support Bot.')).toBeVisible();
  await expect(page.getByText('No users yet')).toBeVisible();
  await expect(page).toHaveURL(/bot=/);
  await page.screenshot({ path: 'test-results/new-bot-empty.png' });

  await expect(picker.locator('option:checked')).toHaveText('Support Bot');
  await picker.selectOption({ label: 'Pizza Palace' });
  await expect(page.getByText('Everyone who chats with Pizza Palace.')).toBeVisible();
  await users.waitForResults();
  expect(await users.usersTotal()).toBeGreaterThan(100);
  await page.goBack();
  await expect(page.getByText('Everyone who chats with Support Bot.')).toBeVisible();

  // On Settings, switching bots stays on Settings.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByText("Support Bot's name, how it counts sessions")).toBeVisible();
  await picker.selectOption({ label: 'Pizza Palace' });
  await expect(page.getByText("Pizza Palace's name, how it counts sessions")).toBeVisible();
  await expect(page).toHaveURL(/\/settings\?bot=/);
  // "New bot…" on Settings focuses the form here; the menu still names the bot shown.
  await picker.selectOption({ label: 'New bot…' });
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await expect(picker.locator('option:checked')).toHaveText('Pizza Palace');
});

test("Settings shows the bot's activity: a bulk action done in the app, by whom", async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await page.getByRole('button', { name: 'Select All', exact: true }).click();
  await page.getByRole('button', { name: 'Add Tags', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Tags').fill('e2e-activity');
  await dialog.getByLabel('Tags').press('Enter');
  await dialog.getByRole('button', { name: 'Add Tags', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Tagged' })).toBeVisible();
  // The same again changes nobody: the log says so in the toast's words, not "Tagged 0".
  const selectAll = page.getByRole('button', { name: 'Select All', exact: true });
  if (await selectAll.isVisible()) await selectAll.click();
  await page.getByRole('button', { name: 'Add Tags', exact: true }).click();
  await dialog.getByLabel('Tags').fill('e2e-activity');
  await dialog.getByLabel('Tags').press('Enter');
  await dialog.getByRole('button', { name: 'Add Tags', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Nothing changed: all 50 already had it' })).toBeVisible();

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const activity = page.getByRole('region', { name: /Activity/ });
  await expect(activity).toHaveAttribute('aria-busy', 'false');
  const [newest, before] = [activity.getByRole('listitem').nth(0), activity.getByRole('listitem').nth(1)];
  await expect(newest).toContainText(/^Add tags e2e-activity: nothing changed, everyone selected already had it/);
  await expect(before).toContainText(/^Tagged 50 users with e2e-activity/);
  await expect(before).toContainText(`${demoAdmin().email} · `);
  await page.screenshot({ path: 'test-results/settings-activity.png', fullPage: true });
});
