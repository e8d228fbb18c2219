/**
 * Refresh from a listing of the account (client/listedReads.ts) answers exactly what reading each
 * resource by id answers: changed fields, deactivated and deleted keys, plans and users changed or
 * deleted; with random drift, random page boundaries (foreign keys before and among the stack's),
 * and the emulator's `listingRace` fault. Through Pulumi's provider host against the emulator.
 */
import { DISPOSABLE_KEY } from "../src/emulator/faults";
import { Engine, ProviderHost, type StateEntry } from "./support/engine";
import { ACCOUNT_KEY, API_KEY, failureOf, startStack, type Stack } from "./support/stack";

const PLAN = "pulumi-nodejs:dynamic/limitly:Plan";
const USER = "pulumi-nodejs:dynamic/limitly:User";

let s: Stack;
afterEach(async () => {
  await s?.close();
});

/** A deterministic random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
type Answer = "gone" | Pick<StateEntry, "id" | "outputs" | "inputs">;

/** What refreshing `targets` answers, `width` at a time, in a new provider process; and that process's calls. */
async function refreshAll(targets: Target[], width: number): Promise<{ answers: Answer[]; calls: string[] }> {
  const engine = await freshEngine();
  const before = s.emu.calls.length;
  try {
    const answers = await inParallel(targets, width, async ([type, name]): Promise<Answer> => {
      const r = await engine.refresh(type, name);
      return r === "gone" ? r : { id: r.id, outputs: r.outputs, inputs: r.inputs };
    });
    return { answers, calls: s.emu.calls.slice(before).map((c) => `${c.method} ${c.route}`) };
  } finally {
    await engine.host.stop();
  }
}

const count = (calls: string[], call: string) => calls.filter((c) => c === call).length;

/** A stack of `n` keys, two plans and two users, with foreign keys before and among its keys. */
async function stackOf(rng: () => number, n: number): Promise<Target[]> {
  await foreignKeys(Math.floor(rng() * 150));
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
      // Never more calls than reads by id, but for the first page of each kind (keys, plans, users).
      expect(listed.calls.length).toBeLessThanOrEqual(byId.calls.length + 3);
    },
    120_000,
  );
});
