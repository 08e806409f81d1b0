// Signing in and out: the sign-in page is the first screen; a wrong password says so
// without saying which part was wrong; signing out returns to it for good.
import { expect, test } from '../pages/fixtures';

import { UsersPage, demoAdmin } from '../pages/users-page';

test('a wrong password is refused, the right one opens the Users page, Sign out ends it', async ({
  page,
}) => {
  const users = new UsersPage(page);
  const { email, password } = demoAdmin();
  await users.open();
  await expect(users.signInButton).toBeVisible();
  // The tab says which page it shows.
  await expect(page).toHaveTitle('Sign in · Cohort');
  await page.screenshot({ path: 'test-results/sign-in.png' });

  await users.signIn(email, `${password}-wrong`);
  await expect(users.signInError).toHaveText('Wrong email or password.');
  // The admin tries again from the password, not from the page's body.
  await expect(page.getByLabel('Password')).toBeFocused();
  await users.signIn('nobody@example.com', password);
  await expect(users.signInError).toHaveText('Wrong email or password.');
  await page.screenshot({ path: 'test-results/sign-in-refused.png' });
  await expect(users.table).toHaveCount(0);

  await users.signIn(email, password);
  await expect(users.table).toBeVisible();
  await expect(page).toHaveTitle('Users · Cohort');
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/docs/');

  // The session is a cookie: a reload stays signed in.
  await page.reload();
  await expect(users.table).toBeVisible();

  await users.signOutButton.click();
  await expect(users.signInButton).toBeVisible();
  // News, not an error: a status, not an alert.
  await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.reload();
  await expect(users.signInButton).toBeVisible();
  await expect(users.table).toHaveCount(0);
});

test('the skip link jumps to the users table', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the users table' });
  await expect(skip).toBeFocused();
  await page.screenshot({ path: 'test-results/skip-link.png' });
  await page.keyboard.press('Enter');
  await expect(users.tableRegion).toBeFocused();
});

test('at 800 px the header keeps one line, with the bot switcher and Sign out in view', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  const users = new UsersPage(page);
  await users.openSignedIn();
  await expect(page.getByLabel('Bot', { exact: true })).toBeVisible();
  const signOut = await users.signOutButton.boundingBox();
  expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(800);
  // One line: no link wraps ("API docs" did, on two lines).
  for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) {
    expect((await link.boundingBox())!.height).toBeLessThan(40);
  }
  await page.screenshot({ path: 'test-results/header-800.png' });
});
