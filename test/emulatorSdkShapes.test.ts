/**
 * The routes and answer shapes the official Limitly SDK's types describe, the key quota, and the
 * client calls that use them: over real HTTP against the emulator.
 */
import { rawCall } from "./support/rawCall";
import { LimitlyClient, LimitlyError } from "../src";
import { startEmulator, type Emulator } from "../src/emulator";

const KEY = "lk_acct_sdk_shapes_0001";
let emu: Emulator;
let client: LimitlyClient;

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0 });
  client = new LimitlyClient({ apiKey: KEY, baseUrl: emu.url, requestsPerMinute: 0, maxRetries: 0 });
});
afterEach(async () => {
  await client.close();
  await emu.close();
});

const call = (method: string, path: string, body?: unknown) => rawCall(emu.url, KEY, method, path, body);

async function validate(value: string, times: number) {
  for (let i = 0; i < times; i++) await call("POST", "/validate", { api_key: value, endpoint: "/x", method: "GET" });
}

test("POST /users/{id}/keys creates a key of that user, with its value and the quota", async () => {
  const plan = await client.plans.create({ name: "Basic", maxRequests: 100, requestPeriod: "month" });
  const user = await client.users.create({ name: "Ada", planId: plan.id });
  const raw = await call("POST", `/users/${user.userId}/keys`, { name: "Ada's key" });
  expect(raw.status).toBe(201);
  expect(raw.json.data).toMatchObject({ name: "Ada's key", user_id: user.userId, plan_id: plan.id });
  expect(raw.json.data.limitInfo).toEqual({
    can_create: true,
    current_count: 1,
    max_allowed: 10_000,
    remaining_keys: 9_999,
    plan_type: "emulator",
  });
  const viaClient = await client.users.createKey(user.userId, { name: "second" });
  expect(viaClient.apiKey).toMatch(/^lk_user_/);
  expect(viaClient.limitInfo).toMatchObject({ canCreate: true, currentCount: 2, remainingKeys: 9_998 });
  expect((await client.users.keys(user.userId)).map((k) => k.name).sort()).toEqual(["Ada's key", "second"]);
  expect((await call("POST", "/users/999/keys", { name: "x" })).status).toBe(404);
  expect((await call("POST", `/users/${user.userId}/keys`, {})).json).toMatchObject({
    code: "VALIDATION_ERROR",
    details: { field: "name" },
  });
});

test("GET /plans/{id}/users and /plans/{id}/keys answer { plan, users } and { plan, api_keys }", async () => {
  const plan = await client.plans.create({ name: "Pro", maxRequests: 5, requestPeriod: "day" });
  const other = await client.plans.create({ name: "Other", maxRequests: 5, requestPeriod: "day" });
  const u1 = await client.users.create({ name: "U1", planId: plan.id });
  await client.users.create({ name: "U2", planId: other.id });
  await client.apiKeys.create({ name: "on plan", planId: plan.id, userId: u1.userId });
  await client.apiKeys.create({ name: "elsewhere", planId: other.id });
  const users = await call("GET", `/plans/${plan.id}/users`);
  expect(users.json).toMatchObject({
    success: true,
    data: { plan: { id: plan.id }, users: [{ name: "U1" }], count: 1 },
  });
  // Not a list call for the Python SDK, whose envelope takes no top-level `count` there.
  expect(Object.keys(users.json).sort()).toEqual(["data", "success"]);
  const keys = await call("GET", `/plans/${plan.id}/keys`);
  expect(keys.json.data.plan.id).toBe(plan.id);
  expect(keys.json.data.api_keys.map((k: { name: string }) => k.name)).toEqual(["on plan"]);
  expect(keys.json.data.api_keys[0].api_key).toBeUndefined();
  expect((await client.plans.users(plan.id)).map((u) => u.name)).toEqual(["U1"]);
  expect((await client.plans.keys(plan.id)).map((k) => k.name)).toEqual(["on plan"]);
});

test("plan and user usage have the SDK's shapes and count the requests of their keys", async () => {
  const plan = await client.plans.create({ name: "Metered", maxRequests: 4, requestPeriod: "month" });
  const user = await client.users.create({ name: "Grace", planId: plan.id });
  const key = await client.apiKeys.create({ name: "k", planId: plan.id, userId: user.userId });
  await validate(key.apiKey!, 6); // 4 allowed, 2 denied
  const planUsage = (await call("GET", `/plans/${plan.id}/usage`)).json.data;
  expect(planUsage).toEqual({
    plan_id: plan.id,
    plan_name: "Metered",
    max_requests: 4,
    request_period: "month",
    total_requests: 6,
    percentage_used: 150,
    users_count: 1,
    api_keys_count: 1,
    is_unlimited: false,
  });
  const userUsage = (await call("GET", `/users/${user.userId}/usage`)).json.data;
  expect(userUsage).toMatchObject({
    type: "user",
    current_usage: 4,
    limit: 4,
    percentage_used: 100,
    user_name: "Grace",
    plan_name: "Metered",
    is_unlimited: false,
  });
  expect(Date.parse(userUsage.period_end) - Date.parse(userUsage.period_start)).toBeGreaterThan(27 * 86_400_000);
  expect(await client.plans.getUsage(plan.id)).toMatchObject({ planId: plan.id, totalRequests: 6, apiKeysCount: 1 });
  expect(await client.users.getUsage(user.userId)).toMatchObject({ currentUsage: 4, limit: 4, isUnlimited: false });
  const daily = await client.users.getUsage(user.userId, { period: "day" });
  expect(Date.parse(daily.periodEnd!) - Date.parse(daily.periodStart!)).toBe(86_400_000);
  expect((await client.apiKeys.getUsage(key.id, { period: "week" })).period).toBe("week");
  expect((await call("GET", `/keys/${key.id}/usage?period=hour`)).json).toMatchObject({
    code: "VALIDATION_ERROR",
    details: { field: "period" },
  });
});

test("GET /keys/{id}/requests pages with page/limit: 20 by default, at most 100", async () => {
  const key = await client.apiKeys.create({ name: "busy" });
  await validate(key.apiKey!, 45);
  const first = await client.apiKeys.getRequests(key.id);
  expect(first.requests).toHaveLength(20);
  expect(first.count).toBe(45);
  const third = await client.apiKeys.getRequests(key.id, { page: 3, limit: 20 });
  expect(third.requests).toHaveLength(5);
  expect((await client.apiKeys.getRequests(key.id, { limit: 100 })).requests).toHaveLength(45);
  expect((await call("GET", `/keys/${key.id}/requests?limit=101`)).json).toMatchObject({
    code: "VALIDATION_ERROR",
    details: { field: "limit" },
  });
});

test("a create over the key quota is refused with 403 KEY_LIMIT_REACHED and creates nothing", async () => {
  await emu.close();
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0, maxKeys: 2 });
  await client.close();
  client = new LimitlyClient({ apiKey: KEY, baseUrl: emu.url, requestsPerMinute: 0, maxRetries: 0 });
  const a = await client.apiKeys.create({ name: "a" });
  expect(a.limitInfo).toMatchObject({ currentCount: 1, maxAllowed: 2, remainingKeys: 1, canCreate: true });
  const b = await client.apiKeys.create({ name: "b" });
  expect(b.limitInfo).toMatchObject({ currentCount: 2, remainingKeys: 0, canCreate: false });
  const refused = await client.apiKeys.create({ name: "c" }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(LimitlyError);
  expect(refused).toMatchObject({
    status: 403,
    code: "KEY_LIMIT_REACHED",
    details: { can_create: false, current_count: 2, max_allowed: 2 },
  });
  expect((refused as Error).message).toContain("2 of 2 keys");
  expect(emu.store.liveKeys()).toHaveLength(2);
  await client.apiKeys.delete(a.id);
  expect((await client.apiKeys.create({ name: "c" })).limitInfo).toMatchObject({ currentCount: 2 });
});

test("a malformed escape in an id is simply not found, not an emulator error", async () => {
  expect((await call("GET", "/keys/%zz")).json).toMatchObject({ code: "API_KEY_NOT_FOUND" });
});
