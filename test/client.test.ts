import { inspect } from "node:util";
import { LimitlyClient, LimitlyError } from "../src/client";
import { withSignal } from "../src/client/abort";
import { RETRY_AFTER_CAP_MS, sharedPacer } from "../src/client/pacing";
import { backoffDelay, isRetryable, parseRetryAfter, type RetryNotice } from "../src/client/retryPolicy";
import { ACCOUNT_KEY, startHarness, type Harness } from "./support/harness";
import usageRest from "./fixtures/usage-rest.json";
import usageSdk from "./fixtures/usage-sdk.json";
import requestsRest from "./fixtures/requests-rest.json";
import requestsSdk from "./fixtures/requests-sdk.json";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function caught(p: Promise<unknown>): Promise<LimitlyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LimitlyError);
    return e as LimitlyError;
  }
  throw new Error("expected the call to fail");
}

describe("endpoints against the emulator", () => {
  test("create returns the key value once; get and list never do", async () => {
    const created = await h.client.apiKeys.create({
      name: "Prod",
      userId: 42,
      planId: "plan_basic",
      metadata: { team: "core" },
    });
    expect(created).toMatchObject({
      name: "Prod",
      userId: 42,
      planId: "plan_basic",
      status: "active",
      metadata: { team: "core" },
    });
    expect(created.id).toMatch(/^key_/);
    expect(created.apiKey).toMatch(/^lk_user_/);
    const got = await h.client.apiKeys.get(created.id);
    expect(got.apiKey).toBeUndefined();
    expect(got.createdAt).toBe(created.createdAt);
    const page = await h.client.apiKeys.list();
    expect(page.items.map((k) => k.id)).toEqual([created.id]);
    expect(page.items[0].apiKey).toBeUndefined();
  });

  test("string user ids (the JS docs' shape) round-trip", async () => {
    const k = await h.client.apiKeys.create({ name: "s", userId: "user_123" });
    expect((await h.client.apiKeys.get(k.id)).userId).toBe("user_123");
  });

  test("update changes only the given fields", async () => {
    const k = await h.client.apiKeys.create({ name: "a", planId: "p1", metadata: { a: 1 } });
    const u = await h.client.apiKeys.update(k.id, { name: "b", status: "inactive" });
    expect(u).toMatchObject({ id: k.id, name: "b", status: "inactive", planId: "p1", metadata: { a: 1 } });
    expect(u.apiKey).toBeUndefined();
  });

  test("delete is soft: the key then answers 404 with Limitly's code", async () => {
    const k = await h.client.apiKeys.create({ name: "gone" });
    await h.client.apiKeys.delete(k.id);
    const e = await caught(h.client.apiKeys.get(k.id));
    expect(e.status).toBe(404);
    expect(e.code).toBe("API_KEY_NOT_FOUND");
    expect(e.isNotFound).toBe(true);
    expect(e.message).toContain("API key not found");
    expect(h.emu.store.keys.get(k.id)?.deleted_at).toBeTruthy();
  });

  test("regenerate keeps the id and issues a new value", async () => {
    const k = await h.client.apiKeys.create({ name: "r" });
    const r = await h.client.apiKeys.regenerate(k.id);
    expect(r.id).toBe(k.id);
    expect(r.apiKey).toMatch(/^lk_user_/);
    expect(r.apiKey).not.toBe(k.apiKey);
  });

  test("list pages and listAll walks every page", async () => {
    for (let i = 0; i < 23; i++) await h.client.apiKeys.create({ name: `k${i}` });
    const p3 = await h.client.apiKeys.list({ page: 3, limit: 10 });
    expect(p3.items).toHaveLength(3);
    expect(p3.count).toBe(23);
    const all = [];
    for await (const k of h.client.apiKeys.listAll({ limit: 5 })) all.push(k.name);
    expect(all).toHaveLength(23);
    expect(new Set(all).size).toBe(23);
    expect(h.emu.count("GET", "/keys")).toBe(1 + 5);
  });

  test("usage and request history from the emulator", async () => {
    const k = await h.client.apiKeys.create({ name: "u" });
    const usage = await h.client.apiKeys.getUsage(k.id);
    expect(usage).toMatchObject({ requestsInPeriod: 0, isUnlimited: true, period: "month" });
    const hist = await h.client.apiKeys.getRequests(k.id);
    expect(hist).toMatchObject({ requests: [], count: 0 });
  });

  test.each([
    [
      "REST reference",
      usageRest,
      {
        requestsInPeriod: 250,
        limit: 1000,
        remaining: 750,
        percentageUsed: 25,
        period: "month",
        resetTime: "2026-12-01T00:00:00.000Z",
        isUnlimited: false,
      },
    ],
    [
      "JS SDK types",
      usageSdk,
      {
        requestsInPeriod: 250,
        limit: 1000,
        remaining: 750,
        percentageUsed: 25,
        totalRequests: 9000,
        planName: "Basic",
        keyId: "key_123",
        resetTime: "2026-12-01T00:00:00.000Z",
        isUnlimited: false,
      },
    ],
    [
      "both shapes in one object (the emulator's)",
      { ...usageSdk, ...usageRest },
      {
        requestsInPeriod: 250,
        limit: 1000,
        remaining: 750,
        period: "month",
        totalRequests: 9000,
        planName: "Basic",
        keyId: "key_123",
        resetTime: "2026-12-01T00:00:00.000Z",
        isUnlimited: false,
      },
    ],
  ])("usage in the %s shape normalizes to one type", async (_name, fixture, expected) => {
    h.emu.faults.add({ method: "GET", path: "/keys/:id/usage", status: 200, body: { data: fixture } });
    expect(await h.client.apiKeys.getUsage("key_123")).toMatchObject(expected);
  });

  test.each([
    [
      "REST reference",
      requestsRest,
      {
        count: 2,
        requests: [
          { endpoint: "/v1/orders", method: "GET", allowed: true, ipAddress: "203.0.113.9" },
          { allowed: false },
        ],
      },
    ],
    [
      "JS SDK types",
      requestsSdk,
      {
        count: 2,
        totalRequests: 9000,
        requestsInPeriod: 2,
        requests: [
          {
            allowed: true,
            statusCode: 200,
            responseTimeMs: 12,
            keyId: "key_123",
            timestamp: "2026-11-20T10:00:00.000Z",
          },
          { allowed: false, statusCode: 429 },
        ],
      },
    ],
    [
      "both shapes in one object (the emulator's)",
      { ...requestsSdk, ...requestsRest },
      {
        count: 2,
        totalRequests: 9000,
        requestsInPeriod: 2,
        requests: [{ endpoint: "/v1/orders", allowed: true, ipAddress: "203.0.113.9" }, { allowed: false }],
      },
    ],
  ])("request history in the %s shape normalizes to one type", async (_name, fixture, expected) => {
    h.emu.faults.add({ method: "GET", path: "/keys/:id/requests", status: 200, body: { data: fixture } });
    expect(await h.client.apiKeys.getRequests("key_123")).toMatchObject(expected);
  });

  test("plans and users", async () => {
    const plan = await h.client.plans.create({ name: "Pro", maxRequests: 100, requestPeriod: "month" });
    expect(plan).toMatchObject({ name: "Pro", maxRequests: 100, requestPeriod: "month", isActive: true });
    const user = await h.client.users.create({ name: "Acme", email: "ops@acme.example", planId: plan.id });
    expect(user.userId).toBeGreaterThan(0);
    expect((await h.client.users.update(user.userId, { isDisabled: true })).isDisabled).toBe(true);
    expect((await h.client.plans.update(plan.id, { maxRequests: 5 })).maxRequests).toBe(5);
    const e = await caught(h.client.plans.delete(plan.id));
    expect(e).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    await h.client.users.delete(user.userId);
    await h.client.plans.delete(plan.id);
    expect((await caught(h.client.plans.get(plan.id))).status).toBe(404);
  });
});

describe("retries", () => {
  test("429 with Retry-After (seconds) is waited out, then succeeds", async () => {
    h.emu.faults.add({ method: "POST", path: "/keys", status: 429, retryAfter: 1 });
    const t0 = Date.now();
    const k = await h.client.apiKeys.create({ name: "after-429" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(k.name).toBe("after-429");
    expect(h.emu.count("POST", "/keys")).toBe(2);
    expect(h.emu.store.liveKeys()).toHaveLength(1);
  });

  test("429 with Retry-After as an HTTP date is honoured", async () => {
    h.emu.faults.add({
      method: "GET",
      path: "/keys",
      status: 429,
      retryAfter: new Date(Date.now() + 2000).toUTCString(),
    });
    const t0 = Date.now();
    await h.client.apiKeys.list();
    // HTTP dates have one-second resolution, so the wait is between about 1 and 2 seconds.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(h.emu.count("GET", "/keys")).toBe(2);
  });

  describe("a Retry-After longer than Limitly's one-minute window (a day)", () => {
    const DAY_S = 86_400;
    /** How long the next call of this process would wait for the budget this client shares. */
    const budgetWait = () => sharedPacer(h.emu.url, ACCOUNT_KEY, 1000).delayFor();

    test("is waited for a minute at most, by the call and by everyone sharing its budget", async () => {
      await h.close();
      const notices: RetryNotice[] = [];
      h = await startHarness({ timeoutMs: 120_000, requestsPerMinute: 1000, onRetry: (n) => notices.push(n) });
      h.emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: DAY_S });
      const ctrl = new AbortController();
      const call = withSignal(ctrl.signal, () => h.client.apiKeys.list());
      let done = false;
      const settled = call
        .then(
          () => "answered",
          (e: LimitlyError) => e.code,
        )
        .finally(() => (done = true));
      while (notices.length === 0 && !done) await new Promise((r) => setTimeout(r, 10));
      expect(notices).toEqual([expect.objectContaining({ status: 429, retryAfterMs: DAY_S * 1000 })]);
      expect(notices[0].delayMs).toBe(RETRY_AFTER_CAP_MS);
      expect(budgetWait()).toBeLessThanOrEqual(RETRY_AFTER_CAP_MS);
      // Not a minute of this test: the call is cancelled while it waits.
      ctrl.abort(new Error("test over"));
      expect(await settled).toBe("CANCELLED");
    });

    test("past the call's deadline, the call fails at once saying so, and later calls wait a minute at most", async () => {
      await h.close();
      h = await startHarness({ timeoutMs: 1_000, requestsPerMinute: 1000 });
      h.emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: DAY_S });
      const e = await caught(h.client.apiKeys.list());
      expect(e).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", status: 429 });
      expect(e.message).toContain(`Limitly asked to retry after ${DAY_S} s, which is waited for 60 s at most`);
      expect(h.emu.count("GET", "/keys")).toBe(1);
      expect(budgetWait()).toBeLessThanOrEqual(RETRY_AFTER_CAP_MS);
    });
  });

  test("503 on GET is retried, then succeeds", async () => {
    const k = await h.client.apiKeys.create({ name: "g" });
    h.emu.faults.add({ method: "GET", path: "/keys/:id", status: 503, times: 2 });
    expect((await h.client.apiKeys.get(k.id)).name).toBe("g");
    expect(h.emu.count("GET", "/keys/:id")).toBe(3);
  });

  test("a connection reset on PUT is retried", async () => {
    const k = await h.client.apiKeys.create({ name: "p" });
    h.emu.faults.add({ method: "PUT", path: "/keys/:id", reset: true });
    expect((await h.client.apiKeys.update(k.id, { name: "q" })).name).toBe("q");
    expect(h.emu.count("PUT", "/keys/:id")).toBe(2);
  });

  test("a POST is not repeated after a 500: the outcome is reported unknown", async () => {
    h.emu.faults.add({ method: "POST", path: "/keys", status: 500 });
    const e = await caught(h.client.apiKeys.create({ name: "x" }));
    expect(e.code).toBe("OUTCOME_UNKNOWN");
    expect(e.status).toBe(500);
    expect(e.message).toMatch(/may or may not have been carried out/);
    expect(h.emu.count("POST", "/keys")).toBe(1);
  });

  test("a POST whose response is dropped after commit is not repeated", async () => {
    h.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    const e = await caught(h.client.apiKeys.create({ name: "dropped" }));
    expect(e.code).toBe("OUTCOME_UNKNOWN");
    expect(h.emu.count("POST", "/keys")).toBe(1);
    expect(h.emu.store.liveKeys().map((k) => k.name)).toEqual(["dropped"]);
  });

  test("persistent 503 gives up after maxRetries with Limitly's status", async () => {
    await h.close();
    h = await startHarness({ maxRetries: 2 });
    h.emu.faults.add({ method: "GET", path: "/keys", status: 503, times: Infinity });
    const e = await caught(h.client.apiKeys.list());
    expect(e.status).toBe(503);
    expect(h.emu.count("GET", "/keys")).toBe(3);
  });

  test("retries stop at the deadline rather than overrun it", async () => {
    await h.close();
    h = await startHarness({ timeoutMs: 300, maxRetries: 50, backoffBaseMs: 100, backoffCapMs: 100 });
    h.emu.faults.add({ method: "GET", path: "/keys", status: 503, times: Infinity });
    const t0 = Date.now();
    const e = await caught(h.client.apiKeys.list());
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(e.status).toBe(503);
  });
});

describe("timeouts and bad answers", () => {
  test("a GET with no answer within timeoutMs fails with TIMEOUT", async () => {
    await h.close();
    h = await startHarness({ timeoutMs: 200, maxRetries: 0 });
    h.emu.faults.add({ method: "GET", path: "/keys", latencyMs: 1000 });
    const e = await caught(h.client.apiKeys.list());
    expect(e.code).toBe("TIMEOUT");
    expect(e.message).toContain("200 ms");
  });

  test("a deadline that ends a retry in flight still reports the last answer's status", async () => {
    await h.close();
    h = await startHarness({ timeoutMs: 300 });
    h.emu.faults.add({ method: "GET", path: "/keys", status: 503 });
    h.emu.faults.add({ method: "GET", path: "/keys", latencyMs: 1000 });
    const e = await caught(h.client.apiKeys.list());
    expect(e.code).toBe("TIMEOUT");
    expect(e.status).toBe(503);
    expect(e.message).toContain("earlier attempts were answered HTTP 503");
  });

  test("a POST that times out is reported as an unknown outcome", async () => {
    await h.close();
    h = await startHarness({ timeoutMs: 200 });
    h.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 1000 });
    const e = await caught(h.client.apiKeys.create({ name: "slow" }));
    expect(e.code).toBe("OUTCOME_UNKNOWN");
  });

  test("a body that is not JSON is INVALID_RESPONSE naming the endpoint", async () => {
    h.emu.faults.add({ method: "GET", path: "/keys", status: 200, body: "<html>oops</html>" });
    const e = await caught(h.client.apiKeys.list());
    expect(e.code).toBe("INVALID_RESPONSE");
    expect(e.message).toContain("GET /keys");
  });

  test("a body without the envelope is INVALID_RESPONSE", async () => {
    h.emu.faults.add({ method: "GET", path: "/keys", status: 200, body: { keys: [] } });
    expect((await caught(h.client.apiKeys.list())).code).toBe("INVALID_RESPONSE");
  });

  test("a schema-violating answer names the offending path", async () => {
    h.emu.faults.add({
      method: "GET",
      path: "/keys/:id",
      status: 200,
      body: { data: { id: "key_1", name: "n", status: "paused", created_at: "x" } },
    });
    const e = await caught(h.client.apiKeys.get("key_1"));
    expect(e.code).toBe("INVALID_RESPONSE");
    expect(e.message).toContain("data.status");
    expect(e.message).toContain("GET /keys/key_1");
  });

  test("an error answer without Limitly's body still carries the status", async () => {
    h.emu.faults.add({ method: "GET", path: "/keys", status: 418, body: "teapot" });
    const e = await caught(h.client.apiKeys.list());
    expect(e).toMatchObject({ status: 418, code: "HTTP_ERROR" });
  });
});

describe("HTTPS rule and credentials", () => {
  test("plain HTTP to a non-loopback host is refused before any request", () => {
    expect(() => new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl: "http://api.limitly.dev/functions/v1" })).toThrow(
      /HTTPS only/,
    );
    expect(() => new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl: "http://10.0.0.5/functions/v1" })).toThrow(
      LimitlyError,
    );
  });

  test.each([
    "http://127.0.0.1:9/x",
    "http://localhost:9/x",
    "http://[::1]:9/x",
    "https://api.limitly.dev/functions/v1",
  ])("%s is accepted", async (baseUrl) => {
    const c = new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl });
    await c.close();
  });

  test("a missing credential says how to set it", () => {
    expect(() => new LimitlyClient({ apiKey: "" })).toThrow(
      /pulumi config set --secret limitly:apiKey.*LIMITLY_API_KEY/,
    );
  });

  test("a wrong credential gets Limitly's 401", async () => {
    const c = new LimitlyClient({ apiKey: "lk_wrong_credential_123", baseUrl: h.emu.url });
    const e = await caught(c.apiKeys.list());
    await c.close();
    expect(e).toMatchObject({ status: 401, code: "INVALID_API_KEY" });
  });
});

describe("redaction", () => {
  test("neither the credential nor a key value appears in errors, stacks or logs", async () => {
    const k = await h.client.apiKeys.create({ name: "secret" });
    const value = k.apiKey!;
    h.emu.faults.add({
      method: "GET",
      path: "/keys/:id",
      status: 400,
      body: {
        error: `bad key ${value} for ${ACCOUNT_KEY}`,
        code: "VALIDATION_ERROR",
        details: { field: "x", message: value },
      },
    });
    const errors: LimitlyError[] = [await caught(h.client.apiKeys.get(k.id))];
    h.emu.faults.add({ method: "POST", path: "/keys", status: 500 });
    errors.push(await caught(h.client.apiKeys.create({ name: "y" })));
    h.emu.faults.add({ method: "GET", path: "/keys", latencyMs: 500 });
    const slow = new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl: h.emu.url, timeoutMs: 100, maxRetries: 0 });
    errors.push(await caught(slow.apiKeys.list()));
    await slow.close();
    const wrong = new LimitlyClient({ apiKey: "lk_wrong_credential_456", baseUrl: h.emu.url });
    errors.push(await caught(wrong.apiKeys.list()));
    await wrong.close();
    const refused = new LimitlyClient({
      apiKey: ACCOUNT_KEY,
      baseUrl: "http://127.0.0.1:1/functions/v1",
      maxRetries: 0,
    });
    errors.push(await caught(refused.apiKeys.list()));
    await refused.close();

    for (const e of errors) {
      const text = [e.message, e.stack, JSON.stringify(e), JSON.stringify(e.details), String(e)].join("\n");
      expect(text).not.toContain(ACCOUNT_KEY);
      expect(text).not.toContain(value);
      expect(text).not.toContain("lk_wrong_credential");
    }
    expect(errors[0].message).toContain("lk_[redacted]");
    const logs = h.logs.join("\n");
    expect(logs).not.toContain(ACCOUNT_KEY);
    expect(logs).not.toContain(value);
    expect(h.logs.length).toBe(h.emu.calls.length);
    // Inspecting the client object does not show the credential either.
    expect(JSON.stringify(h.client)).not.toContain(ACCOUNT_KEY);
    expect(inspect(h.client, { depth: 20, showHidden: true })).not.toContain(ACCOUNT_KEY);
  });
});

describe("secrets of any shape", () => {
  test("a credential that does not look like lk_…, echoed by the server, appears in no field of the error", async () => {
    const odd = "ACCOUNTCREDENTIALOFANOTHERSHAPE0123456789";
    const emu = h.emu;
    emu.apiKeys.push(odd);
    emu.faults.add({
      method: "GET",
      path: "/keys",
      status: 400,
      body: { error: `bad request for ${odd}`, code: "VALIDATION_ERROR", details: { got: odd } },
    });
    const client = new LimitlyClient({ apiKey: odd, baseUrl: emu.url, maxRetries: 0 });
    const e = await caught(client.apiKeys.list());
    await client.close();
    for (const text of [e.message, e.stack, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })])
      expect(text).not.toContain(odd);
    expect(e.message).toContain("[redacted]");
  });

  test.each([
    ["an issued key value", "value"],
    ["the account credential", "credential"],
  ])("%s passed where a key id belongs is refused before it is sent", async (_what, which) => {
    const k = await h.client.apiKeys.create({ name: "secret" });
    const secret = which === "value" ? k.apiKey! : ACCOUNT_KEY;
    const before = h.emu.calls.length;
    for (const call of [
      () => h.client.apiKeys.get(secret),
      () => h.client.apiKeys.update(secret, { name: "x" }),
      () => h.client.apiKeys.delete(secret),
      () => h.client.apiKeys.regenerate(secret),
      () => h.client.plans.get(secret),
    ]) {
      const e = await caught(call());
      expect(e.code).toBe("INVALID_ID");
      for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })])
        expect(text).not.toContain(secret);
    }
    expect(h.emu.calls.length).toBe(before);
  });

  test.each([".", "..", ""])("the id %j is refused instead of addressing another route", async (id) => {
    const before = h.emu.calls.length;
    expect((await caught(h.client.apiKeys.get(id))).code).toBe("INVALID_ID");
    expect(h.emu.calls.length).toBe(before);
  });

  test("the emulator's log and call record never show a key value sent as a path segment", async () => {
    const k = await h.client.apiKeys.create({ name: "secret" });
    const res = await fetch(`${h.emu.url}/keys/${encodeURIComponent(k.apiKey!)}`, {
      headers: { authorization: `Bearer ${ACCOUNT_KEY}` },
    });
    expect(res.status).toBe(404);
    expect(h.logs.join("\n")).not.toContain(k.apiKey!);
    expect(JSON.stringify(h.emu.calls)).not.toContain(k.apiKey!);
    expect(h.emu.calls.at(-1)!.path).toBe("/keys/[redacted]");
  });
});

describe("retry policy units", () => {
  test.each([
    ["POST", 429, undefined, true],
    ["GET", 503, undefined, true],
    ["PUT", 500, undefined, true],
    ["DELETE", 502, undefined, true],
    ["POST", 500, undefined, false],
    ["POST", 503, undefined, false],
    ["GET", 404, undefined, false],
    ["GET", 400, undefined, false],
    ["GET", undefined, "ECONNRESET", true],
    ["POST", undefined, "ECONNRESET", false],
    ["POST", undefined, "UND_ERR_SOCKET", false],
    ["POST", undefined, "ECONNREFUSED", true],
  ] as const)("%s status=%s code=%s → retry %s", (method, status, code, expected) => {
    expect(isRetryable({ method, status, code })).toBe(expected);
  });

  test("Retry-After parses seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-22T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("garbage", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  test("backoff is full jitter under an exponential cap", () => {
    expect(backoffDelay(1, 100, 1000, () => 0.999)).toBeCloseTo(99.9);
    expect(backoffDelay(4, 100, 1000, () => 0.5)).toBe(400);
    expect(backoffDelay(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 100, 1000, () => 0)).toBe(0);
  });
});
