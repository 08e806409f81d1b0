// Page object of the Users page, its filter builder and the sign-in page: the words on
// screen live here, so specs read as user flows.
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

/** The demo admin's sign-in, from e2e/run.sh. */
export function demoAdmin(): { email: string; password: string } {
  const email = process.env.COHORT_EMAIL ?? '';
  const password = process.env.COHORT_PASSWORD ?? '';
  expect(email, 'COHORT_EMAIL must name the demo admin').not.toBe('');
  expect(password, 'COHORT_PASSWORD must hold the demo admin password').not.toBe('');
  return { email, password };
}

/** One condition as the admin picks it: the words in the Column and Function menus. */
export interface Condition {
  column: string;
  fn: string;
  value?: string;
}

export class UsersPage {
  readonly page: Page;
  readonly emailInput: Locator;
  readonly passwordInput: Locator;
  readonly signInButton: Locator;
  readonly signInError: Locator;
  readonly signOutButton: Locator;
  readonly table: Locator;
  readonly tableRegion: Locator;
  readonly bodyRows: Locator;
  readonly usersCount: Locator;
  readonly searchInput: Locator;
  readonly addFilterButton: Locator;
  readonly editor: Locator;
  readonly applyButton: Locator;
  readonly clearButton: Locator;
  readonly chips: Locator;
  readonly footerStatus: Locator;
  readonly nextButton: Locator;
  readonly previousButton: Locator;
  readonly pageSize: Locator;
  readonly toast: Locator;

  constructor(page: Page) {
    this.page = page;
    this.emailInput = page.getByLabel('Email');
    this.passwordInput = page.getByLabel('Password');
    this.signInButton = page.getByRole('button', { name: 'Sign in' });
    this.signInError = page.locator('form').getByRole('alert');
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
    this.tableRegion = page.getByRole('region', { name: 'Users' });
    this.table = page.getByRole('table');
    this.bodyRows = this.table.locator('tbody').getByRole('row');
    this.usersCount = page.locator('.users-count');
    this.searchInput = page.getByLabel('Search name, email or id');
    this.addFilterButton = page.getByRole('button', { name: 'Add Filter' });
    this.editor = page.getByRole('region', { name: 'Filter editor' });
    this.applyButton = this.editor.getByRole('button', { name: 'Apply', exact: true });
    this.clearButton = this.editor.getByRole('button', { name: 'Clear', exact: true });
    this.chips = page.getByRole('list', { name: 'Applied filters' }).getByRole('listitem');
    this.footerStatus = page.locator('.table-footer__status');
    this.nextButton = page.getByRole('button', { name: 'Next', exact: true });
    this.previousButton = page.getByRole('button', { name: 'Previous', exact: true });
    this.pageSize = page.getByLabel('Rows per page');
    this.toast = page.locator('.toast-region').getByRole('alert');
  }

  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
  }

  /** Opens `path` and signs in as the demo admin; waits for the first rows. */
  async openSignedIn(path = '/'): Promise<void> {
    await this.open(path);
    const { email, password } = demoAdmin();
    await this.signIn(email, password);
    await expect(this.table).toBeVisible();
    await this.waitForResults();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.emailInput.fill(email);
    await this.passwordInput.fill(password);
    await this.signInButton.click();
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

  /** The link on a user's name that opens their page. */
  openButton(name: string): Locator {
    return this.table.getByRole('link', { name, exact: true });
  }

  /** The user's page, a dialog named after the user. */
  userDialog(name: string): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Types into the quick search box and presses Enter. */
  async search(text: string): Promise<void> {
    await this.searchInput.fill(text);
    await this.searchInput.press('Enter');
    await this.waitForResults();
  }

  /** The editor's rows (Column · Function · Value), in document order. */
  filterRows(): Locator {
    return this.editor.locator('.filter-row');
  }

  /** Fills one editor row with a condition. */
  async fillRow(row: Locator, condition: Condition): Promise<void> {
    await row.getByLabel('Column', { exact: true }).selectOption({ label: condition.column });
    await row.getByLabel('Function', { exact: true }).selectOption({ label: condition.fn });
    if (condition.value !== undefined) {
      const value = row.getByLabel('Value', { exact: true });
      const tag = await value.evaluate((element) => element.tagName);
      if (tag === 'SELECT') {
        await value.selectOption({ label: condition.value });
      } else {
        await value.fill(condition.value);
      }
    }
  }

  /** Add Filter, then fill the new row with `condition`. */
  async addCondition(condition: Condition): Promise<void> {
    await this.addFilterButton.click();
    await expect(this.editor).toBeVisible();
    await this.fillRow(this.filterRows().last(), condition);
  }

  /** Apply, and wait for the table to answer. */
  async apply(): Promise<void> {
    await this.applyButton.click();
    await expect(this.editor).toHaveCount(0);
    await this.waitForResults();
  }

  /** The number in the "N users" line. */
  async usersTotal(): Promise<number> {
    const text = (await this.usersCount.textContent()) ?? '';
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** The words on the applied filters' chips. */
  async chipTexts(): Promise<string[]> {
    return (await this.chips.locator('.filter-chip__text').allInnerTexts()).map((text) =>
      text.trim(),
    );
  }
}
