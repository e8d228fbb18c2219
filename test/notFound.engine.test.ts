/**
 * A 404 is "the object is gone" only when Limitly says so for that object and its account answers:
 * a mistyped base URL, a gateway's 404 or a code of the wrong kind never drops anything from the
 * stack, never counts as a delete, and fails naming the base URL (never the credential). Through
 * Pulumi's provider host, against the emulator.
 */
import { Engine, ProviderHost } from "./support/engine";
import { ACCOUNT_KEY, API_KEY, callsDuring, failureOf, startStack, type Stack } from "./support/stack";

const PLAN = "pulumi-nodejs:dynamic/limitly:Plan";
const USER = "pulumi-nodejs:dynamic/limitly:User";
const ROTATING = "pulumi-nodejs:dynamic/limitly:RotatingApiKey";
const PRO = { name: "Pro", maxRequests: 100, requestPeriod: "month" as const };

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

/** A new provider host (a new `pulumi` run) with `baseUrl`, over the stack's state. */
async function rerunWith(baseUrl: string): Promise<Engine> {
  await s.host.stop();
  s.host = await ProviderHost.start();
  await s.host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": baseUrl });
  const engine = new Engine(s.host);
  for (const [urn, entry] of s.engine.state) engine.state.set(urn, entry);
  s.engine = engine;
  return engine;
}

/** One of each kind the stack can hold. */
async function oneOfEach() {
  const key = (await s.engine.up(API_KEY, "k", { name: "K" })).entry;
  const rotating = (await s.engine.up(ROTATING, "r", { name: "R", rotation: "1" })).entry;
  await s.engine.up(ROTATING, "r", { name: "R", rotation: "2" });
  const plan = (await s.engine.up(PLAN, "p", PRO)).entry;
  const user = (await s.engine.up(USER, "u", { name: "U" })).entry;
  return { key, rotating, plan, user };
}

const KINDS: [string, string][] = [
  [API_KEY, "k"],
  [ROTATING, "r"],
  [PLAN, "p"],
  [USER, "u"],
];

describe.each([
  ["a mistyped path under the right host", (url: string) => url.replace("/functions/v1", "/functions/v2")],
  ["a path one segment too deep", (url: string) => `${url}/v1`],
])("%s as the base URL", (_what, wrong) => {
  test("refresh keeps every resource and fails naming the base URL, never the credential", async () => {
    await oneOfEach();
    const before = new Map(s.engine.state);
    const engine = await rerunWith(wrong(s.emu.url));
    for (const [type, name] of KINDS) {
      const e = await failureOf(engine.refresh(type, name));
      expect(e.message).toContain(wrong(s.emu.url));
      expect(e.message).toMatch(/does not lead to a Limitly account's API/);
      expect(e.message).not.toContain(ACCOUNT_KEY);
    }
    expect(engine.state).toEqual(before);
  });

  test("destroy fails for every kind, deletes nothing, and the stack keeps everything", async () => {
    const { key, rotating, plan, user } = await oneOfEach();
    const live = s.emu.store.liveKeys().length;
    expect(live).toBe(3);
    const engine = await rerunWith(wrong(s.emu.url));
    for (const [type, name] of [...KINDS].reverse()) {
      const e = await failureOf(engine.destroy(type, name));
      expect(e.message).toContain(wrong(s.emu.url));
      expect(engine.state.has(engine.urn(type, name))).toBe(true);
    }
    expect(s.emu.store.liveKeys()).toHaveLength(live);
    expect(s.emu.store.keys.get(key.id)!.deleted_at).toBeNull();
    expect(s.emu.store.keys.get(rotating.outputs.keyId)!.deleted_at).toBeNull();
    expect(s.emu.store.plans.get(plan.id)!.deleted_at).toBeNull();
    expect(s.emu.store.users.get(Number(user.id))!.deleted_at).toBeNull();
  });

  test("adopting through it fails naming the base URL instead of saying the object does not exist", async () => {
    const existing = await s.dashboard.apiKeys.create({ name: "Existing" });
    const plan = await s.dashboard.plans.create(PRO);
    const engine = await rerunWith(wrong(s.emu.url));
    for (const e of [
      await failureOf(engine.up(API_KEY, "a", { name: "A", adoptKeyId: existing.id })),
      await failureOf(engine.up(PLAN, "a", { ...PRO, adoptPlanId: plan.id })),
    ]) {
      expect(e.message).toContain(wrong(s.emu.url));
      expect(e.message).not.toMatch(/no such/);
    }
  });
});

test("a gateway's 404 (no Limitly error body) or a 404 with another kind's code is not a deleted key", async () => {
  const key = (await s.engine.up(API_KEY, "k", { name: "K" })).entry;
  s.emu.faults.add({ method: "GET", path: "/keys/:id", status: 404, body: "<html>Not Found</html>" });
  expect((await failureOf(s.engine.refresh(API_KEY, "k"))).message).toContain(s.emu.url);
  s.emu.faults.add({
    method: "DELETE",
    path: "/keys/:id",
    status: 404,
    body: { error: "Not found", code: "NOT_FOUND" },
  });
  expect((await failureOf(s.engine.destroy(API_KEY, "k"))).message).toContain(s.emu.url);
  expect(s.engine.state.has(s.engine.urn(API_KEY, "k"))).toBe(true);
  expect(s.emu.store.keys.get(key.id)!.deleted_at).toBeNull();
});

test("a plan or user 404 whose account list answers 404 too is kept: NOT_FOUND is also a missing route's answer", async () => {
  await s.engine.up(PLAN, "p", PRO);
  await s.engine.up(USER, "u", { name: "U" });
  for (const [type, name, route] of [
    [PLAN, "p", "/plans"],
    [USER, "u", "/users"],
  ]) {
    s.emu.faults.add({ method: "GET", path: `${route}/:id`, status: 404, body: { error: "nope", code: "NOT_FOUND" } });
    s.emu.faults.add({ method: "GET", path: route, status: 404, body: { error: "nope", code: "NOT_FOUND" } });
    const e = await failureOf(s.engine.refresh(type, name));
    expect(e.message).toMatch(/list answers 404 too/);
    expect(e.message).toContain(s.emu.url);
    expect(s.engine.state.has(s.engine.urn(type, name))).toBe(true);
  }
});

test("a probe that fails otherwise keeps the object too, and the next read probes again", async () => {
  const plan = (await s.engine.up(PLAN, "p", PRO)).entry;
  await s.dashboard.plans.delete(plan.id);
  s.emu.faults.add({ method: "GET", path: "/plans", status: 400, body: { error: "bad", code: "VALIDATION_ERROR" } });
  const e = await failureOf(s.engine.refresh(PLAN, "p"));
  expect(e.message).toMatch(/nothing was treated as deleted/);
  expect(s.engine.state.has(s.engine.urn(PLAN, "p"))).toBe(true);
  expect(await s.engine.refresh(PLAN, "p")).toBe("gone");
});

test("objects really deleted still leave the stack, and the account is probed once per kind, not per object", async () => {
  const names = ["a", "b", "c", "d"];
  for (const n of names) await s.engine.up(API_KEY, n, { name: n });
  for (const n of names) await s.engine.up(PLAN, n, { ...PRO, name: n });
  for (const e of s.engine.state.values())
    await (e.type === API_KEY ? s.dashboard.apiKeys.delete(e.id) : s.dashboard.plans.delete(e.id));
  const calls = await callsDuring(s.emu, async () => {
    for (const n of names) expect(await s.engine.refresh(API_KEY, n)).toBe("gone");
    for (const n of names) expect(await s.engine.refresh(PLAN, n)).toBe("gone");
  });
  expect(calls.filter((c) => c === "GET /keys")).toHaveLength(1);
  expect(calls.filter((c) => c === "GET /plans")).toHaveLength(1);
  expect(calls).toHaveLength(2 * names.length + 2);
  // Deleting what is already gone is success, with no further probe.
  for (const n of ["a", "b"]) await s.engine.up(USER, n, { name: n });
  for (const e of [...s.engine.state.values()]) await s.dashboard.users.delete(Number(e.id));
  const deletes = await callsDuring(s.emu, () => s.engine.destroyAll());
  expect(deletes).toEqual(["DELETE /users/:id", "GET /users", "DELETE /users/:id"]);
  expect(s.engine.state.size).toBe(0);
});
