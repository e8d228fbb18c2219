/**
 * Refresh from a listing of the account (client/listedReads.ts) answers exactly what reading each
 * resource by id answers: changed fields, deactivated and deleted keys, plans and users changed or
 * deleted; with random drift, random page boundaries (foreign keys before and among the stack's),
 * and the emulator's `listingRace` fault. Through Pulumi's provider host against the emulator.
 */
import { request } from "undici";
import { DISPOSABLE_KEY, seededRandom as random } from "../src/emulator/faults";
import { Engine, ProviderHost, type StateEntry } from "./support/engine";
import { ACCOUNT_KEY, API_KEY, startStack, type Stack } from "./support/stack";

const PLAN = "pulumi-nodejs:dynamic/limitly:Plan";
const USER = "pulumi-nodejs:dynamic/limitly:User";

let s: Stack;
afterEach(async () => {
  await s?.close();
});

/** Runs `fn` over `items`, `width` at a time, as the engine's `--parallel` does. */
async function inParallel<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

/** Keys someone else made (another stack, the dashboard), which `listingRace` may delete. */
async function foreignKeys(n: number): Promise<void> {
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    16,
    (i) => s.dashboard.apiKeys.create({ name: `foreign-${i}-${Math.random()}`, metadata: { [DISPOSABLE_KEY]: true } }),
  );
}

/** A new provider host (a new `pulumi` process) over the stack's state. */
async function freshEngine(): Promise<Engine> {
  const host = await ProviderHost.start();
  await host.configure({
    "limitly:apiKey": ACCOUNT_KEY,
    "limitly:baseUrl": s.emu.url,
    "limitly:requestsPerMinute": "0",
  });
  const engine = new Engine(host);
  for (const [urn, entry] of s.engine.state) engine.state.set(urn, entry);
  return engine;
}

type Target = [type: string, name: string];
type Answer = "gone" | { error: string } | Pick<StateEntry, "id" | "outputs" | "inputs">;

/** What refreshing `targets` answers, `width` at a time, in a new provider process; and that process's calls. */
async function refreshAll(targets: Target[], width: number): Promise<{ answers: Answer[]; calls: string[] }> {
  const engine = await freshEngine();
  try {
    return await refreshWith(engine, targets, width);
  } finally {
    await engine.host.stop();
  }
}

/** What refreshing `targets` through `engine` answers, `width` at a time (a failed read: its error); and the calls. */
async function refreshWith(engine: Engine, targets: Target[], width: number) {
  const before = s.emu.calls.length;
  const answers = await inParallel(targets, width, async ([type, name]): Promise<Answer> => {
    try {
      const r = await engine.refresh(type, name);
      return r === "gone" ? r : { id: r.id, outputs: r.outputs, inputs: r.inputs };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  return { answers, calls: s.emu.calls.slice(before).map((c) => `${c.method} ${c.route}`) };
}

const count = (calls: string[], call: string) => calls.filter((c) => c === call).length;

const KINDS = ["/keys", "/plans", "/users"] as const;

/** Calls per kind (pages, GETs by id and the "gone" checks alike), by the route's first segment. */
function perKind(calls: string[]): Record<(typeof KINDS)[number], number> {
  const of = (kind: string) => calls.filter((c) => c.split(" ")[1].startsWith(kind)).length;
  return { "/keys": of("/keys"), "/plans": of("/plans"), "/users": of("/users") };
}

/**
 * The bound listedReads.ts keeps: per kind, no more calls than reading each object by id, plus one
 * (the first page). Reads by id and from the listing make the same "gone" checks, so the difference
 * is pages + GETs against reads.
 */
function expectWithinBound(listed: string[], byId: string[]): void {
  const [l, b] = [perKind(listed), perKind(byId)];
  const over = KINDS.filter((k) => l[k] > b[k] + 1).map((k) => `${k}: ${l[k]} calls, ${b[k]} by id`);
  expect(over).toEqual([]);
}

/** A stack of `n` keys, two plans and two users, with foreign keys before and among its keys. */
async function stackOf(rng: () => number, n: number): Promise<Target[]> {
  // Up to most of a page of other keys before the stack's first ones, and more among them.
  await foreignKeys(Math.floor(rng() * 60));
  const targets: Target[] = [];
  const plan = (await s.engine.up(PLAN, "plan", { name: "Pro", maxRequests: 100, requestPeriod: "month" })).entry;
  // A plan no key or user is on, which Limitly lets the dashboard delete.
  await s.engine.up(PLAN, "spare", { name: "Spare", maxRequests: 10, requestPeriod: "day" });
  targets.push([PLAN, "plan"], [PLAN, "spare"]);
  for (const u of ["u1", "u2"]) {
    await s.engine.up(USER, u, { name: u, planId: plan.id });
    targets.push([USER, u]);
  }
  const names = Array.from({ length: n }, (_, i) => `k${i}`);
  await inParallel(names, 8, async (name) => {
    if (rng() < 0.2) await foreignKeys(1 + Math.floor(rng() * 40));
    await s.engine.up(API_KEY, name, { name, planId: plan.id });
  });
  targets.push(...names.map((name): Target => [API_KEY, name]));
  return targets;
}

/** Changes made behind Pulumi's back, at random: renames, deactivations, metadata, deletes. */
async function drift(rng: () => number, targets: Target[]): Promise<void> {
  for (const [type, name] of targets) {
    const entry = s.engine.state.get(s.engine.urn(type, name))!;
    const roll = rng();
    if (roll > 0.45) continue;
    if (type === API_KEY) {
      if (roll < 0.1) await s.dashboard.apiKeys.delete(entry.id);
      else if (roll < 0.2) await s.dashboard.apiKeys.update(entry.id, { status: "inactive" });
      else if (roll < 0.3) await s.dashboard.apiKeys.update(entry.id, { name: `${name}-renamed` });
      else await s.dashboard.apiKeys.update(entry.id, { metadata: { team: "other" } });
    } else if (type === PLAN) {
      if (name === "spare" && roll < 0.3) await s.dashboard.plans.delete(entry.id);
      else await s.dashboard.plans.update(entry.id, { maxRequests: 7 });
    } else if (roll < 0.2) await s.dashboard.users.delete(entry.id);
    else await s.dashboard.users.update(entry.id, { name: `${name}-renamed`, isDisabled: true });
  }
}

describe("a refresh from the listing answers what per-id reads answer", () => {
  test.each([1, 2, 3, 4])(
    "random drift, page boundaries and listing races (seed %i)",
    async (seed) => {
      s = await startStack({ emulator: { rateLimitPerMinute: 0 } });
      const rng = random(seed);
      const targets = await stackOf(rng, 20 + Math.floor(rng() * 90));
      await drift(rng, targets);

      // One at a time, every read is a GET of its own: today's path.
      const byId = await refreshAll(targets, 1);
      const keyReads = targets.filter(([t]) => t === API_KEY).length;
      expect(count(byId.calls, "GET /keys/:id")).toBe(keyReads);

      // Eight at a time, as the engine reads, with objects deleted and added between pages.
      s.emu.faults.setRandom({ seed, probability: 0.5, kinds: ["listingRace"] });
      const listed = await refreshAll(targets, 8);
      s.emu.faults.setRandom(undefined);

      expect(listed.answers).toEqual(byId.answers);
      expect(count(listed.calls, "GET /keys/:id")).toBeLessThan(keyReads / 2);
      // Never more calls than reads by id, but for the first page of each kind (listedReads.ts).
      expectWithinBound(listed.calls, byId.calls);
    },
    120_000,
  );
});

describe("edges", () => {
  let targets: Target[];
  beforeEach(async () => {
    s = await startStack({ emulator: { rateLimitPerMinute: 0 } });
    targets = await stackOf(random(7), 24);
    await drift(random(8), targets);
  }, 120_000);

  /** Page 1 of the account's keys as Limitly sends it, for a fault to answer with. */
  async function pageOne(): Promise<{ data: Record<string, unknown>[]; count: number }> {
    const res = await request(`${s.emu.url}/keys?page=1&limit=100`, {
      headers: { authorization: `Bearer ${ACCOUNT_KEY}` },
    });
    return (await res.body.json()) as { data: Record<string, unknown>[]; count: number };
  }

  test("pages that fail (5xx, a reset, 429) are retried like any GET; a page failing for good: reads by id", async () => {
    const byId = await refreshAll(targets, 1);
    s.emu.faults.add({ method: "GET", path: "/keys", status: 503, times: 1 });
    s.emu.faults.add({ method: "GET", path: "/keys", reset: true, times: 1 });
    s.emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: 0, times: 1 });
    const retried = await refreshAll(targets, 8);
    expect(retried.answers).toEqual(byId.answers);
    expect(count(retried.calls, "GET /keys/:id")).toBeLessThan(targets.length / 2);

    // Failing for good it fails the "gone" check too (gone.ts lists one object): compared with reads
    // by id under the same fault.
    s.emu.faults.add({ method: "GET", path: "/keys", status: 500, times: Infinity });
    const failingById = await refreshAll(targets, 1);
    const failing = await refreshAll(targets, 8);
    expect(failing.answers).toEqual(failingById.answers);
    expect(count(failing.calls, "GET /keys/:id")).toBe(count(failingById.calls, "GET /keys/:id"));
  }, 120_000);

  test("an account where listing is refused (403) is read by id, with the same answers", async () => {
    s.emu.faults.add({
      method: "GET",
      path: "/keys",
      status: 403,
      body: { error: "listing is not allowed for this key", code: "UNAUTHORIZED" },
      times: Infinity,
    });
    // Without a list route no deleted key can be told from a wrong base URL (gone.ts): by id, the
    // same answers, those refusals included.
    const byId = await refreshAll(targets, 1);
    const refused = await refreshAll(targets, 8);
    expect(refused.answers).toEqual(byId.answers);
    expect(count(refused.calls, "GET /keys/:id")).toBe(count(byId.calls, "GET /keys/:id"));
  }, 120_000);

  test("a listed key that does not fit the contract fails its own read, named; the others are answered", async () => {
    const byId = await refreshAll(targets, 1);
    const page = await pageOne();
    const ours = new Set(targets.map(([type, name]) => s.engine.state.get(s.engine.urn(type, name))?.id));
    const bad = page.data.find((k) => ours.has(String(k.id)))!;
    bad.status = "frozen";
    s.emu.faults.add({ method: "GET", path: "/keys", status: 200, body: page, times: 1 });
    const listed = await refreshAll(targets, 8);
    const at = targets.findIndex(([type, name]) => s.engine.state.get(s.engine.urn(type, name))?.id === bad.id);
    expect(listed.answers[at]).toEqual({ error: expect.stringContaining(`key ${String(bad.id)} in the listing`) });
    expect(listed.answers.filter((_, i) => i !== at)).toEqual(byId.answers.filter((_, i) => i !== at));
  }, 120_000);

  test("no key value is ever taken from a listing: the state keeps the value it has", async () => {
    const page = await pageOne();
    for (const k of page.data) k.api_key = "lk_user_FROMTHELISTING0000000000000000";
    s.emu.faults.add({ method: "GET", path: "/keys", status: 200, body: page, times: 1 });
    const keys = targets.filter(([type]) => type === API_KEY);
    const values = keys.map(([type, name]) => s.engine.state.get(s.engine.urn(type, name))!.outputs.apiKey);
    const listed = await refreshAll(keys, 8);
    expect(count(listed.calls, "GET /keys/:id")).toBeLessThan(keys.length / 2);
    const after = listed.answers.map((a) => (typeof a === "object" && "outputs" in a ? a.outputs.apiKey : a));
    expect(after).toEqual(values.map((v, i) => (listed.answers[i] === "gone" ? "gone" : v)));
    expect(JSON.stringify(listed.answers)).not.toContain("FROMTHELISTING");
  }, 120_000);

  test("what the process writes is never answered from a listing made before", async () => {
    const keys = targets.filter(([type, name]) => type === API_KEY && s.engine.state.has(s.engine.urn(type, name)));
    const first = await refreshWith(s.engine, keys, 8);
    expect(count(first.calls, "GET /keys")).toBeGreaterThan(0);
    const [, name] = keys.find((_, i) => first.answers[i] !== "gone")!;
    const entry = s.engine.state.get(s.engine.urn(API_KEY, name))!;
    await s.engine.up(API_KEY, name, { ...entry.inputs, name: "renamed by this process" });
    const again = await refreshWith(s.engine, keys, 8);
    const at = keys.findIndex(([, n]) => n === name);
    expect(again.answers[at]).toMatchObject({ outputs: { name: "renamed by this process" } });
  }, 120_000);

  test("an account whose first pages hold none of the stack's keys: no more calls than reads by id, plus one", async () => {
    await foreignKeys(450); // listed after the stack's keys: the listing order is creation order
    const keys = targets.filter(([type]) => type === API_KEY);
    const byId = await refreshAll(keys, 1);
    // Now 450 foreign keys before the stack's: the same reads, from a fresh process.
    const store = s.emu.store;
    const ours = new Set(keys.map(([type, name]) => s.engine.state.get(s.engine.urn(type, name))?.id));
    store.keys = new Map([...store.keys].sort(([a], [b]) => Number(ours.has(a)) - Number(ours.has(b))));
    const listed = await refreshAll(keys, 8);
    expect(listed.answers).toEqual(byId.answers);
    expectWithinBound(listed.calls, byId.calls);
  }, 120_000);
});

describe("the call bound: per kind, no more calls than reads by id, plus the first page", () => {
  let targets: Target[];
  let keys: Target[];
  beforeEach(async () => {
    s = await startStack({ emulator: { rateLimitPerMinute: 0 } });
    targets = await stackOf(random(11), 24);
    keys = targets.filter(([type]) => type === API_KEY);
  }, 120_000);

  const idOf = ([type, name]: Target) => s.engine.state.get(s.engine.urn(type, name))!.id;

  /** `n` foreign keys put before every other key in the listing (the listing order is the store's). */
  async function foreignFirst(n: number): Promise<void> {
    const before = new Set(s.emu.store.keys.keys());
    await foreignKeys(n);
    const store = s.emu.store;
    store.keys = new Map([...store.keys].sort(([a], [b]) => Number(before.has(a)) - Number(before.has(b))));
  }

  test("a big account whose listing holds none of the reads' keys, 8 reads at a time (one at a time never lists)", async () => {
    const width = 8;
    for (const k of keys) await s.dashboard.apiKeys.delete(idOf(k));
    await foreignKeys(1_000);
    const byId = await refreshAll(targets, 1);
    const listed = await refreshAll(targets, width);
    expect(listed.answers).toEqual(byId.answers);
    expect(listed.answers.filter((a, i) => keys.includes(targets[i]) && a !== "gone")).toEqual([]);
    expectWithinBound(listed.calls, byId.calls);
  }, 120_000);

  test("the stack's keys all on the last of 21 pages, 8 reads at a time (one at a time never lists)", async () => {
    const width = 8;
    await drift(random(12), targets);
    await foreignFirst(2_000);
    const byId = await refreshAll(targets, 1);
    const listed = await refreshAll(targets, width);
    expect(listed.answers).toEqual(byId.answers);
    expectWithinBound(listed.calls, byId.calls);
  }, 120_000);

  test("the stack's keys one a page, among 99 foreign keys each: pages paid by the reads they answer", async () => {
    const before = new Set(s.emu.store.keys.keys());
    await foreignKeys(99 * keys.length);
    // Page i holds 99 foreign keys and the stack's i-th key (in the order they are read); the
    // account's other keys come last.
    const rows = [...s.emu.store.keys];
    const foreign = rows.filter(([id]) => !before.has(id));
    const mine = keys.map(idOf).map((id) => rows.find(([k]) => k === id)!);
    const others = rows.filter(([id]) => before.has(id) && !mine.some(([k]) => k === id));
    s.emu.store.keys = new Map([...mine.flatMap((k, i) => [...foreign.slice(i * 99, i * 99 + 99), k]), ...others]);
    const byId = await refreshAll(keys, 1);
    const listed = await refreshAll(keys, 8);
    expect(listed.answers).toEqual(byId.answers);
    expectWithinBound(listed.calls, byId.calls);
    // Not by id alone: pages answered the keys they hold.
    expect(count(listed.calls, "GET /keys/:id")).toBeLessThan(keys.length / 2);
  }, 120_000);

  test("when no page is paid for, the reads go by id side by side, not one after another", async () => {
    await foreignFirst(2_000);
    const byId = await refreshAll(keys, 1);
    // The first GET by id is held until a second arrives: reads that went by id one at a time
    // would never send that second one.
    let second!: () => void;
    const arrived = new Promise<void>((resolve) => (second = resolve));
    s.emu.faults.add({ method: "GET", path: "/keys/:id", holdUntil: arrived });
    s.emu.faults.add({ method: "GET", path: "/keys/:id", before: () => second() });
    const listed = await refreshAll(keys, 8);
    expect(listed.answers).toEqual(byId.answers);
    expectWithinBound(listed.calls, byId.calls);
  }, 60_000);

  test("a key listed last in a big account, its stack's others on page 1: no search through every page", async () => {
    // The other keys first, then 3,000 foreign keys (30 pages), then the key read last.
    const late = idOf(keys[keys.length - 1]);
    await foreignKeys(3_000);
    const rows = [...s.emu.store.keys];
    s.emu.store.keys = new Map([...rows.filter(([id]) => id !== late), ...rows.filter(([id]) => id === late)]);
    const byId = await refreshAll(keys, 1);
    const listed = await refreshAll(keys, 8);
    expect(listed.answers).toEqual(byId.answers);
    // Page 1, then at most one page past it for each read still waiting (8 at a time), then its GET.
    expect(count(listed.calls, "GET /keys")).toBeLessThanOrEqual(1 + 8);
    expect(count(listed.calls, "GET /keys/:id")).toBeLessThanOrEqual(1);
  }, 120_000);
});
