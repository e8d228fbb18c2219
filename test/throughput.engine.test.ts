/**
 * 1,000 keys created concurrently through one provider host, as one stack's `pulumi up` would:
 * every operation succeeds, and the shared budget absorbs Limitly's rate limit. No timing is
 * asserted here; `npm run bench` measures it.
 */
import { createMany } from "./support/throughput";
import { Engine, ProviderHost } from "./support/engine";
import { ACCOUNT_KEY, startStack, type Stack } from "./support/stack";

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

test("two provider processes sharing one account above its real limit: every create succeeds", async () => {
  // Two stacks (two pipelines) with the default budget of 1,000/min against an account whose real
  // limit is 300/min in bursts of 5: each process learns the limit from 429s and Retry-After.
  s = await startStack({ emulator: { rateLimitPerMinute: 300, rateLimitBurst: 5 } });
  const other = await ProviderHost.start();
  try {
    await other.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": s.emu.url });
    const second: Stack = { ...s, host: other, engine: new Engine(other) };
    const [a, b] = await Promise.all([createMany(s, 40, 8, "a"), createMany(second, 40, 8, "b")]);
    expect([...a.errors, ...b.errors].slice(0, 3)).toEqual([]);
    expect(a.failures + b.failures).toBe(0);
    expect(s.emu.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(s.emu.store.liveKeys()).toHaveLength(80);
    process.stderr.write(
      `[two processes] 80 creates at a real 300/min: ${Math.max(a.seconds, b.seconds).toFixed(1)} s, ` +
        `${s.emu.calls.filter((c) => c.status === 429).length} answers 429\n`,
    );
  } finally {
    await other.stop();
  }
}, 120_000);
