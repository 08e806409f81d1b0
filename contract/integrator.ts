// A new integrator's first script, typed only by the types openapi-typescript generates
// from openapi/openapi.json: list bots, create a user with tags and attributes, search
// with the seed's filter and a nested group, count, tag everyone a filter matches, post
// events. `contract/run.sh` compiles it with `tsc --strict` and runs it against a live
// server (COHORT_URL, COHORT_TOKEN).
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/cohort.js";

type Schemas = components["schemas"];

const baseUrl = process.env.COHORT_URL ?? "";
const token = process.env.COHORT_TOKEN ?? "";
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

/** The data of a successful answer; anything else stops the script with the problem. */
function ok<T>(what: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${what}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

function expect(what: string, condition: boolean): void {
  if (!condition) throw new Error(`${what}: not as expected`);
  console.log(`ok: ${what}`);
}

const created = ok("create a bot", await client.POST("/api/v1/bots", { body: { name: "Integrator", session_timeout_secs: 600 } }));
const bots = ok("list bots", await client.GET("/api/v1/bots"));
expect("the new bot is listed", bots.data.some((bot: Schemas["Bot"]) => bot.id === created.id));
const bot = created.id;

const user = ok(
  "create a user",
  await client.POST("/api/v1/bots/{bot}/users", {
    params: { path: { bot } },
    body: {
      channel: "telegram",
      external_id: "42",
      first_name: "Yin Yin",
      last_name: "Tan",
      tags: ["vip"],
      attributes: { fav_food: "pizza" },
    },
  }),
);
expect("the user has its tags and attributes", user.tags.includes("vip") && user.attributes["fav_food"] === "pizza");
expect("a user without email has email null", user.email === null);

const seedFilter: Schemas["Filter"] = { column: "first_name", function: "contains", value: "Yin Yin" };
const nested: Schemas["Filter"] = {
  all: [
    seedFilter,
    { any: [{ column: "channel", function: "is", value: "telegram" }, { column: "tags", function: "has", value: "vip" }] },
    { column: "sessions", function: "between", value: [0, 10] },
    { column: "attributes.fav_food", function: "equals", value: "pizza" },
    { column: "channel", function: "is_any_of", value: ["telegram", "web"] },
  ],
};
const found = ok(
  "search with the seed's filter in a nested group",
  await client.POST("/api/v1/bots/{bot}/users/search", {
    params: { path: { bot } },
    body: { filter: nested, sort: "-last_message_at", limit: 50 },
  }),
);
expect("the search finds the user", found.total === 1 && found.data[0]?.id === user.id);

const listed = ok(
  "list with the filter in the query",
  await client.GET("/api/v1/bots/{bot}/users", {
    params: { path: { bot }, query: { filter: JSON.stringify(seedFilter), limit: 10, sort: "first_name" } },
  }),
);
expect("the list finds the user", listed.total === 1);

const selection: Schemas["Selection"] = { filter: seedFilter, except_ids: [] };
const counted = ok("count a selection", await client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot } }, body: { selection } }));
expect("the selection holds the user", counted.count === 1);

const action: Schemas["BulkAction"] = { type: "add_tags", tags: ["integrator"] };
const bulk = ok("tag everyone the filter matches", await client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path: { bot } }, body: { selection, action } }));
expect("the bulk action changed the user", bulk.affected === 1 && bulk.selected === 1);

const events: Schemas["EventInput"][] = [
  { id: "evt-1", type: "message", channel: "telegram", external_user_id: "42", text: "so slow!", at: "2026-11-01T10:00:00Z" },
  { id: "evt-2", type: "click", channel: "telegram", external_user_id: "42", url: "https://example.com/menu", at: "2026-11-01T10:03:00Z" },
];
const ingested = ok("post events", await client.POST("/api/v1/bots/{bot}/events", { params: { path: { bot } }, body: { events } }));
expect("both events are stored", ingested.accepted === 2 && ingested.duplicates === 0);

const after = ok("read the user", await client.GET("/api/v1/bots/{bot}/users/{user}", { params: { path: { bot, user: user.id } } }));
expect("the user has the new tag, a message and a click", after.tags.includes("integrator") && after.messages_sent === 1 && after.clicks === 1);

const audit = ok("read the audit log", await client.GET("/api/v1/bots/{bot}/audit", { params: { path: { bot }, query: { limit: 10 } } }));
const entry = audit.data[0];
expect("the audit entry is typed", entry?.action === "add_tags" && entry.details.type === "add_tags");

const problem = await client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot: "no-such-bot" } }, body: { selection } });
expect("an unknown bot is a typed 404 problem", problem.response.status === 404 && problem.error?.status === 404);

console.log("integrator: all steps passed");
