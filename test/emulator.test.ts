import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { request } from "undici";
import { startEmulator, type Emulator } from "../src/emulator";

const KEY = "lk_acct_emulator_test_0001";
let emu: Emulator;
let logs: string[];

beforeEach(async () => {
  logs = [];
  emu = await startEmulator({ apiKeys: [KEY], log: (l) => logs.push(l) });
});
afterEach(() => emu.close());

async function call(method: string, path: string, body?: unknown, opts: { auth?: string | null; raw?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = opts.auth === undefined ? KEY : opts.auth;
  if (auth !== null) headers.authorization = `Bearer ${auth}`;
  const res = await request(`${emu.url}${path}`, {
    method: method as "GET",
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe("keys", () => {
  test("create answers 201 with api_key; get, list and update never show it", async () => {
    const c = await call("POST", "/keys", { name: "Prod", user_id: 42, plan_id: "plan_basic", metadata: { a: 1 } });
    expect(c.status).toBe(201);
    expect(c.json.data).toMatchObject({
      name: "Prod",
      user_id: 42,
      plan_id: "plan_basic",
      status: "active",
      metadata: { a: 1 },
    });
    expect(c.json.data.api_key).toMatch(/^lk_user_[0-9a-f]{32}$/);
    expect(c.json.data.id).toMatch(/^key_/);
    for (const k of ["created_at", "updated_at"]) expect(Date.parse(c.json.data[k])).not.toBeNaN();
    const id = c.json.data.id;
    const g = await call("GET", `/keys/${id}`);
    expect(g.status).toBe(200);
    expect(g.json.data.api_key).toBeUndefined();
    expect(g.json.data.value_hash).toBeUndefined();
    const u = await call("PUT", `/keys/${id}`, { name: "Renamed", status: "inactive" });
    expect(u.json.data).toMatchObject({ id, name: "Renamed", status: "inactive", user_id: 42 });
    expect(u.json.data.api_key).toBeUndefined();
    expect(Date.parse(u.json.data.updated_at)).toBeGreaterThan(Date.parse(c.json.data.updated_at));
    const l = await call("GET", "/keys");
    expect(l.json).toMatchObject({ count: 1 });
    expect(l.json.data[0].api_key).toBeUndefined();
  });

  test("list pages with page/limit and reports count; limit is capped at 100", async () => {
    for (let i = 0; i < 12; i++) await call("POST", "/keys", { name: `k${i}` });
    const p1 = await call("GET", "/keys");
    expect(p1.json.data).toHaveLength(10);
    expect(p1.json.count).toBe(12);
    const p2 = await call("GET", "/keys?page=2&limit=5");
    expect(p2.json.data.map((k: { name: string }) => k.name)).toEqual(["k5", "k6", "k7", "k8", "k9"]);
    const bad = await call("GET", "/keys?limit=101");
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "limit" } });
  });

  test("delete is soft: 404 API_KEY_NOT_FOUND afterwards, also for a second delete", async () => {
    const id = (await call("POST", "/keys", { name: "x" })).json.data.id;
    const d = await call("DELETE", `/keys/${id}`);
    expect(d.status).toBe(200);
    expect(d.json.data.message).toEqual(expect.any(String));
    for (const [m, p] of [
      ["GET", `/keys/${id}`],
      ["PUT", `/keys/${id}`],
      ["DELETE", `/keys/${id}`],
      ["POST", `/keys/${id}/regenerate`],
    ]) {
      const r = await call(m, p, m === "PUT" ? { name: "y" } : undefined);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: "API key not found", code: "API_KEY_NOT_FOUND" });
    }
    expect((await call("GET", "/keys")).json.count).toBe(0);
    expect(emu.store.keys.get(id)?.deleted_at).toBeTruthy();
  });

  test("regenerate: same id, new value, and the old value stops validating", async () => {
    const c = (await call("POST", "/keys", { name: "r" })).json.data;
    const v1 = await call("POST", "/validate", { api_key: c.api_key, endpoint: "/x", method: "GET" });
    expect(v1.json.success).toBe(true);
    const r = await call("POST", `/keys/${c.id}/regenerate`);
    expect(r.status).toBe(200);
    expect(r.json.data.id).toBe(c.id);
    expect(r.json.data.api_key).not.toBe(c.api_key);
    expect((await call("POST", "/validate", { api_key: c.api_key, endpoint: "/x", method: "GET" })).json.success).toBe(
      false,
    );
    expect(
      (await call("POST", "/validate", { api_key: r.json.data.api_key, endpoint: "/x", method: "GET" })).json.success,
    ).toBe(true);
  });

  test("usage and request history follow validated requests against the plan", async () => {
    const plan = (await call("POST", "/plans", { name: "Tiny", max_requests: 2, request_period: "day" })).json.data;
    const key = (await call("POST", "/keys", { name: "u", plan_id: plan.id })).json.data;
    for (let i = 0; i < 3; i++)
      await call("POST", "/validate", { api_key: key.api_key, endpoint: "/orders", method: "get" });
    const usage = await call("GET", `/keys/${key.id}/usage`);
    expect(usage.json.data).toMatchObject({ current_usage: 2, limit: 2, remaining: 0, period: "day" });
    const hist = await call("GET", `/keys/${key.id}/requests`);
    expect(hist.json.data.count).toBe(3);
    expect(hist.json.data.requests.map((r: { status: string }) => r.status)).toEqual(["allowed", "allowed", "denied"]);
    expect(hist.json.data.requests[0]).toMatchObject({
      endpoint: "/orders",
      method: "GET",
      ip_address: expect.any(String),
    });
  });

  test.each([
    [{}, "name", "is required"],
    [{ name: "" }, "name", "must not be empty"],
    [{ name: 5 }, "name", "must be a string"],
    [{ name: "a", status: "paused" }, "status", "must be one of active, inactive"],
    [{ name: "a", user_id: -1 }, "user_id", "must be a positive integer or a non-empty string"],
    [{ name: "a", metadata: [1] }, "metadata", "must be a JSON object"],
  ])("POST /keys %j → 400 naming %s", async (body, field, message) => {
    const r = await call("POST", "/keys", body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "VALIDATION_ERROR", details: { field, message } });
    expect(emu.store.keys.size).toBe(0);
  });

  test("malformed JSON → 400 VALIDATION_ERROR with details", async () => {
    const r = await call("POST", "/keys", undefined, { raw: "{nope" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "body" } });
  });
});

describe("auth, routing and rate limit", () => {
  test("missing and wrong credentials get 401", async () => {
    expect((await call("GET", "/keys", undefined, { auth: null })).json).toMatchObject({ code: "UNAUTHORIZED" });
    const wrong = await call("GET", "/keys", undefined, { auth: "lk_not_a_real_key" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: "Invalid API key", code: "INVALID_API_KEY" });
  });

  test("unknown routes get 404 NOT_FOUND; wrong methods 405", async () => {
    expect((await call("GET", "/nothing")).json).toMatchObject({ code: "NOT_FOUND" });
    expect((await call("PATCH", "/keys")).status).toBe(405);
  });

  test("the rate limit answers 429 RATE_LIMIT_EXCEEDED with Retry-After, per account key", async () => {
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY, "lk_other_account_key"], rateLimitPerMinute: 5 });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("GET", "/keys")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call("GET", "/keys");
    expect(limited.json.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((await call("GET", "/keys", undefined, { auth: "lk_other_account_key" })).status).toBe(200);
  });
});

describe("plans and users", () => {
  test("CRUD with validation and reference checks on delete", async () => {
    expect(
      (await call("POST", "/plans", { name: "P", max_requests: 0, request_period: "month" })).json.details.field,
    ).toBe("max_requests");
    expect(
      (await call("POST", "/plans", { name: "P", max_requests: 10, request_period: "hour" })).json.details.field,
    ).toBe("request_period");
    const plan = (await call("POST", "/plans", { name: "P", max_requests: 10, request_period: "month" })).json.data;
    expect(plan).toMatchObject({ is_active: true, description: null });
    expect((await call("POST", "/users", { name: "U", email: "not-an-email" })).json.details.field).toBe("email");
    const user = await call("POST", "/users", { name: "U", email: "u@example.com", plan_id: plan.id });
    expect(user.status).toBe(201);
    expect(user.json.data.user_id).toBe(1);
    const key = (await call("POST", "/keys", { name: "k", user_id: 1, plan_id: plan.id })).json.data;
    const refused = await call("DELETE", `/plans/${plan.id}`);
    expect(refused.status).toBe(400);
    expect(refused.json.details.message).toContain(key.id);
    expect((await call("DELETE", "/users/1")).json.details.message).toContain(key.id);
    await call("DELETE", `/keys/${key.id}`);
    expect((await call("DELETE", "/users/1")).status).toBe(200);
    expect((await call("GET", "/users/1")).status).toBe(404);
    expect((await call("DELETE", `/plans/${plan.id}`)).status).toBe(200);
    expect((await call("GET", `/plans/${plan.id}`)).json).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("persistence and logs", () => {
  test("state survives a restart, written atomically", async () => {
    const dir = mkdtempSync(join(tmpdir(), "limitly-state-"));
    const stateFile = join(dir, "state.json");
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], stateFile });
    const k = (await call("POST", "/keys", { name: "persisted" })).json.data;
    await call("POST", "/plans", { name: "P", max_requests: 1, request_period: "day" });
    await call("POST", "/users", { name: "U" });
    await emu.close();
    expect(readdirSync(dir).sort()).toEqual(["state.json", "state.json.journal"]);
    expect(readFileSync(stateFile, "utf8") + readFileSync(`${stateFile}.journal`, "utf8")).not.toContain(k.api_key);
    emu = await startEmulator({ apiKeys: [KEY], stateFile });
    expect((await call("GET", `/keys/${k.id}`)).json.data.name).toBe("persisted");
    expect((await call("GET", "/plans")).json.count).toBe(1);
    expect((await call("POST", "/users", { name: "V" })).json.data.user_id).toBe(2);
    const v = await call("POST", "/validate", { api_key: k.api_key, endpoint: "/", method: "GET" });
    expect(v.json.success).toBe(true);
  });

  test("one log line per request, without credential or key value", async () => {
    const k = (await call("POST", "/keys", { name: "l" })).json.data;
    await call("GET", `/keys/${k.id}`);
    await call("GET", "/keys", undefined, { auth: "lk_wrong_one_here" });
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatch(/^POST \/keys 201 [\d.]+ms$/);
    const all = logs.join("\n");
    for (const s of [KEY, k.api_key, "lk_wrong_one_here"]) expect(all).not.toContain(s);
  });
});

describe("persistence under load and damage", () => {
  const fresh = () => join(mkdtempSync(join(tmpdir(), "limitly-state-")), "state.json");

  test("a change appends to the journal instead of rewriting a large state; a restart replays it", async () => {
    const stateFile = fresh();
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], stateFile, rateLimitPerMinute: 0 });
    const big = { blob: "x".repeat(15_000) };
    for (let i = 0; i < 300; i++) await call("POST", "/keys", { name: `bulk ${i}`, metadata: big });
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], stateFile, rateLimitPerMinute: 0 });
    const snapshot = readFileSync(stateFile, "utf8");
    expect(snapshot.length).toBeGreaterThan(4_000_000);
    const before = readFileSync(stateFile, "utf8").length;
    const started = performance.now();
    for (let i = 0; i < 100; i++) await call("POST", "/keys", { name: `more ${i}` });
    const ms = performance.now() - started;
    // The snapshot was not rewritten: only the journal grew.
    expect(readFileSync(stateFile, "utf8").length).toBe(before);
    expect(readFileSync(`${stateFile}.journal`, "utf8").split("\n").filter(Boolean).length).toBe(200);
    process.stderr.write(`[emulator] 100 creates over a ${(before / 1e6).toFixed(1)} MB state: ${Math.round(ms)} ms\n`);
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], stateFile, rateLimitPerMinute: 0 });
    expect(emu.store.liveKeys()).toHaveLength(400);
  }, 60_000);

  test("a torn last journal line (a kill mid-append) is ignored; a stale temporary file is removed", async () => {
    const stateFile = fresh();
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], stateFile });
    const kept = (await call("POST", "/keys", { name: "kept" })).json.data;
    await emu.close();
    writeFileSync(`${stateFile}.journal`, `${readFileSync(`${stateFile}.journal`, "utf8")}{"key":{"id":"key_torn`);
    writeFileSync(`${stateFile}.4242.0123abcd.tmp`, "{");
    emu = await startEmulator({ apiKeys: [KEY], stateFile });
    expect(emu.store.liveKeys().map((k) => k.id)).toEqual([kept.id]);
    expect(readdirSync(dirname(stateFile)).sort()).toEqual(["state.json", "state.json.journal"]);
  });

  test.each([
    ["", /state file .*state\.json is empty/],
    ["{ not json", /state file .*state\.json is not valid JSON/],
    ["[1,2,3]", /does not hold a JSON object: it is not a limitly-emulator state file/],
    ['{"version":1,"keys":{}}', /lacks the "keys", "plans" and "users" lists/],
    ['{"version":7,"keys":[],"plans":[],"users":[]}', /has version 7; this emulator reads version 1/],
    ['{"version":1,"keys":[{"name":"x"}],"plans":[],"users":[]}', /has a key, plan or user without its id/],
  ])("a state file holding %j gives one clear error naming the file", async (text, message) => {
    const stateFile = fresh();
    writeFileSync(stateFile, text);
    await expect(startEmulator({ apiKeys: [KEY], stateFile })).rejects.toThrow(message);
  });
});

describe("hard to knock over", () => {
  test("an unauthenticated request is refused before its body is read", async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, "a");
    const res = await request(`${emu.url}/keys`, { method: "POST", body }).catch((e: Error) => e);
    // Refused with 401 (or the connection closed under the upload): never processed, never buffered.
    if (!(res instanceof Error)) {
      expect(res.statusCode).toBe(401);
      await res.body.dump();
    }
    expect(emu.calls.at(-1)).toMatchObject({ method: "POST", status: 401 });
  });

  test("a body over 1 MiB gets 413 PAYLOAD_TOO_LARGE and changes nothing", async () => {
    const r = await call("POST", "/keys", undefined, { raw: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }) });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { field: "body" } });
    expect(emu.store.liveKeys()).toHaveLength(0);
    expect((await call("POST", "/keys", { name: "after" })).status).toBe(201);
  });
});

describe("CLI", () => {
  const cli = resolve(__dirname, "../dist/emulator/cli.js");
  const run = (args: string[]) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
    });
    const waitLines = async (n: number) => {
      for (let i = 0; i < 200 && lines.length < n; i++) await new Promise((r) => setTimeout(r, 25));
      return lines;
    };
    return { child, lines, waitLines };
  };

  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  });

  test("--port 0 --api-key K prints the base URL, serves the contract and logs requests", async () => {
    const { child, lines, waitLines } = run(["--port", "0", "--api-key", KEY, "--rate-limit", "100"]);
    try {
      await waitLines(1);
      expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/functions\/v1$/);
      const res = await request(`${lines[0]}/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ name: "cli" }),
      });
      const body = (await res.body.json()) as { data: { api_key: string } };
      expect(res.statusCode).toBe(201);
      await waitLines(2);
      expect(lines[1]).toMatch(/^POST \/keys 201/);
      expect(lines.join("\n")).not.toContain(KEY);
      expect(lines.join("\n")).not.toContain(body.data.api_key);
    } finally {
      child.kill("SIGTERM");
    }
  });

  test("without --api-key it generates one and prints it", async () => {
    const { child, lines, waitLines } = run(["--port", "0"]);
    try {
      await waitLines(2);
      const key = /generated account API key: (lk_\w+)/.exec(lines[1])?.[1];
      expect(key).toBeDefined();
      const res = await request(`${lines[0]}/keys`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      child.kill("SIGTERM");
    }
  });

  test("a corrupt --state file: exit 1 with one line naming the file and the problem", async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "limitly-state-")), "state.json");
    writeFileSync(stateFile, '{"keys": 5}');
    const { child } = run(["--state", stateFile]);
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(1);
    expect(err).toBe(
      `limitly-emulator: state file ${stateFile} has version undefined; this emulator reads version 1: it is not a limitly-emulator state file\n`,
    );
  });

  test("bad arguments exit 2 with usage", async () => {
    const { child } = run(["--port", "nope"]);
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(2);
  });
});
