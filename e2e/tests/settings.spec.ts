// Settings: a new bot starts empty (its own "No users yet"), and the bot switcher moves
// between the workspace's bots, keeping each in the address.
import { expect, test } from '../pages/fixtures';

import { UsersPage } from '../pages/users-page';

test('create a bot, see it empty, and switch back to Pizza Palace', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
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

  const picker = page.getByLabel('Bot', { exact: true });
  await picker.selectOption({ label: 'Pizza Palace' });
  await expect(page.getByText('Everyone who chats with Pizza Palace.')).toBeVisible();
  await users.waitForResults();
  expect(await users.usersTotal()).toBeGreaterThan(100);
  await page.goBack();
  await expect(page.getByText('Everyone who chats with Support Bot.')).toBeVisible();
});
