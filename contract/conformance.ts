// Every answer the server gives matches openapi/openapi.json: a tour of every operation,
// successes and the errors an integrator meets, with each response checked against the
// document by a JSON Schema (2020-12) validator. A response fails the check when
// - its status is not listed for the operation (the `default` response is for statuses
//   nobody can plan for, such as 500 and 503, and is not accepted in their place);
// - its content type is not the documented one, or a 204 has a body;
// - its body does not validate against the documented schema (formats included).
// Every operation of the document must be answered at least once, so a new endpoint cannot
// go unchecked. `contract/run.sh` runs it against a live server (COHORT_URL, COHORT_TOKEN,
// and an admin COHORT_ADMIN_EMAIL / COHORT_ADMIN_PASSWORD of the token's workspace).
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/cohort.js";

type Schemas = components["schemas"];
type Operation = {
  responses: Record<string, { content?: Record<string, unknown> }>;
};

const specUrl = new URL("../../openapi/openapi.json", import.meta.url);
const spec = JSON.parse(readFileSync(specUrl, "utf8")) as {
  paths: Record<string, Record<string, Operation>>;
};
const methods = ["get", "post", "put", "patch", "delete"];

// The document is one schema resource, so its `#/components/...` references resolve;
// OpenAPI's own keywords (`example`, `discriminator`) are annotations to the validator.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
addFormats(ajv);
ajv.addSchema(spec, "cohort");

/** `/api/v1/bots/{bot}` → `/api~1v1~1bots~1{bot}`, for a JSON pointer. */
const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

const mismatches: string[] = [];
const answered = new Set<string>();
let checked = 0;

/** Checks one response against the document's operation `method path`. */
async function check(method: string, path: string, response: Response): Promise<void> {
  checked += 1;
  const operation = spec.paths[path]?.[method];
  const where = `${method.toUpperCase()} ${path} → ${response.status}`;
  answered.add(`${method} ${path}`);
  if (operation === undefined) {
    mismatches.push(`${where}: the operation is not in the document`);
    return;
  }
  const status = String(response.status);
  const documented = operation.responses[status];
  if (documented === undefined) {
    mismatches.push(`${where}: the status is not documented (only ${Object.keys(operation.responses).join(", ")})`);
    return;
  }
  const body = await response.clone().text();
  const content = documented.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    if (body !== "") mismatches.push(`${where}: documented without a body, sent ${body.length} bytes`);
    return;
  }
  const sent = response.headers.get("content-type") ?? "";
  const mediaType = mediaTypes.find((type) => type.split(";")[0]?.trim() === sent.split(";")[0]?.trim());
  if (mediaType === undefined) {
    mismatches.push(`${where}: content type ${sent}, documented ${mediaTypes.join(" or ")}`);
    return;
  }
  const pointer = `cohort#/paths/${escape(path)}/${method}/responses/${status}/content/${escape(mediaType)}/schema`;
  const validate = ajv.getSchema(pointer);
  if (validate === undefined) {
    mismatches.push(`${where}: no schema at ${pointer}`);
    return;
  }
  let value: unknown = body;
  if (mediaType.includes("json")) {
    try {
      value = JSON.parse(body);
    } catch {
      mismatches.push(`${where}: the body is not JSON: ${body.slice(0, 200)}`);
      return;
    }
  }
  if (!validate(value)) {
    mismatches.push(`${where}: ${ajv.errorsText(validate.errors)} in ${body.slice(0, 300)}`);
  }
}

const conformance: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    await check(request.method.toLowerCase(), schemaPath, response);
    return undefined;
  },
};

const baseUrl = process.env.COHORT_URL ?? "";
const token = process.env.COHORT_TOKEN ?? "";
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
client.use(conformance);
const anonymous = createClient<paths>({ baseUrl });
anonymous.use(conformance);

/** The data of a successful answer; anything else stops the tour with the problem. */
function ok<T>(what: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${what}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

/** Asserts the status of an answer the tour expects to fail. */
function refused(what: string, answer: { response: Response }, status: number): void {
  if (answer.response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.response.status}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Health, and the session routes (a cookie session, as the app signs in).
await anonymous.GET("/healthz");
await anonymous.GET("/readyz");
refused("healthz with a control character in the query", await anonymous.GET("/healthz", { params: { query: { x: "a\u0001" } as never } }), 400);
refused("me without a session", await anonymous.GET("/api/v1/auth/me"), 401);
refused(
  "sign in with a wrong password",
  await anonymous.POST("/api/v1/auth/login", { body: { email: process.env.COHORT_ADMIN_EMAIL ?? "", password: "wrong" } }),
  401,
);
const signedIn = await anonymous.POST("/api/v1/auth/login", {
  body: { email: process.env.COHORT_ADMIN_EMAIL ?? "", password: process.env.COHORT_ADMIN_PASSWORD ?? "" },
});
ok("sign in", signedIn);
const cookie = (signedIn.response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const session = { headers: { Cookie: cookie } };
ok("me", await anonymous.GET("/api/v1/auth/me", session));
refused("sign out without the CSRF header", await anonymous.POST("/api/v1/auth/logout", session), 403);
await anonymous.POST("/api/v1/auth/logout", { headers: { Cookie: cookie, "X-Cohort-CSRF": "1" } });

// Bots.
refused("no token", await anonymous.GET("/api/v1/bots"), 401);
refused("a bot without a name", await client.POST("/api/v1/bots", { body: { name: "", session_timeout_secs: 600 } }), 400);
refused(
  "a body that is not JSON",
  await client.POST("/api/v1/bots", { body: "nope" as never, bodySerializer: (body) => String(body), headers: { "Content-Type": "text/plain" } }),
  415,
);
refused(
  "a body over the limit",
  await client.POST("/api/v1/sentiment", { body: { texts: ["x".repeat(9 * 1024 * 1024)] } }),
  413,
);
const created = ok("create a bot", await client.POST("/api/v1/bots", { body: { name: "Conformance", session_timeout_secs: 600 } }));
const bot = created.id;
const path = { bot };
ok("list bots", await client.GET("/api/v1/bots"));
ok("read the bot", await client.GET("/api/v1/bots/{bot}", { params: { path } }));
refused("an unknown bot", await client.GET("/api/v1/bots/{bot}", { params: { path: { bot: "999999" } } }), 404);
refused("a control character in a path", await client.GET("/api/v1/bots/{bot}", { params: { path: { bot: "a\u0007" } } }), 400);
ok("rename the bot", await client.PATCH("/api/v1/bots/{bot}", { params: { path }, body: { name: "Conformance Bot" } }));
refused("a session timeout out of range", await client.PATCH("/api/v1/bots/{bot}", { params: { path }, body: { session_timeout_secs: 0 } }), 400);

// Users.
const user = ok(
  "create a user",
  await client.POST("/api/v1/bots/{bot}/users", {
    params: { path },
    body: { channel: "telegram", external_id: "42", first_name: "Yin Yin", last_name: "Tan", tags: ["vip"], attributes: { fav_food: "pizza" } },
  }),
);
ok("create the same user again (an upsert)", await client.POST("/api/v1/bots/{bot}/users", { params: { path }, body: { channel: "telegram", external_id: "42" } }));
ok(
  "create a second user",
  await client.POST("/api/v1/bots/{bot}/users", { params: { path }, body: { channel: "web", external_id: "43", first_name: "Ali" } }),
);
refused(
  "a user without an external id",
  await client.POST("/api/v1/bots/{bot}/users", { params: { path }, body: { channel: "web", external_id: "" } }),
  400,
);
const userPath = { bot, user: user.id };
ok("read a user", await client.GET("/api/v1/bots/{bot}/users/{user}", { params: { path: userPath } }));
refused("an unknown user", await client.GET("/api/v1/bots/{bot}/users/{user}", { params: { path: { bot, user: "999999" } } }), 404);
ok(
  "edit a user",
  await client.PATCH("/api/v1/bots/{bot}/users/{user}", { params: { path: userPath }, body: { email: "yinyin@example.com", attributes: { plan: "pro" } } }),
);
refused(
  "a bad email",
  await client.PATCH("/api/v1/bots/{bot}/users/{user}", { params: { path: userPath }, body: { email: "not an email" } }),
  400,
);
const seedFilter: Schemas["Filter"] = { column: "first_name", function: "contains", value: "Yin Yin" };
ok("list users", await client.GET("/api/v1/bots/{bot}/users", { params: { path, query: { limit: 1, sort: "-sessions" } } }));
const page = ok("list users by filter", await client.GET("/api/v1/bots/{bot}/users", { params: { path, query: { limit: 1, filter: JSON.stringify(seedFilter) } } }));
refused("a page size of 0", await client.GET("/api/v1/bots/{bot}/users", { params: { path, query: { limit: 0 as never } } }), 400);
refused("an unknown sort", await client.GET("/api/v1/bots/{bot}/users", { params: { path, query: { sort: "shoe_size" as never } } }), 400);
refused("a bad cursor", await client.GET("/api/v1/bots/{bot}/users", { params: { path, query: { cursor: "nope" } } }), 400);
ok("search", await client.POST("/api/v1/bots/{bot}/users/search", { params: { path }, body: { filter: { any: [seedFilter, { column: "tags", function: "has", value: "vip" }] }, limit: 1 } }));
if (page.next_cursor !== null) {
  ok("the next page", await client.POST("/api/v1/bots/{bot}/users/search", { params: { path }, body: { limit: 1, cursor: page.next_cursor } }));
}
refused(
  "a function that does not fit the column",
  await client.POST("/api/v1/bots/{bot}/users/search", { params: { path }, body: { filter: { column: "sessions", function: "contains", value: "x" } } }),
  400,
);
ok("count", await client.POST("/api/v1/bots/{bot}/users/count", { params: { path }, body: { selection: { filter: seedFilter } } }));
ok("count by ids", await client.POST("/api/v1/bots/{bot}/users/count", { params: { path }, body: { selection: { ids: [user.id] } } }));
ok("columns", await client.GET("/api/v1/bots/{bot}/columns", { params: { path } }));
ok("tags", await client.GET("/api/v1/bots/{bot}/tags", { params: { path } }));

// Bulk actions, the audit log.
const everyone: Schemas["Selection"] = { filter: { all: [] } };
for (const action of [
  { type: "add_tags", tags: ["conformance"] },
  { type: "remove_tags", tags: ["vip"] },
  { type: "set_attributes", attributes: { tier: "gold" } },
  { type: "remove_attributes", keys: ["tier"] },
] satisfies Schemas["BulkAction"][]) {
  ok(`bulk ${action.type}`, await client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path }, body: { selection: everyone, action } }));
}
refused(
  "a delete whose confirmation is not the count",
  await client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path }, body: { selection: everyone, action: { type: "delete", confirm: 1 } } }),
  409,
);
ok("the audit log", await client.GET("/api/v1/bots/{bot}/audit", { params: { path, query: { limit: 10 } } }));

// Events, messages, sentiment.
const events: Schemas["EventInput"][] = [
  { id: "c-1", type: "message", channel: "telegram", external_user_id: "42", text: "so slow!", at: "2026-11-01T10:00:00Z" },
  { id: "c-2", type: "click", channel: "telegram", external_user_id: "42", url: "https://example.com/menu", at: "2026-11-01T10:03:00Z" },
  { id: "c-3", type: "message", channel: "telegram", external_user_id: "42", text: "thanks, great", at: "2026-11-01T10:04:00Z" },
];
ok("post events", await client.POST("/api/v1/bots/{bot}/events", { params: { path }, body: { events } }));
ok("post them again (duplicates)", await client.POST("/api/v1/bots/{bot}/events", { params: { path }, body: { events } }));
refused(
  "an event with a bad time",
  await client.POST("/api/v1/bots/{bot}/events", { params: { path }, body: { events: [{ ...events[0]!, id: "c-4", at: "yesterday" }] } }),
  400,
);
ok("a user's messages", await client.GET("/api/v1/bots/{bot}/users/{user}/messages", { params: { path: userPath, query: { limit: 1 } } }));
ok("score texts", await client.POST("/api/v1/sentiment", { body: { texts: ["hahaha", "hello", "so slow!"] } }));
refused("no texts", await client.POST("/api/v1/sentiment", { body: { texts: [] } }), 400);

/** Polls a job until it ends. */
async function finished(job: string): Promise<Schemas["Job"]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const read = ok("read a job", await client.GET("/api/v1/bots/{bot}/jobs/{job}", { params: { path: { bot, job } } }));
    if (read.status === "succeeded" || read.status === "failed") return read;
    await sleep(50);
  }
  throw new Error(`job ${job} did not end`);
}

// Jobs: Refresh Stats and an export, downloaded whole and by range.
const refresh = ok("refresh stats", await client.POST("/api/v1/bots/{bot}/stats/refresh", { params: { path } }));
await finished(refresh.id);
refused("an unknown job", await client.GET("/api/v1/bots/{bot}/jobs/{job}", { params: { path: { bot, job: "999999" } } }), 404);
const queued = ok("export", await client.POST("/api/v1/bots/{bot}/exports", { params: { path }, body: { selection: everyone } }));
const exportPath = { bot, export: queued.id };
refused(
  "download an unknown export",
  await client.GET("/api/v1/bots/{bot}/exports/{export}/download", { params: { path: { bot, export: "999999" } }, parseAs: "text" }),
  404,
);
await finished(queued.id);
ok("read the export", await client.GET("/api/v1/bots/{bot}/exports/{export}", { params: { path: exportPath } }));
ok("list exports", await client.GET("/api/v1/bots/{bot}/exports", { params: { path } }));
ok("download", await client.GET("/api/v1/bots/{bot}/exports/{export}/download", { params: { path: exportPath }, parseAs: "text" }));
ok(
  "download a range",
  await client.GET("/api/v1/bots/{bot}/exports/{export}/download", { params: { path: exportPath }, headers: { Range: "bytes=0-9" }, parseAs: "text" }),
);
refused(
  "a range past the end",
  await client.GET("/api/v1/bots/{bot}/exports/{export}/download", { params: { path: exportPath }, headers: { Range: "bytes=99999999-" }, parseAs: "text" }),
  416,
);
ok("the audit log, with the downloads", await client.GET("/api/v1/bots/{bot}/audit", { params: { path, query: { limit: 10 } } }));
await client.DELETE("/api/v1/bots/{bot}/exports/{export}", { params: { path: exportPath } });
refused(
  "download a deleted export",
  await client.GET("/api/v1/bots/{bot}/exports/{export}/download", { params: { path: exportPath }, parseAs: "text" }),
  404,
);

// Deletes last.
await client.DELETE("/api/v1/bots/{bot}/users/{user}", { params: { path: userPath } });
const left = ok("count everyone", await client.POST("/api/v1/bots/{bot}/users/count", { params: { path }, body: { selection: everyone } }));
ok(
  "delete everyone, confirmed",
  await client.POST("/api/v1/bots/{bot}/users/bulk", { params: { path }, body: { selection: everyone, action: { type: "delete", confirm: left.count } } }),
);
await client.DELETE("/api/v1/bots/{bot}", { params: { path } });

const missing = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((method) => methods.includes(method) && !answered.has(`${method} ${path}`))
    .map((method) => `${method.toUpperCase()} ${path}`),
);
for (const operation of missing) mismatches.push(`${operation}: never answered by the tour`);
for (const mismatch of mismatches) console.error(`mismatch: ${mismatch}`);
console.log(`conformance: ${checked} responses checked against the document, ${mismatches.length} mismatches`);
if (mismatches.length > 0) process.exit(1);
