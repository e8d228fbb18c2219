/**
 * Cancellation of one provider call, as the plugin's gRPC server runs every hook inside
 * `withSignal` (the engine's Cancel RPC, the operation's timeout, SIGINT/SIGTERM): every request and
 * every wait below the hook stops when the signal is aborted, with `LimitlyError` code `CANCELLED`,
 * and exactly-once keeps in the stack every key whose id is known. In-process, over real HTTP to the
 * emulator; each test would wait (or succeed) far past the abort without the signal.
 */
import { LimitlyClient, LimitlyError, type LimitlyClientOptions } from "../src/client";
import { withSignal } from "../src/client/abort";
import { startEmulator, type Emulator } from "../src/emulator";
import { attach } from "../src/provider";
import { deleteKey } from "../src/provider/deleteKey";
import { createKeyExactlyOnce, isAmbiguous, KeyKeptError, regenerateSeen } from "../src/provider/exactlyOnce";
import { failureOf } from "./support/stack";

// Each wait cut short here would otherwise last 20 s or more: without cancellation, a test times out.
jest.setTimeout(15_000);

const KEY = "lk_acct_cancellation_0001";
let emu: Emulator;
const clients: LimitlyClient[] = [];
beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emu.close();
});

/** A client with a 10 s deadline, so an in-flight window is 20 s: far longer than a test may take. */
function client(opts: Partial<LimitlyClientOptions> = {}): LimitlyClient {
  const c = new LimitlyClient({ apiKey: KEY, baseUrl: emu.url, requestsPerMinute: 0, timeoutMs: 10_000, ...opts });
  clients.push(c);
  return c;
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
};
/** Whether the emulator is holding a request (a `latencyMs` fault) right now, or has held one. */
const held = () => emu.faults.injected.latency !== undefined;
const calls = (method: string, route: string) => emu.calls.filter((c) => c.method === method && c.route === route);
const validates = async (value: string) => {
  const res = await fetch(`${emu.url}/validate`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ api_key: value, endpoint: "/x", method: "GET" }),
  });
  return ((await res.json()) as { success: boolean }).success;
};

/** Runs `work` under a signal that is aborted, as the engine's Cancel would, once `when` holds. */
async function cancelledWhen<T>(when: () => boolean, work: () => Promise<T>): Promise<Error> {
  const ctrl = new AbortController();
  const run = withSignal(ctrl.signal, work);
  await Promise.race([until(when), run.catch(() => undefined)]);
  ctrl.abort(new Error("the engine cancelled the operation"));
  return failureOf(run);
}

describe("the transport", () => {
  test("a request in flight is cut off: CANCELLED, with the reason, before Limitly has answered", async () => {
    emu.faults.add({ method: "GET", path: "/keys", latencyMs: 5_000 });
    const e = await cancelledWhen(held, () => client().apiKeys.list());
    expect(e).toBeInstanceOf(LimitlyError);
    expect(e).toMatchObject({ code: "CANCELLED", method: "GET", path: "/keys" });
    expect(e.message).toContain("the engine cancelled the operation");
    // The held request is still being held: the call did not wait for it.
    expect(calls("GET", "/keys")).toHaveLength(0);
  });

  test("a call waiting for the request budget is cancelled there, never sent", async () => {
    const paced = client({ requestsPerMinute: 1 });
    await paced.apiKeys.list();
    // One request a minute: the next one waits about a minute for its slot.
    const e = await cancelledWhen(
      () => true,
      () => paced.apiKeys.list(),
    );
    expect(e).toMatchObject({ code: "CANCELLED" });
    expect(calls("GET", "/keys")).toHaveLength(1);
  });

  test("waiting out a 429's Retry-After stops at once, and the call is not repeated", async () => {
    emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: 40 });
    let waiting = false;
    const c = client({ timeoutMs: 60_000, onRetry: () => (waiting = true) });
    const e = await cancelledWhen(
      () => waiting,
      () => c.apiKeys.list(),
    );
    expect(e).toMatchObject({ code: "CANCELLED" });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls("GET", "/keys")).toHaveLength(1);
  });

  test("a call made after the cancellation is not sent", async () => {
    const ctrl = new AbortController();
    ctrl.abort(new Error("SIGTERM"));
    const e = await failureOf(withSignal(ctrl.signal, () => client().apiKeys.list()));
    expect(e).toMatchObject({ code: "CANCELLED" });
    expect(emu.calls).toHaveLength(0);
  });
});

describe("exactly-once create", () => {
  test("a POST cut off in flight is not waited out: CANCELLED says the key may exist and the next up takes it over", async () => {
    emu.faults.add({ method: "POST", path: "/keys", latencyMs: 2_000 });
    const e = await cancelledWhen(held, () => createKeyExactlyOnce(client(), { name: "Web" }));
    expect(e).toBeInstanceOf(LimitlyError);
    expect((e as LimitlyError).code).toBe("CANCELLED");
    expect(e.message).toMatch(/may exist/);
    expect(e.message).toMatch(/next `pulumi up` takes it over/);
    // Neither looked up nor posted again: the held POST is the only one, carried out afterwards.
    await until(() => calls("POST", "/keys").length === 1);
    expect(calls("GET", "/keys")).toHaveLength(0);
    expect(emu.store.liveKeys()).toHaveLength(1);
  });

  test("cancelled while waiting out the in-flight window of a lost POST: CANCELLED, no second POST", async () => {
    // Answered 500 and not carried out: the lookup (one page: one GET) finds nothing, then the 20 s window is waited.
    emu.faults.add({ method: "POST", path: "/keys", status: 500 });
    const e = await cancelledWhen(
      () => calls("GET", "/keys").length >= 1,
      () => createKeyExactlyOnce(client(), { name: "Web" }),
    );
    expect(e).toMatchObject({ code: "CANCELLED" });
    expect(e.message).toMatch(/may exist/);
    expect(calls("POST", "/keys")).toHaveLength(1);
  });

  test("cancelled during the lookup: CANCELLED, not a failed lookup, and the listing is not repeated", async () => {
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "GET", path: "/keys", latencyMs: 2_000 });
    const e = await cancelledWhen(held, () => createKeyExactlyOnce(client(), { name: "Web" }));
    expect(e).toMatchObject({ code: "CANCELLED" });
    expect(e.message).not.toMatch(/looking it up failed/);
    await until(() => calls("GET", "/keys").length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls("GET", "/keys")).toHaveLength(1);
  });

  test("cancelled after the key was found (its regenerate in flight): KeyKeptError keeps that key", async () => {
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 2_000 });
    const e = await cancelledWhen(held, () => createKeyExactlyOnce(client(), { name: "Web" }));
    expect(e).toBeInstanceOf(KeyKeptError);
    expect((e as KeyKeptError).record.id).toBe(emu.store.liveKeys()[0].id);
    expect(e.message).toMatch(/cancelled/);
  });

  test("through the ApiKey create hook: the kept key is a partial failure holding it, marked lost", async () => {
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 2_000 });
    const e = (await cancelledWhen(held, () =>
      provider().create({ name: "Web", status: "active", rotationStrategy: "replace" }),
    )) as LimitlyError & { id?: string; properties?: Record<string, unknown> };
    expect(e.code).toBe("VALUE_LOST");
    expect(e.id).toBe(emu.store.liveKeys()[0].id);
    expect(e.properties).toMatchObject({ apiKey: "", apiKeyLost: true });
  });
});

describe("regenerate", () => {
  test("cancelled while the regenerate is in flight: the update keeps the key marked lost, not a value that may be dead", async () => {
    const p = provider();
    const inputs = { name: "Batch", status: "active", rotationStrategy: "regenerate", rotation: "1" };
    const created = (await p.create(inputs)) as { id: string; outs: Record<string, unknown> };
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 2_000 });
    const e = (await cancelledWhen(held, () =>
      p.update(created.id, created.outs, { ...inputs, rotation: "2" }),
    )) as LimitlyError & { properties?: Record<string, unknown> };
    expect(e.code).toBe("VALUE_LOST");
    expect(e.message).toMatch(/cancelled/);
    expect(e.properties).toMatchObject({ apiKey: "", apiKeyLost: true });
    // Limitly carries the held regenerate out: the old value is dead, as the state now says.
    await until(() => calls("POST", "/keys/:id/regenerate").length === 1);
    expect(await validates(String(created.outs.apiKey))).toBe(false);
  });

  test("cancelled before the regenerate was sent: nothing changed, so the error is no lost value", async () => {
    const c = client({ requestsPerMinute: 1 });
    const key = await c.apiKeys.create({ name: "Batch" });
    const e = await cancelledWhen(
      () => true,
      () => regenerateSeen(c, key.id),
    );
    expect(e).toMatchObject({ code: "CANCELLED" });
    expect(isAmbiguous(e)).toBe(false);
    expect(calls("POST", "/keys/:id/regenerate")).toHaveLength(0);
    expect(await validates(key.apiKey!)).toBe(true);
  });
});

test("delete: cancelled while waiting out the window of a DELETE without an answer", async () => {
  const c = client({ timeoutMs: 2_000 });
  const key = await c.apiKeys.create({ name: "Old" });
  // Held past the 2 s deadline, then carried out; the client waits its 4 s window before looking.
  emu.faults.add({ method: "DELETE", path: "/keys/:id", latencyMs: 2_500 });
  const e = await cancelledWhen(
    () => calls("DELETE", "/keys/:id").length === 1,
    () => deleteKey(c, key.id),
  );
  expect(e).toMatchObject({ code: "CANCELLED" });
  expect(calls("GET", "/keys/:id")).toHaveLength(0);
});

/** The ApiKey hooks, configured as Pulumi's provider host configures them. */
function provider() {
  const self: Record<string, unknown> = {};
  const config: Record<string, string> = {
    "limitly:apiKey": KEY,
    "limitly:baseUrl": emu.url,
    "limitly:requestsPerMinute": "0",
    "limitly:timeoutMs": "10000",
  };
  attach(self, "ApiKey", { config: { get: (k: string) => config[k] } });
  return self as unknown as {
    create(inputs: Record<string, unknown>): Promise<unknown>;
    update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<unknown>;
  };
}
