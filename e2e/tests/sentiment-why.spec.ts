// Why a message is negative: on Yin Yin's page an admin asks about one of her negative
// messages and reads, inline, the word that made it so with how far it moved the score;
// asking again folds the explanation away.
import { expect, test } from '../pages/fixtures';

import { UsersPage } from '../pages/users-page';

test('an admin asks why a message is negative and sees the word that made it so', async ({
  page,
}) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.search('Yin Yin');
  await users.openButton('Yin Yin Tan').click();
  const dialog = users.userDialog('Yin Yin Tan');
  const history = dialog.getByRole('region', { name: /Messages/ });
  await expect(history).toHaveAttribute('aria-busy', 'false');

  // "so slow!" is one of the demo's complaints, and Yin Yin is its unhappy customer.
  const message = history
    .getByRole('listitem')
    .filter({ hasText: 'so slow!' })
    .filter({ hasText: 'Negative' })
    .first();
  await expect(message).toBeVisible();
  const why = message.getByRole('button', { name: 'Why negative?' });
  await expect(why).toHaveAttribute('aria-expanded', 'false');
  await why.click();
  await expect(why).toHaveAttribute('aria-expanded', 'true');

  const reasons = message.getByRole('list', { name: 'What made it negative' });
  await expect(reasons).toBeVisible();
  const first = reasons.getByRole('listitem').first();
  await expect(first).toContainText('slow');
  await expect(first).toContainText('word');
  await expect(first).toContainText(/\u2212\d\.\d\d/);
  // The "!" only strengthens what is there: a factor, shown as such.
  await expect(reasons.getByRole('listitem').filter({ hasText: 'emphasis' })).toContainText(
    /×\d/,
  );
  // The panel is a live region the button controls, so the list is announced.
  const panelId = await why.getAttribute('aria-controls');
  await expect(page.locator(`#${panelId}`)).toHaveAttribute('aria-live', 'polite');
  await page.screenshot({ path: 'test-results/sentiment-why.png' });

  // Keyboard: the same button folds the explanation away and opens it again, without
  // asking the server twice.
  await why.focus();
  await page.keyboard.press('Enter');
  await expect(why).toHaveAttribute('aria-expanded', 'false');
  await expect(reasons).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(reasons.getByRole('listitem').first()).toContainText('slow');
});
