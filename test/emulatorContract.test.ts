/**
 * The emulator's answer fields, route by route, as Limitly's REST reference and both official SDKs
 * document them (`../shared/limitly-api.md`; the Python SDK's dataclasses in `limitly-python` 1.0.3,
 * whose client builds `ApiResponse(**body)` or, for list calls, `PaginatedResponse(**body)` from
 * the top-level keys, so any other top-level key is a `TypeError` there). A field that goes missing,
 * or a top-level key the Python SDK cannot take, fails its row. Over real HTTP.
 */
import { rawCall } from "./support/rawCall";
import { startEmulator, type Emulator } from "../src/emulator";

const KEY = "lk_acct_contract_0001";

const KEY_FIELDS = [
  "id",
  "name",
  "status",
  "user_id",
  "plan_id",
  "metadata",
  "created_at",
  "updated_at",
  "last_used_at",
];
const PLAN_FIELDS = [
  "id",
  "owner_id",
  "name",
  "description",
  "max_requests",
  "request_period",
  "is_active",
  "created_at",
  "updated_at",
];
const USER_FIELDS = ["user_id", "name", "email", "is_disabled", "plan_id", "custom_start", "created_at", "updated_at"];
const LIMIT_INFO = ["can_create", "current_count", "max_allowed", "remaining_keys", "plan_type"];
const KEY_USAGE_REST = ["current_usage", "limit", "remaining", "reset_time", "period"];
const KEY_USAGE_SDK = [
  "apiKeyId",
  "apiKeyName",
  "created_at",
  "periodStart",
  "periodEnd",
  "totalRequests",
  "requestsInPeriod",
  "percentageUsed",
  "limit",
  "planName",
  "isUnlimited",
];
const REQUEST_REST = ["timestamp", "endpoint", "method", "status", "ip_address"];
const REQUEST_SDK = ["api_key_id", "created_at", "endpoint", "method", "status_code", "response_time_ms"];
const HISTORY_SDK = ["totalRequests", "requestsInPeriod", "requestsInPeriodDetails", "periodStart", "periodEnd"];

/** Ids of the objects the rows ask about, made once per test by {@link fixtures}. */
interface Ids {
  key: string;
  plan: string;
  user: number;
  value: string;
}

/**
 * One route: how to call it, whether the Python SDK treats it as a list call, and the fields its
 * `data` must carry. `fields` holds for `data` itself, or for each item when `data` is an array;
 * `nested` names fields inside a member of `data` (for an array member, inside each item).
 */
interface Row {
  route: string;
  call: (ids: Ids) => { method: "GET" | "POST" | "PUT" | "DELETE"; path: string; body?: unknown };
  list?: boolean;
  fields: string[];
  nested?: Record<string, string[]>;
  /** Where the fields come from. */
  source: string;
}

const TABLE: Row[] = [
  {
    route: "GET /keys",
    call: () => ({ method: "GET", path: "/keys" }),
    list: true,
    fields: KEY_FIELDS,
    source: "REST; Python ApiKey",
  },
  {
    route: "POST /keys",
    call: () => ({ method: "POST", path: "/keys", body: { name: "new" } }),
    fields: [...KEY_FIELDS, "api_key", "limitInfo"],
    nested: { limitInfo: LIMIT_INFO },
    source: "REST; Python ApiKey, LimitInfo",
  },
  {
    route: "GET /keys/{id}",
    call: (i) => ({ method: "GET", path: `/keys/${i.key}` }),
    fields: KEY_FIELDS,
    source: "REST",
  },
  {
    route: "PUT /keys/{id}",
    call: (i) => ({ method: "PUT", path: `/keys/${i.key}`, body: { name: "renamed" } }),
    fields: KEY_FIELDS,
    source: "REST",
  },
  {
    route: "POST /keys/{id}/regenerate",
    call: (i) => ({ method: "POST", path: `/keys/${i.key}/regenerate` }),
    fields: [...KEY_FIELDS, "api_key"],
    source: "REST",
  },
  {
    route: "GET /keys/{id}/usage",
    call: (i) => ({ method: "GET", path: `/keys/${i.key}/usage` }),
    fields: [...KEY_USAGE_REST, ...KEY_USAGE_SDK],
    source: "REST; JS docs; Python ApiKeyUsage",
  },
  {
    route: "GET /keys/{id}/requests",
    call: (i) => ({ method: "GET", path: `/keys/${i.key}/requests` }),
    fields: ["requests", "count", "apiKeyId", "apiKeyName", "created_at", ...HISTORY_SDK],
    nested: { requests: REQUEST_REST, requestsInPeriodDetails: REQUEST_SDK },
    source: "REST; JS docs; Python ApiKeyRequestsResponse, ApiKeyRequest",
  },
  {
    route: "GET /plans",
    call: () => ({ method: "GET", path: "/plans" }),
    list: true,
    fields: PLAN_FIELDS,
    source: "REST; Python Plan",
  },
  {
    route: "POST /plans",
    call: () => ({ method: "POST", path: "/plans", body: { name: "P", max_requests: 5, request_period: "day" } }),
    fields: PLAN_FIELDS,
    source: "REST; Python Plan",
  },
  {
    route: "GET /plans/{id}",
    call: (i) => ({ method: "GET", path: `/plans/${i.plan}` }),
    fields: PLAN_FIELDS,
    source: "Python Plan",
  },
  {
    route: "PUT /plans/{id}",
    call: (i) => ({ method: "PUT", path: `/plans/${i.plan}`, body: { description: "d" } }),
    fields: PLAN_FIELDS,
    source: "Python Plan",
  },
  {
    route: "GET /plans/{id}/usage",
    call: (i) => ({ method: "GET", path: `/plans/${i.plan}/usage` }),
    fields: [
      "plan_id",
      "plan_name",
      "max_requests",
      "request_period",
      "total_requests",
      "percentage_used",
      "users_count",
      "api_keys_count",
      "is_unlimited",
    ],
    source: "Python PlanUsage",
  },
  {
    route: "GET /plans/{id}/users",
    call: (i) => ({ method: "GET", path: `/plans/${i.plan}/users` }),
    fields: ["plan", "users"],
    nested: { plan: PLAN_FIELDS, users: USER_FIELDS },
    source: "Python PlanUsersResponse",
  },
  {
    route: "GET /plans/{id}/keys",
    call: (i) => ({ method: "GET", path: `/plans/${i.plan}/keys` }),
    fields: ["plan", "api_keys"],
    nested: { plan: PLAN_FIELDS, api_keys: KEY_FIELDS },
    source: "Python PlanKeysResponse",
  },
  {
    route: "GET /users",
    call: () => ({ method: "GET", path: "/users" }),
    list: true,
    fields: USER_FIELDS,
    source: "REST; Python User",
  },
  {
    route: "POST /users",
    call: () => ({ method: "POST", path: "/users", body: { name: "U" } }),
    fields: USER_FIELDS,
    source: "REST; Python User",
  },
  {
    route: "GET /users/{id}",
    call: (i) => ({ method: "GET", path: `/users/${i.user}` }),
    fields: USER_FIELDS,
    source: "Python User",
  },
  {
    route: "PUT /users/{id}",
    call: (i) => ({ method: "PUT", path: `/users/${i.user}`, body: { email: "u@example.com" } }),
    fields: USER_FIELDS,
    source: "Python User",
  },
  {
    route: "GET /users/{id}/usage",
    call: (i) => ({ method: "GET", path: `/users/${i.user}/usage` }),
    fields: [
      "type",
      "user_name",
      "current_usage",
      "limit",
      "percentage_used",
      "plan_name",
      "period_start",
      "period_end",
      "is_unlimited",
    ],
    source: "Python UserUsage",
  },
  {
    route: "GET /users/{id}/keys",
    call: (i) => ({ method: "GET", path: `/users/${i.user}/keys` }),
    list: true,
    fields: KEY_FIELDS,
    source: "Python get_keys (a list call)",
  },
  {
    route: "POST /users/{id}/keys",
    call: (i) => ({ method: "POST", path: `/users/${i.user}/keys`, body: { name: "k2" } }),
    fields: [...KEY_FIELDS, "api_key", "limitInfo"],
    nested: { limitInfo: LIMIT_INFO },
    source: "Python create_key",
  },
  {
    route: "GET /users/{id}/requests",
    call: (i) => ({ method: "GET", path: `/users/${i.user}/requests` }),
    fields: ["requests", "count", ...HISTORY_SDK],
    nested: { requests: REQUEST_REST, requestsInPeriodDetails: REQUEST_SDK },
    source: "REST (user history, same shape as a key's)",
  },
  {
    route: "DELETE /keys/{id}",
    call: (i) => ({ method: "DELETE", path: `/keys/${i.key}` }),
    fields: ["message"],
    source: "REST",
  },
];

let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0 });
});
afterEach(() => emu.close());

const call = (method: string, path: string, body?: unknown) => rawCall(emu.url, KEY, method, path, body);

/** A plan, a user on it, a key of that user used twice: every list has an item, every figure a value. */
async function fixtures(): Promise<Ids> {
  const plan = (await call("POST", "/plans", { name: "Pro", max_requests: 100, request_period: "month" })).json.data;
  const user = (await call("POST", "/users", { name: "Ada", email: "ada@example.com", plan_id: plan.id })).json.data;
  const key = (await call("POST", "/keys", { name: "k", user_id: user.user_id, plan_id: plan.id })).json.data;
  for (let i = 0; i < 2; i++) await call("POST", "/validate", { api_key: key.api_key, endpoint: "/x", method: "GET" });
  return { key: key.id, plan: plan.id, user: user.user_id, value: key.api_key };
}

const missing = (obj: Record<string, unknown>, fields: string[]) => fields.filter((f) => !(f in obj));

test.each(TABLE.map((r) => [r.route, r] as const))("%s answers every documented field", async (_route, row) => {
  const ids = await fixtures();
  const { method, path, body } = row.call(ids);
  const { status, json } = await call(method, path, body);
  expect(status).toBeLessThan(300);
  // The Python SDK's envelope: `success`, `data`, `error`, `message`, and `count` for list calls only.
  const allowed = ["success", "data", "error", "message", ...(row.list ? ["count"] : [])];
  expect(Object.keys(json).filter((k) => !allowed.includes(k))).toEqual([]);
  expect(json.success).toBe(true);
  const items: Record<string, unknown>[] = Array.isArray(json.data) ? json.data : [json.data];
  expect(Array.isArray(json.data)).toBe(row.list === true);
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    expect({ route: row.route, missing: missing(item, row.fields) }).toEqual({ route: row.route, missing: [] });
    for (const [member, fields] of Object.entries(row.nested ?? {})) {
      const inner = item[member];
      const list = (Array.isArray(inner) ? inner : [inner]) as Record<string, unknown>[];
      expect({ member, items: list.length }).toEqual({ member, items: expect.any(Number) });
      expect(list.length).toBeGreaterThan(0);
      for (const x of list) expect({ member, missing: missing(x, fields) }).toEqual({ member, missing: [] });
    }
  }
});

test("POST /validate answers the JS documentation's and the Python SDK's ValidationDetails", async () => {
  const ids = await fixtures();
  const { json } = await call("POST", "/validate", { api_key: ids.value, endpoint: "/x", method: "GET" });
  expect(Object.keys(json).filter((k) => !["success", "message", "error", "details"].includes(k))).toEqual([]);
  expect(json.success).toBe(true);
  expect(
    missing(json.details, [
      "current_usage",
      "limit",
      "remaining",
      "reset_time",
      "plan_name",
      "period_start",
      "period_end",
    ]),
  ).toEqual([]);
  expect(Date.parse(json.details.period_end)).toBe(Date.parse(json.details.reset_time));
});

test("the two shapes of one answer agree: usage and request history count the same requests", async () => {
  const ids = await fixtures();
  const usage = (await call("GET", `/keys/${ids.key}/usage`)).json.data;
  expect(usage.requestsInPeriod).toBe(usage.current_usage);
  expect(usage.current_usage).toBe(2);
  expect(usage.totalRequests).toBe(2);
  expect(usage.percentageUsed).toBe(2);
  expect(usage.isUnlimited).toBe(false);
  expect(usage.planName).toBe("Pro");
  expect(usage.periodEnd).toBe(usage.reset_time);
  const history = (await call("GET", `/keys/${ids.key}/requests`)).json.data;
  expect(history.requests).toHaveLength(2);
  expect(history.requestsInPeriodDetails).toHaveLength(2);
  expect(history.totalRequests).toBe(history.count);
  expect(history.requestsInPeriodDetails.map((r: { created_at: string }) => r.created_at)).toEqual(
    history.requests.map((r: { timestamp: string }) => r.timestamp),
  );
  expect(history.requestsInPeriodDetails[0]).toMatchObject({ api_key_id: ids.key, status_code: 200 });
});
