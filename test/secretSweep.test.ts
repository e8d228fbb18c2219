/**
 * No secret byte anywhere: for account credentials and key values of every shape Limitly has used
 * (`lk_…`, 32 uppercase letters, UUIDs), every error path of the client (400, 401, 404, 429, 5xx,
 * timeouts, resets, answers that break the contract) and every channel an error reaches (message,
 * stack, JSON.stringify, util.inspect, details, the CLI's output, the emulator's log) is swept for
 * the credential and every value issued. Redaction must come from what the process has seen, not
 * from a pattern.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { LimitlyClient, LimitlyError } from "../src";
import { main } from "../src/cli/limitly";
import { startEmulator, type Emulator, type KeyValueStyle } from "../src/emulator";

const upper32 = () => Array.from({ length: 32 }, (_, i) => String.fromCharCode(65 + ((i * 7 + 3) % 26))).join("");

const CASES: [KeyValueStyle, string][] = [
  ["lk", "lk_acct_SWEEP_credential_0001"],
  ["upper32", upper32()],
  ["uuid", randomUUID()],
];

describe.each(CASES)("key values shaped %s", (style, credential) => {
  let emu: Emulator;
  let logs: string[];
  let client: LimitlyClient;
  let values: string[];

  beforeEach(async () => {
    logs = [];
    emu = await startEmulator({
      apiKeys: [credential],
      keyValueStyle: style,
      rateLimitPerMinute: 0,
      log: (l) => logs.push(l),
    });
    client = new LimitlyClient({
      apiKey: credential,
      baseUrl: emu.url,
      requestsPerMinute: 0,
      timeoutMs: 800,
      maxRetries: 1,
      backoffBaseMs: 5,
    });
    const a = await client.apiKeys.create({ name: "a" });
    const b = await client.apiKeys.regenerate((await client.apiKeys.create({ name: "b" })).id);
    values = [a.apiKey!, b.apiKey!];
    if (style !== "lk") for (const v of values) expect(v).not.toMatch(/^lk_/);
  });
  afterEach(async () => {
    await client.close();
    await emu.close();
  });

  const secrets = () => [credential, ...values];
  /** Everything an error shows anywhere. */
  const channels = (e: unknown) => {
    const err = e as LimitlyError;
    return [
      err.message,
      err.stack ?? "",
      String(err),
      JSON.stringify(err),
      inspect(err, { depth: 10 }),
      JSON.stringify(err.details ?? null),
    ].join("\n");
  };
  const echo = () => `echo: ${credential} ${values.join(" ")}`;

  const paths: [string, () => Promise<unknown>][] = [
    [
      "400 echoing the secrets",
      async () => {
        emu.faults.add({
          method: "PUT",
          status: 400,
          body: { error: echo(), code: "VALIDATION_ERROR", details: { field: "name", message: echo() } },
        });
        return client.apiKeys.update((await client.apiKeys.list()).items[0].id, { name: "x" });
      },
    ],
    [
      "401 echoing the credential",
      async () => {
        emu.faults.add({
          method: "GET",
          status: 401,
          body: { error: `Invalid API key ${credential}`, code: "INVALID_API_KEY" },
        });
        return client.apiKeys.list();
      },
    ],
    ["404 for a value passed as an id (refused before sending)", () => client.apiKeys.get(values[0])],
    ["regenerate with a value as the id", () => client.apiKeys.regenerate(values[1])],
    [
      "429 echoing the secrets",
      async () => {
        emu.faults.add({
          method: "GET",
          status: 429,
          retryAfter: 1,
          times: 10,
          body: { error: echo(), code: "RATE_LIMIT_EXCEEDED" },
        });
        return client.apiKeys.list();
      },
    ],
    [
      "503 echoing the secrets",
      async () => {
        emu.faults.add({ method: "GET", status: 503, times: 10, body: { error: echo(), code: "INTERNAL_ERROR" } });
        return client.apiKeys.list();
      },
    ],
    [
      "a POST answered 500 (outcome unknown)",
      async () => {
        emu.faults.add({ method: "POST", status: 500, body: { error: echo() } });
        return client.apiKeys.create({ name: "c" });
      },
    ],
    [
      "a timeout",
      async () => {
        emu.faults.add({ method: "GET", latencyMs: 2_000, times: 10 });
        return client.apiKeys.list();
      },
    ],
    [
      "a reset",
      async () => {
        emu.faults.add({ method: "POST", reset: true });
        return client.apiKeys.create({ name: "d" });
      },
    ],
    [
      "an answer that breaks the contract, carrying the secrets",
      async () => {
        emu.faults.add({
          method: "GET",
          status: 200,
          body: { data: [{ id: 5, name: values[0], api_key: credential }] },
        });
        return client.apiKeys.list();
      },
    ],
    [
      "an answer that is not JSON, carrying the secrets",
      async () => {
        emu.faults.add({ method: "GET", status: 200, body: `<html>${echo()}</html>` });
        return client.apiKeys.list();
      },
    ],
  ];

  test.each(paths)(
    "%s: no channel shows the credential or a value",
    async (_name, call) => {
      const e = await call().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LimitlyError);
      const shown = channels(e);
      for (const s of secrets()) expect(shown).not.toContain(s);
      const log = [...logs, ...emu.calls.map((c) => `${c.method} ${c.path} ${c.route}`)].join("\n");
      for (const s of secrets()) expect(log).not.toContain(s);
    },
    20_000,
  );

  test("the limitly command: errors and the request log show neither, with --json and without", async () => {
    for (const json of [[], ["--json"]]) {
      for (const argv of [
        ["keys", "get", values[0]],
        ["keys", "regenerate", values[1]],
        ["keys", "delete", values[0]],
      ]) {
        let out = "";
        const code = await main([...argv, ...json], {
          out: (s) => (out += s),
          err: (s) => (out += s),
          env: { LIMITLY_API_KEY: credential, LIMITLY_BASE_URL: emu.url },
          isTTY: false,
        });
        expect(code).not.toBe(0);
        for (const s of secrets()) expect(out).not.toContain(s);
      }
    }
    emu.faults.add({ method: "GET", status: 400, body: { error: echo(), code: "VALIDATION_ERROR" } });
    let out = "";
    await main(["keys", "list", "--json"], {
      out: (s) => (out += s),
      err: (s) => (out += s),
      env: { LIMITLY_API_KEY: credential, LIMITLY_BASE_URL: emu.url },
    });
    expect(out).toContain("echo: ");
    for (const s of secrets()) expect(out).not.toContain(s);
    for (const s of secrets()) expect(logs.join("\n")).not.toContain(s);
  });
});
