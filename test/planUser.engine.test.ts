/** limitly.Plan and limitly.User through Pulumi's provider host, wired to keys by reference. */
import { CheckFailed } from "./support/engine";
import { registrations } from "./support/scratch";
import { API_KEY, callsDuring, startStack, type Stack, failureOf } from "./support/stack";

const PLAN = "pulumi-nodejs:dynamic/limitly:Plan";
const USER = "pulumi-nodejs:dynamic/limitly:User";
const PRO = { name: "Pro", maxRequests: 100_000, requestPeriod: "month" };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

test("the program registers Plan and User with their type tokens and small providers", () => {
  const byName = Object.fromEntries(registrations().map((r) => [r.name, r]));
  expect(byName.pro.type).toBe(PLAN);
  expect(byName.acme.type).toBe(USER);
  expect(byName.pro.inputs).toMatchObject(PRO);
  expect(Buffer.byteLength(byName.acme.inputs.__provider)).toBeLessThan(1024);
});

test("a whole account in one stack: plan, user and key wired by reference, then destroyed in order", async () => {
  const plan = (await s.engine.up(PLAN, "pro", PRO)).entry;
  expect(plan.id).toMatch(/^plan_/);
  expect(plan.outputs).toMatchObject({ ...PRO, isActive: true });
  const user = (await s.engine.up(USER, "acme", { name: "Acme Corp", email: "ops@acme.example", planId: plan.id }))
    .entry;
  expect(user.outputs.userId).toEqual(expect.any(Number));
  expect(user.id).toBe(String(user.outputs.userId));
  const key = (
    await s.engine.up(API_KEY, "acme-prod", { name: "Acme production", userId: user.outputs.userId, planId: plan.id })
  ).entry;
  expect(s.emu.store.keys.get(key.id)).toMatchObject({ user_id: user.outputs.userId, plan_id: plan.id });

  const calls = await callsDuring(s.emu, async () => {
    expect((await s.engine.preview(PLAN, "pro", PRO)).op).toBe("same");
    expect(
      (
        await s.engine.preview(USER, "acme", {
          name: "Acme Corp",
          email: "ops@acme.example",
          planId: plan.id,
          isDisabled: false,
        })
      ).op,
    ).toBe("same");
  });
  expect(calls).toEqual([]);

  // Pulumi deletes dependents first: key, then user, then plan.
  await s.engine.destroyAll();
  expect(s.emu.store.liveKeys()).toEqual([]);
  expect(s.emu.store.liveUsers()).toEqual([]);
  expect(s.emu.store.livePlans()).toEqual([]);
});

test("updates are in place with one PUT of what changed", async () => {
  const plan = (await s.engine.up(PLAN, "pro", PRO)).entry;
  let r!: Awaited<ReturnType<typeof s.engine.up>>;
  const calls = await callsDuring(
    s.emu,
    async () => (r = await s.engine.up(PLAN, "pro", { ...PRO, maxRequests: 5, isActive: false })),
  );
  expect(calls).toEqual(["PUT /plans/:id"]);
  expect(r.op).toBe("update");
  expect(r.entry.id).toBe(plan.id);
  expect(s.emu.store.plans.get(plan.id)).toMatchObject({ max_requests: 5, is_active: false });
  const user = (await s.engine.up(USER, "u", { name: "U" })).entry;
  await s.engine.up(USER, "u", { name: "U", isDisabled: true, customStart: "2026-11-01" });
  expect(s.emu.store.users.get(Number(user.id))).toMatchObject({ is_disabled: true, custom_start: "2026-11-01" });
});

test("refresh shows drift and a deleted object leaves the state", async () => {
  const plan = (await s.engine.up(PLAN, "pro", PRO)).entry;
  await s.dashboard.plans.update(plan.id, { maxRequests: 1 });
  const refreshed = await s.engine.refresh(PLAN, "pro");
  expect(refreshed !== "gone" && refreshed.outputs.maxRequests).toBe(1);
  expect((await s.engine.preview(PLAN, "pro", PRO)).op).toBe("update");
  const user = (await s.engine.up(USER, "u", { name: "U" })).entry;
  await s.dashboard.users.delete(Number(user.id));
  expect(await s.engine.refresh(USER, "u")).toBe("gone");
  // Deleting an already-deleted plan is success.
  await s.dashboard.plans.delete(plan.id);
  await expect(s.engine.destroy(PLAN, "pro")).resolves.toBeUndefined();
});

test("deleting a plan that keys still reference surfaces the service's error and keeps the plan", async () => {
  const plan = (await s.engine.up(PLAN, "pro", PRO)).entry;
  const key = await s.dashboard.apiKeys.create({ name: "outside the stack", planId: plan.id });
  const e = await failureOf(s.engine.destroy(PLAN, "pro"));
  expect(e.message).toContain("VALIDATION_ERROR");
  expect(e.message).toContain(key.id);
  expect(s.emu.store.plans.get(plan.id)?.deleted_at).toBeNull();
  expect(s.engine.state.has(s.engine.urn(PLAN, "pro"))).toBe(true);
});

test("adoption takes over existing plans and users", async () => {
  const existing = await s.dashboard.plans.create({ name: "Old", maxRequests: 10, requestPeriod: "day" });
  const r = await s.engine.up(PLAN, "adopted", {
    name: "Renamed",
    maxRequests: 10,
    requestPeriod: "day",
    adoptPlanId: existing.id,
  });
  expect(r.entry.id).toBe(existing.id);
  expect(s.emu.store.plans.get(existing.id)?.name).toBe("Renamed");
  expect(s.emu.store.plans.size).toBe(1);
  const u = await s.dashboard.users.create({ name: "Someone" });
  const ru = await s.engine.up(USER, "adopted", { name: "Someone", adoptUserId: u.userId });
  expect(ru.entry.id).toBe(String(u.userId));
  const e = await failureOf(s.engine.up(USER, "ghost", { name: "G", adoptUserId: 999 }));
  expect(e.message).toMatch(/adoptUserId 999: no such user .*404/);
});

test.each([
  [PLAN, { name: "P", maxRequests: 0, requestPeriod: "month" }, "maxRequests", /positive whole number/],
  [PLAN, { name: "P", maxRequests: 5, requestPeriod: "hour" }, "requestPeriod", /"day", "week", "month" or "year"/],
  [PLAN, { maxRequests: 5, requestPeriod: "day" }, "name", /it is missing/],
  [USER, { name: "U", email: "nope" }, "email", /email address/],
  [USER, { name: "U", customStart: "yesterday" }, "customStart", /ISO 8601 date/],
  [USER, { name: "U", isDisabled: "no" }, "isDisabled", /true or false/],
])("%s %j fails check on %s without any API call", async (type, args, property, reason) => {
  const calls = await callsDuring(s.emu, async () => {
    const e = await failureOf(s.engine.up(type, "bad", args));
    expect(e).toBeInstanceOf(CheckFailed);
    expect((e as CheckFailed).failures.find((f) => f.property === property)?.reason).toMatch(reason);
  });
  expect(calls).toEqual([]);
});
