// The REST API as the e2e suite's witness: counts from the server itself (with the demo
// workspace's API token), to hold what the app shows against.
import { expect, request } from '@playwright/test';

function token(): string {
  const value = process.env.COHORT_TOKEN ?? '';
  expect(value, 'COHORT_TOKEN must hold an API token of the demo workspace').not.toBe('');
  return value;
}

async function api() {
  return request.newContext({
    baseURL: process.env.COHORT_URL,
    extraHTTPHeaders: { Authorization: `Bearer ${token()}` },
  });
}

/** The demo bot's id. */
export async function demoBotId(): Promise<string> {
  const context = await api();
  const response = await context.get('/api/v1/bots');
  expect(response.ok()).toBe(true);
  const body = await response.json();
  await context.dispose();
  return body.data[0].id as string;
}

/** How many of the demo bot's users `filter` selects, by `POST /users/count`. */
export async function countMatching(filter: unknown): Promise<number> {
  const bot = await demoBotId();
  const context = await api();
  const response = await context.post(`/api/v1/bots/${bot}/users/count`, {
    data: { selection: { filter, except_ids: [] } },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const body = await response.json();
  await context.dispose();
  return body.count as number;
}

/** Creates (or updates) a user of the demo bot by `(channel, external_id)`. */
export async function upsertUser(user: Record<string, unknown>): Promise<string> {
  const bot = await demoBotId();
  const context = await api();
  const response = await context.post(`/api/v1/bots/${bot}/users`, { data: user });
  expect(response.ok(), await response.text()).toBe(true);
  const body = await response.json();
  await context.dispose();
  return body.id as string;
}

/** One user of the demo bot as the API gives it. */
export async function getUser(id: string): Promise<Record<string, unknown>> {
  const bot = await demoBotId();
  const context = await api();
  const response = await context.get(`/api/v1/bots/${bot}/users/${id}`);
  expect(response.ok(), await response.text()).toBe(true);
  const body = await response.json();
  await context.dispose();
  return body;
}

/** The sum of every demo user's sessions, page by page. */
export async function totalSessions(): Promise<number> {
  const bot = await demoBotId();
  const context = await api();
  let sum = 0;
  let cursor: string | null = null;
  do {
    const response = await context.post(`/api/v1/bots/${bot}/users/search`, {
      data: { limit: 500, cursor },
    });
    expect(response.ok(), await response.text()).toBe(true);
    const page = await response.json();
    for (const user of page.data) sum += user.sessions as number;
    cursor = page.next_cursor;
  } while (cursor);
  await context.dispose();
  return sum;
}

/** The ids of the demo bot's users that `filter` selects, by `POST /users/search`. */
export async function idsMatching(filter: unknown): Promise<string[]> {
  const bot = await demoBotId();
  const context = await api();
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await context.post(`/api/v1/bots/${bot}/users/search`, {
      data: { filter, limit: 500, cursor },
    });
    expect(response.ok(), await response.text()).toBe(true);
    const page = await response.json();
    for (const user of page.data) ids.push(user.id as string);
    cursor = page.next_cursor;
  } while (cursor);
  await context.dispose();
  return ids;
}
