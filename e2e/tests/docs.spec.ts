// The API docs and the app both work under their Content-Security-Policy: the fixture fails
// a test on any console error, and Chromium logs every refused script, style or image.
import { expect, test } from '../pages/fixtures';

import { UsersPage } from '../pages/users-page';

test('the API docs render every operation under their policy', async ({ page }) => {
  const response = await page.goto('/docs/');
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('heading', { name: /Cohort/ }).first()).toBeVisible();
  const search = page.locator('.opblock-summary-path', { hasText: '/api/v1/bots/{bot}/users/search' });
  await expect(search.first()).toBeVisible();
  await search.first().click();
  await expect(page.getByRole('button', { name: 'Try it out' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/api-docs.png' });
});

test('the app starts under a policy without inline scripts or styles', async ({ page }) => {
  const response = await page.goto('/');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toContain('unsafe-inline');
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.waitForResults();
  // Avatars take their colour from a class, which the policy allows.
  const avatar = page.locator('td .avatar').first();
  await expect(avatar).toHaveClass(/avatar--tone-\d+/);
  const background = await avatar.evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
});
