/** Seeded random faults replay: a request's fault depends on the seed and its identity, not on arrival order. */
import { Faults, type FaultSpec } from "../src/emulator";

const ROUTES = ["POST /keys", "GET /keys", "PUT /keys/:id", "DELETE /keys/:id", "POST /keys/:id/regenerate"];

/** Feeds requests in the given order; returns each one's fault keyed by `route#n` (its n-th on that route). */
function decisions(seed: number, order: string[]): Map<string, FaultSpec | undefined> {
  const f = new Faults();
  f.setRandom({ seed, probability: 0.4 });
  const seen = new Map<string, number>();
  const out = new Map<string, FaultSpec | undefined>();
  for (const id of order) {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    const [method, route] = id.split(" ");
    out.set(`${id}#${n}`, f.pick(method, route.replace(":id", "key_1"), route));
  }
  return out;
}

/** 40 requests per route, in a shuffled order drawn from `shuffleSeed`. */
function order(shuffleSeed: number): string[] {
  const all = ROUTES.flatMap((r) => Array<string>(40).fill(r));
  let a = shuffleSeed;
  for (let i = all.length - 1; i > 0; i--) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    const j = a % (i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

test("the same seed injects the same faults into the same requests, whatever order they arrive in", () => {
  const a = decisions(4242, order(1));
  const b = decisions(4242, order(2));
  expect(order(1)).not.toEqual(order(2));
  expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  const injected = [...a.values()].filter(Boolean).length;
  expect(injected).toBeGreaterThan(40);
  expect(injected).toBeLessThan(120);
});

test("another seed injects other faults", () => {
  const a = decisions(4242, order(1));
  const c = decisions(4243, order(1));
  expect([...c.entries()].sort()).not.toEqual([...a.entries()].sort());
});
