/**
 * The "Error codes" table of docs/troubleshooting.md, walked row by row: each code is made to happen the way a user
 * meets it (the client against the emulator over real HTTP, the provider's hooks, the `limitly`
 * command, the emulator), and the error has that `code`, a `name`, and no credential in it. The
 * table and the exported code lists must name the same codes, so neither can drift.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIMITLY_ERROR_CODES, LimitlyClient, LimitlyError, PACKAGE_ERROR_CODES } from "../src";
import { startEmulator, type Emulator } from "../src/emulator";
import { attach, hooks } from "../src/provider";
import { readSettings } from "../src/provider/config";
import { clientFromSettings } from "../src/provider/config";
import { main } from "../src/cli/limitly";
import { withSignal } from "../src/client/abort";
import { section } from "./support/docs";

const KEY = "lk_acct_error_codes_0001";
let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0 });
});
afterEach(() => emu.close());

const client = (opts: Partial<ConstructorParameters<typeof LimitlyClient>[0]> = {}) =>
  new LimitlyClient({ apiKey: KEY, baseUrl: emu.url, requestsPerMinute: 0, maxRetries: 0, ...opts });

/** The error a call throws (or rejects with); fails the test when it succeeds. */
async function caught(f: () => unknown): Promise<{ name: string; code: string; message: string }> {
  try {
    await f();
  } catch (e) {
    return e as { name: string; code: string; message: string };
  }
  throw new Error("expected an error, got none");
}

/** What the `limitly` command printed as its JSON error, with its exit code. */
async function cli(...argv: string[]) {
  let err = "";
  const exit = await main([...argv, "--json", "--base-url", emu.url], {
    out: () => undefined,
    err: (s) => (err += s),
    env: { LIMITLY_API_KEY: KEY },
  });
  return { exit, error: JSON.parse(err.split("\n")[0]).error as { code: string; message: string } };
}

/** A provider object configured as Pulumi's provider host configures it. */
function provider(kind: string, settings: Record<string, string> = {}) {
  const self: Record<string, unknown> = {};
  const config = { "limitly:apiKey": KEY, "limitly:baseUrl": emu.url, "limitly:requestsPerMinute": "0", ...settings };
  attach(self, kind, { config: { get: (k: string) => config[k as keyof typeof config] } });
  return self as unknown as { create(inputs: Record<string, unknown>): Promise<unknown> };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const MAKERS: Record<string, () => Promise<{ name: string; code: string; message: string }>> = {
  INVALID_API_KEY: () => caught(() => client({ apiKey: "lk_acct_not_this_one_0002" }).apiKeys.list()),
  UNAUTHORIZED: () => {
    // The emulator answers UNAUTHORIZED to a request without a credential; the client always sends
    // one, so this is the answer a header-stripping proxy in between would cause.
    emu.faults.add({
      path: "/keys",
      status: 401,
      body: { error: "Missing Authorization header", code: "UNAUTHORIZED" },
    });
    return caught(() => client().apiKeys.list());
  },
  VALIDATION_ERROR: () => caught(() => client().plans.create({ name: "P", maxRequests: -1, requestPeriod: "day" })),
  NOT_FOUND: () => caught(() => client().plans.get("plan_nope")),
  API_KEY_NOT_FOUND: () => caught(() => client().apiKeys.get("key_nope")),
  RATE_LIMIT_EXCEEDED: () => {
    emu.faults.add({ path: "/keys", status: 429, retryAfter: 60, times: Infinity });
    return caught(() => client({ timeoutMs: 1_000 }).apiKeys.list());
  },
  KEY_LIMIT_REACHED: async () => {
    await emu.close();
    emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0, maxKeys: 0 });
    // Through the provider: its fuller message keeps Limitly's code.
    return caught(() => provider("ApiKey").create({ name: "k", status: "active", rotationStrategy: "replace" }));
  },
  HTTP_ERROR: () => {
    emu.faults.add({ path: "/keys", status: 418, body: "<html>teapot</html>" });
    return caught(() => client().apiKeys.list());
  },
  INVALID_RESPONSE: () => {
    emu.faults.add({ path: "/keys", status: 200, body: { data: [{ id: 7 }] } });
    return caught(() => client().apiKeys.list());
  },
  OUTCOME_UNKNOWN: () => {
    emu.faults.add({ method: "POST", path: "/plans", status: 500 });
    return caught(() => client().plans.create({ name: "P", maxRequests: 5, requestPeriod: "day" }));
  },
  TIMEOUT: () => {
    emu.faults.add({ path: "/keys", latencyMs: 1_500 });
    return caught(() => client({ timeoutMs: 300 }).apiKeys.list());
  },
  NETWORK_ERROR: async () => {
    const port = await closedPort();
    return caught(() => client({ baseUrl: `http://127.0.0.1:${port}/functions/v1` }).apiKeys.list());
  },
  INSECURE_URL: () => caught(() => client({ baseUrl: "http://limitly.example.com/functions/v1" })),
  MISSING_CREDENTIAL: () => caught(() => client({ apiKey: "" })),
  INVALID_CONFIG: () =>
    caught(() => clientFromSettings(readSettings((k) => (k === "limitly:timeoutMs" ? "soon" : undefined)))),
  INVALID_ID: () => caught(() => client().apiKeys.get(".")),
  VALUE_LOST: () => {
    // The create's answer is lost after Limitly carried it out, and regenerating the key found
    // again by its token is refused: the key is kept in the stack without a value.
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 400, times: Infinity });
    return caught(() =>
      provider("ApiKey", { "limitly:timeoutMs": "1000" }).create({
        name: "k",
        status: "active",
        rotationStrategy: "replace",
      }),
    );
  },
  UNKNOWN_RESOURCE_KIND: () => caught(() => hooks("Gateway")),
  USAGE: async () => {
    const r = await cli("keys", "get");
    expect(r.exit).toBe(2);
    return { name: "UsageError", ...r.error };
  },
  INVALID_STATE_FILE: () => {
    const file = join(mkdtempSync(join(tmpdir(), "limitly-codes-")), "state.json");
    writeFileSync(file, "[1, 2, 3]");
    return caught(() => startEmulator({ stateFile: file }));
  },
  INTERNAL_ERROR: () => Promise.resolve({ name: "Error", code: LimitlyError.codeOf(new TypeError("x")), message: "" }),
  CANCELLED: async () => {
    // As the plugin runs a hook: inside withSignal, aborted (the engine's Cancel) while the create's
    // POST is held by Limitly.
    emu.faults.add({ method: "POST", path: "/keys", latencyMs: 1_500 });
    const ctrl = new AbortController();
    const create = caught(() =>
      withSignal(ctrl.signal, () =>
        provider("ApiKey").create({ name: "k", status: "active", rotationStrategy: "replace" }),
      ),
    );
    while (emu.faults.injected.latency === undefined) await new Promise((r) => setTimeout(r, 10));
    ctrl.abort(new Error("the engine cancelled the operation"));
    return create;
  },
};

/** The code column of the "Error codes" table in docs/troubleshooting.md. */
function tableCodes(): string[] {
  return [...section("docs/troubleshooting.md", "Error codes").matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
}

test("the docs' table lists exactly the exported codes, Limitly's and the package's", () => {
  expect(tableCodes().sort()).toEqual([...LIMITLY_ERROR_CODES, ...PACKAGE_ERROR_CODES].sort());
});

test.each(tableCodes())("%s happens as the table says, with a name and that code", async (code) => {
  expect(MAKERS[code]).toBeDefined();
  const e = await MAKERS[code]();
  expect({ code: e.code, named: typeof e.name === "string" && e.name.length > 0 }).toEqual({ code, named: true });
  expect(e.message).not.toContain(KEY);
});

test("a mistaken id on the command line exits 2 with the usage, like any other command-line mistake", async () => {
  const r = await cli("keys", "get", ".");
  expect(r).toEqual({ exit: 2, error: { code: "INVALID_ID", message: expect.stringContaining("not a valid") } });
  // A real API error still exits 1.
  expect((await cli("keys", "get", "key_nope")).exit).toBe(1);
});
