// Page object of the Users page and its sign-in card: the words on screen live here, so
// specs read as user flows.
import { expect, type Locator, type Page } from '@playwright/test';

export const USERS_TABLE_HEADERS = [
  'Name',
  'Channel',
  'Sessions',
  'Messages Sent',
  'Clicks',
  'Time Spent',
  'Average Sentiment',
  'Last Message At',
  'Tags',
  'Attributes',
] as const;

export class UsersPage {
  readonly page: Page;
  readonly tokenInput: Locator;
  readonly continueButton: Locator;
  readonly signInError: Locator;
  readonly table: Locator;
  readonly tableRegion: Locator;
  readonly bodyRows: Locator;
  readonly usersCount: Locator;
  readonly searchInput: Locator;
  readonly applyButton: Locator;
  readonly loadMoreButton: Locator;
  readonly toast: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tokenInput = page.getByLabel('API token');
    this.continueButton = page.getByRole('button', { name: 'Continue' });
    this.signInError = page.locator('form').getByRole('alert');
    this.tableRegion = page.getByRole('region', { name: 'Users' });
    this.table = page.getByRole('table');
    this.bodyRows = this.table.locator('tbody').getByRole('row');
    this.usersCount = page.getByText(/^[\d,]+ users?$/);
    this.searchInput = page.getByLabel('Search by first name');
    this.applyButton = page.getByRole('button', { name: 'Apply', exact: true });
    this.loadMoreButton = page.getByRole('button', { name: 'Load more' });
    this.toast = page.locator('.toast-region').getByRole('alert');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  /** Opens the app and signs in with the demo workspace's token (`COHORT_TOKEN`). */
  async openSignedIn(): Promise<void> {
    const token = process.env.COHORT_TOKEN ?? '';
    expect(token, 'COHORT_TOKEN must hold an API token of the demo workspace').not.toBe('');
    await this.open();
    await this.signIn(token);
  }

  async signIn(token: string): Promise<void> {
    await this.tokenInput.fill(token);
    await this.continueButton.click();
  }

  columnHeader(name: string): Locator {
    return this.table.getByRole('columnheader', { name, exact: true });
  }

  /** The button in a sortable column's header. */
  sortButton(name: string): Locator {
    return this.columnHeader(name).getByRole('button');
  }

  /** The scores in the Average Sentiment column, top to bottom (users without one left out). */
  async sentimentScores(): Promise<number[]> {
    const cells = await this.bodyRows.locator('td.col-sentiment').allInnerTexts();
    return cells.map((text) => Number.parseFloat(text)).filter((score) => !Number.isNaN(score));
  }

  rowWith(text: string): Locator {
    return this.bodyRows.filter({ hasText: text });
  }

  /** Waits until no query is running, so the rows shown answer the latest one. */
  async waitForResults(): Promise<void> {
    await expect(this.tableRegion).toHaveAttribute('aria-busy', 'false');
  }

  /** Loads further pages until a row contains `text` or there are no more pages. */
  async loadMoreUntilRowWith(text: string): Promise<void> {
    await this.waitForResults();
    while ((await this.rowWith(text).count()) === 0 && (await this.loadMoreButton.isVisible())) {
      const rowsBefore = await this.bodyRows.count();
      await this.loadMoreButton.click();
      await expect(this.bodyRows).not.toHaveCount(rowsBefore);
    }
  }

  /** The button on a user's name that opens their page. */
  openButton(name: string): Locator {
    return this.table.getByRole('button', { name, exact: true });
  }

  /** The user's page, a dialog named after the user. */
  userDialog(name: string): Locator {
    return this.page.getByRole('dialog', { name });
  }

  async searchByFirstName(text: string): Promise<void> {
    await this.searchInput.fill(text);
    await this.applyButton.click();
  }

  /** The number in the "N users" line. */
  async usersTotal(): Promise<number> {
    const text = (await this.usersCount.textContent()) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }
}
