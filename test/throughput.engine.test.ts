/**
 * 1,000 keys created concurrently through one provider host, as one stack's `pulumi up` would:
 * every operation succeeds, and the shared budget absorbs Limitly's rate limit. No timing is
 * asserted here; `npm run bench` measures it.
 */
import { createMany } from "./support/throughput";
import { startStack, type Stack } from "./support/stack";

let s: Stack;
afterEach(async () => {
  await s.close();
});

test("1,000 creates at concurrency 64 within the documented budget: zero failures, no 429", async () => {
  s = await startStack({
    emulator: { rateLimitPerMinute: 60_000 },
    extraConfig: { "limitly:requestsPerMinute": "60000" },
  });
  const r = await createMany(s, 1000, 64);
  expect(r.errors.slice(0, 3)).toEqual([]);
  expect(r.failures).toBe(0);
  expect(r.rateLimited).toBe(0);
  expect(s.emu.store.liveKeys()).toHaveLength(1000);
  expect(new Set(s.emu.store.liveKeys().map((k) => k.name)).size).toBe(1000);
});

test("a budget set above the service's real limit is corrected by 429 + Retry-After: still zero failures", async () => {
  // The service allows 6,000/min with bursts of 50; the stack was told 120,000/min.
  s = await startStack({
    emulator: { rateLimitPerMinute: 6_000, rateLimitBurst: 50 },
    extraConfig: { "limitly:requestsPerMinute": "120000" },
  });
  const r = await createMany(s, 300, 16);
  expect(r.errors.slice(0, 3)).toEqual([]);
  expect(r.failures).toBe(0);
  expect(r.rateLimited).toBeGreaterThan(0);
  expect(s.emu.store.liveKeys()).toHaveLength(300);
});
