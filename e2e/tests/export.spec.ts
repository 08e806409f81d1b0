// Export CSV: the filter's users (nothing selected) or the selection, progress in the
// toolbar, Download File, and a file that reads back to exactly those users with their
// attr: columns; the Exports panel lists it; the ready file is still offered after a reload.
import { readFile } from 'node:fs/promises';

import { expect, test } from '../pages/fixtures';

import { idsMatching, upsertUser } from '../pages/api';
import { parseCsv } from '../pages/csv';
import { UsersPage } from '../pages/users-page';

const FIXED_COLUMNS = [
  'id', 'first_name', 'last_name', 'channel', 'external_id', 'email', 'phone', 'sessions',
  'messages_sent', 'clicks', 'time_spent_secs', 'average_sentiment', 'last_message_at',
  'created_at', 'tags',
];

test('export the filtered users, download the file and read it back', async ({ page }) => {
  await upsertUser({
    channel: 'web', external_id: 'e2e-export', first_name: '=1+1', last_name: 'Ünïcödé, "quoted"',
    tags: ['Complained', 'a, b'], attributes: { 'app.plan': 'gold', score: '-5' },
  });
  const users = new UsersPage(page);
  await users.openSignedIn();
  await users.addCondition({ column: 'Tags', fn: 'has', value: 'Complained' });
  await users.apply();
  const expected = await idsMatching({ column: 'tags', function: 'has', value: 'Complained' });
  expect(await users.usersTotal()).toBe(expected.length);

  await expect(page.getByText('Export CSV exports everyone this filter matches.')).toBeVisible();
  await page.getByRole('button', { name: 'Export CSV', exact: true }).click();
  const download = page.getByRole('link', { name: 'Download File' });
  await expect(download).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`Your export is ready: ${expected.length.toLocaleString('en-US')} users`)).toBeVisible();
  await page.screenshot({ path: 'test-results/export-ready.png' });

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toMatch(/^pizza-palace-users-\d{8}T\d{6}Z\.csv$/);
  const bytes = await readFile((await file.path()) ?? '');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parseCsv(bytes.subarray(3).toString('utf8'));
  const [header, ...rows] = records;
  expect(header.slice(0, FIXED_COLUMNS.length)).toEqual(FIXED_COLUMNS);
  const attributes = header.slice(FIXED_COLUMNS.length);
  expect(attributes).toEqual([...attributes].sort());
  expect(attributes).toContain('attr:app.plan');
  expect(rows.map((row) => row[0]).sort()).toEqual([...expected].sort());

  const ours = rows.find((row) => row[4] === 'e2e-export') ?? [];
  expect(ours[1]).toBe("'=1+1");
  expect(ours[2]).toBe('Ünïcödé, "quoted"');
  expect(ours[14].split(', ')).toContain('Complained');
  expect(ours[header.indexOf('attr:app.plan')]).toBe('gold');
  expect(ours[header.indexOf('attr:score')]).toBe('-5');

  // The ready file survives a reload until it is dismissed.
  await page.reload();
  await expect(page.getByRole('link', { name: 'Download File' })).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss the export notice' }).click();
  await page.reload();
  await users.waitForResults();
  await expect(page.getByRole('link', { name: 'Download File' })).toHaveCount(0);

  // The Exports panel lists it, with who started it.
  await page.getByRole('button', { name: 'Exports', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Exports' });
  await expect(panel.getByText(`${expected.length.toLocaleString('en-US')} users`)).toBeVisible();
  await expect(panel.getByText(/demo@example\.com/)).toBeVisible();
  await page.screenshot({ path: 'test-results/exports-panel.png' });
  await panel.getByRole('button', { name: 'Remove' }).first().click();
  await expect(panel.getByText('No exports yet.')).toBeVisible();
});

test('export the selected users only', async ({ page }) => {
  const users = new UsersPage(page);
  await users.openSignedIn();
  const rows = users.bodyRows;
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(2).getByRole('checkbox').check();
  const chosen = await Promise.all(
    [0, 2].map((n) => rows.nth(n).locator('.user__open').getAttribute('id')),
  );
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Export CSV', exact: true }).click();
  const download = page.getByRole('link', { name: 'Download File' });
  await expect(download).toBeVisible({ timeout: 30_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const text = (await readFile((await file.path()) ?? '')).subarray(3).toString('utf8');
  const [, ...records] = parseCsv(text);
  expect(records.map((row) => `open-user-${row[0]}`).sort()).toEqual([...chosen].sort());
});
