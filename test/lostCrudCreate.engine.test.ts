/**
 * A Plan or User create whose answer was lost, through Pulumi's provider host against the emulator:
 * the provider waits out the create's in-flight window before it looks, compares no clocks, and says
 * exactly what is known: the objects of that name to adopt, or proof that none was created.
 */
import { startStack, failureOf, type Stack } from "./support/stack";

const PLAN = "pulumi-nodejs:dynamic/limitly:Plan";
const USER = "pulumi-nodejs:dynamic/limitly:User";
const PRO = { name: "Pro", maxRequests: 100, requestPeriod: "month" as const };

let s: Stack;
beforeEach(async () => {
  // A 1 s deadline makes the in-flight window (twice the deadline, at least 2 s) short.
  s = await startStack({ extraConfig: { "limitly:timeoutMs": "1000" } });
});
afterEach(async () => {
  await s.close();
});

const livePlans = () => s.emu.store.livePlans();

test("a slow commit (carried out after the client gave up) is named for adoption; adopting it leaves one plan", async () => {
  // Held 1.5 s, past the 1 s deadline, then created: a lookup made at once would not see it yet.
  s.emu.faults.add({ method: "POST", path: "/plans", latencyMs: 1_500 });
  const e = await failureOf(s.engine.up(PLAN, "pro", PRO));
  const [made] = livePlans();
  expect(made).toBeDefined();
  expect(e.message).toContain(made.id);
  expect(e.message).toContain("adoptPlanId");
  expect(e.message).not.toMatch(/running again is safe/);
  expect(e.message.match(/Limitly OUTCOME_UNKNOWN:/g)).toHaveLength(1);
  expect(s.engine.state.size).toBe(0);
  const adopted = await s.engine.up(PLAN, "pro", { ...PRO, adoptPlanId: made.id });
  expect(adopted.entry.id).toBe(made.id);
  expect(livePlans()).toHaveLength(1);
});

test("Limitly's clock an hour behind this machine's does not hide the plan the lost create made", async () => {
  const limitlyNow = s.emu.store.now.bind(s.emu.store);
  s.emu.store.now = () => new Date(Date.parse(limitlyNow()) - 3_600_000).toISOString();
  s.emu.faults.add({ method: "POST", path: "/plans", commitThenDrop: true });
  const e = await failureOf(s.engine.up(PLAN, "pro", PRO));
  const [made] = livePlans();
  expect(e.message).toContain(made.id);
  expect(e.message).not.toMatch(/running again is safe/);
});

test("a 500 that did not commit: proof that none was created, and running again makes exactly one", async () => {
  s.emu.faults.add({ method: "POST", path: "/plans", status: 500 });
  const e = await failureOf(s.engine.up(PLAN, "pro", PRO));
  expect(e.message).toMatch(/holds no plan of that name, so it was not created: running again is safe/);
  expect(e.message.match(/Limitly OUTCOME_UNKNOWN:/g)).toHaveLength(1);
  expect(livePlans()).toEqual([]);
  await s.engine.up(PLAN, "pro", PRO);
  expect(livePlans()).toHaveLength(1);
});

test("a same-named plan that already existed is named as a candidate, never taken for proof either way", async () => {
  const older = await s.dashboard.plans.create(PRO);
  s.emu.faults.add({ method: "POST", path: "/plans", status: 500 });
  const e = await failureOf(s.engine.up(PLAN, "pro", PRO));
  expect(e.message).toContain(older.id);
  expect(e.message).toMatch(/or may have existed before/);
  expect(e.message).not.toMatch(/running again is safe/);
});

test("a User create whose answer was dropped names the user to adopt with adoptUserId", async () => {
  s.emu.faults.add({ method: "POST", path: "/users", commitThenDrop: true });
  const e = await failureOf(s.engine.up(USER, "acme", { name: "Acme" }));
  const [made] = s.emu.store.liveUsers();
  expect(e.message).toContain(`${made.user_id} (created`);
  expect(e.message).toContain("adoptUserId");
  expect(e.message.match(/Limitly OUTCOME_UNKNOWN:/g)).toHaveLength(1);
  const adopted = await s.engine.up(USER, "acme", { name: "Acme", adoptUserId: made.user_id });
  expect(adopted.entry.id).toBe(String(made.user_id));
  expect(s.emu.store.liveUsers()).toHaveLength(1);
});

test("when the lookup fails too, the error says the object may exist and how to settle it", async () => {
  s.emu.faults.add({ method: "POST", path: "/plans", commitThenDrop: true });
  s.emu.faults.add({
    method: "GET",
    path: "/plans",
    status: 400,
    body: { error: "no", code: "VALIDATION_ERROR" },
    times: Infinity,
  });
  const e = await failureOf(s.engine.up(PLAN, "pro", PRO));
  expect(e.message).toMatch(/looking for it afterwards failed too .*so it may exist/);
  expect(e.message).toContain("adoptPlanId");
  expect(e.message).not.toMatch(/running again is safe/);
});
