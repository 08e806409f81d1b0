// Requests the server refuses, each of which must not compile against the generated types.
// `contract/run.sh` checks both ways: with the `@ts-expect-error` lines this file compiles
// (so every marked line is an error), and without them tsc reports an error on each line.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/cohort.js";

type Schemas = components["schemas"];
const client = createClient<paths>({ baseUrl: "http://127.0.0.1:1" });
const seed: Schemas["Filter"] = { column: "first_name", function: "contains", value: "Yin Yin" };

export const mistakes = [
  // @ts-expect-error An empty selection: give `ids` or `filter`.
  client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot: "1" } }, body: { selection: {} } }),
  // @ts-expect-error Both `ids` and `filter`.
  client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot: "1" } }, body: { selection: { ids: ["1"], filter: seed } } }),
  // @ts-expect-error `except_ids` goes with `filter`, not with `ids`.
  client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot: "1" } }, body: { selection: { ids: ["1"], except_ids: ["2"] } } }),
  // @ts-expect-error No such event type.
  client.POST("/api/v1/bots/{bot}/events", { params: { path: { bot: "1" } }, body: { events: [{ id: "e", type: "clik", channel: "web", external_user_id: "1", url: "https://example.com", at: "2026-11-01T10:00:00Z" }] } }),
  // @ts-expect-error A message has `text`, not `url`.
  client.POST("/api/v1/bots/{bot}/events", { params: { path: { bot: "1" } }, body: { events: [{ id: "e", type: "message", channel: "web", external_user_id: "1", url: "https://example.com", at: "2026-11-01T10:00:00Z" }] } }),
  // @ts-expect-error Pages hold 1 to 500 users.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { limit: 0 } }),
  // @ts-expect-error Pages hold 1 to 500 users, in the query too.
  client.GET("/api/v1/bots/{bot}/users", { params: { path: { bot: "1" }, query: { limit: 501 } } }),
  // @ts-expect-error No such bulk action.
  client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path: { bot: "1" } }, body: { selection: { filter: seed }, action: { type: "add_tag", tags: ["vip"] } } }),
  // @ts-expect-error `add_tags` takes `tags`.
  client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path: { bot: "1" } }, body: { selection: { filter: seed }, action: { type: "add_tags", keys: ["vip"] } } }),
  // @ts-expect-error No such filter function.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "first_name", function: "containz", value: "Yin" } } }),
  // @ts-expect-error A relative time's unit is minutes, hours or days.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "last_message_at", function: "within_last", value: { amount: 7, unit: "weeks" } } } }),
  // @ts-expect-error `has` is a tags function, not a channel one.
  client.POST("/api/v1/bots/{bot}/users/count", { params: { path: { bot: "1" } }, body: { selection: { filter: { column: "channel", function: "has", value: "web" } } } }),
  // @ts-expect-error `within_last` takes `{amount, unit}`, not a number.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "last_message_at", function: "within_last", value: 7 } } }),
  // @ts-expect-error `has_any_of` takes a list of tags.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "tags", function: "has_any_of", value: "vip" } } }),
  // @ts-expect-error `is_set` takes no value.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "email", function: "is_set", value: "x" } } }),
  // @ts-expect-error `between` takes two numbers.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { all: [seed, { column: "sessions", function: "between", value: [1, "9"] }] } } }),
  // @ts-expect-error A time is compared with `before` and `after`, not `greater_than`.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { filter: { column: "created_at", function: "greater_than", value: "2026-11-01T00:00:00Z" } } }),
  // @ts-expect-error No such sort key.
  client.POST("/api/v1/bots/{bot}/users/search", { params: { path: { bot: "1" } }, body: { sort: "-nickname" } }),
];
