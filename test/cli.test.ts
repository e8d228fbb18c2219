/** The `limitly` command against the emulator. */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { main } from "../src/cli/limitly";
import { MAX_CELL, table } from "../src/cli/format";
import { checkApiKey } from "../src/provider/apiKeyInputs";
import { VERSION } from "../src/version";
import { ACCOUNT_KEY, startHarness, type Harness } from "./support/harness";
import { typecheck } from "./support/typecheck";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function run(...argv: string[]) {
  return runWith({ LIMITLY_API_KEY: ACCOUNT_KEY, LIMITLY_BASE_URL: h.emu.url }, ...argv);
}

async function runWith(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env,
    isTTY: false,
  });
  expect(out + err).not.toContain(ACCOUNT_KEY);
  return { code, out, err };
}

test("list: a table by default, JSON with --json, progress per page on stderr", async () => {
  for (let i = 0; i < 120; i++) await h.client.apiKeys.create({ name: `key ${i}`, planId: "plan_basic" });
  const r = await run("keys", "list");
  expect(r.code).toBe(0);
  const lines = r.out.trim().split("\n");
  expect(lines[0]).toMatch(/^id\s+name\s+status\s+userId\s+planId\s+createdAt\s+lastUsedAt$/);
  expect(lines).toHaveLength(2 + 120);
  expect(r.err).toBe("fetched 100 of 120 keys (page 1)\nfetched 120 of 120 keys (page 2)\n");
  const j = await run("keys", "list", "--json");
  expect(JSON.parse(j.out)).toHaveLength(120);
  expect(j.out).not.toMatch(/lk_user_/);
});

test("create prints the value once, to stdout; get and update never do", async () => {
  const c = await run(
    "keys",
    "create",
    "--name",
    "CLI key",
    "--user-id",
    "42",
    "--plan-id",
    "plan_basic",
    "--metadata",
    '{"team":"core"}',
    "--json",
  );
  expect(c.code).toBe(0);
  const created = JSON.parse(c.out);
  expect(created).toMatchObject({ name: "CLI key", userId: 42, planId: "plan_basic", metadata: { team: "core" } });
  expect(created.apiKey).toMatch(/^lk_user_/);
  expect(c.err).not.toContain(created.apiKey);
  const g = await run("keys", "get", created.id);
  expect(g.out).toMatch(/name\s+CLI key/);
  expect(g.out).not.toContain("lk_user_");
  const u = await run("keys", "update", created.id, "--status", "inactive", "--json");
  expect(JSON.parse(u.out)).toMatchObject({ status: "inactive" });
  const human = await run("keys", "create", "--name", "Human");
  expect(human.out).toMatch(/^apiKey\s+lk_user_/m);
  expect(human.err).toContain("will not show it again");
});

test("regenerate, usage, requests and delete", async () => {
  const k = await h.client.apiKeys.create({ name: "r" });
  const r = await run("keys", "regenerate", k.id, "--json");
  const regenerated = JSON.parse(r.out);
  expect(regenerated.id).toBe(k.id);
  expect(regenerated.apiKey).not.toBe(k.apiKey);
  expect(JSON.parse((await run("keys", "usage", k.id, "--json")).out)).toMatchObject({ requestsInPeriod: 0 });
  expect((await run("keys", "requests", k.id)).out).toContain("0 request(s)");
  expect((await run("keys", "delete", k.id)).out).toBe(`deleted ${k.id}\n`);
  const gone = await run("keys", "get", k.id);
  expect(gone.code).toBe(1);
  expect(gone.err).toContain("API_KEY_NOT_FOUND");
});

test("adopt-snippet prints a program that typechecks and adopts every key", async () => {
  const a = await h.client.apiKeys.create({
    name: "Legacy app",
    userId: 42,
    planId: "plan_basic",
    metadata: { team: "core" },
  });
  const b = await h.client.apiKeys.create({ name: "Legacy app", status: "inactive" });
  const r = await run("keys", "adopt-snippet");
  expect(r.code).toBe(0);
  // Two keys share a name: both names carry their id, so neither depends on the listing order.
  const nameA = `legacy-app-${a.id.replace("_", "-")}`;
  const nameB = `legacy-app-${b.id.replace("_", "-")}`;
  expect(r.out).toContain(`"${nameA}": new limitly.ApiKey("${nameA}", {"adoptKeyId":"${a.id}"`);
  expect(r.out).toContain(
    `"${nameB}": new limitly.ApiKey("${nameB}", {"adoptKeyId":"${b.id}","name":"Legacy app","status":"inactive"})`,
  );
  expect(r.out).not.toContain("lk_user_");
  expect(typecheck({ "adopt.ts": r.out }, "typecheck-adopt")).toEqual([]);
}, 60_000);

test("usage errors exit 2 and say what is missing; a missing credential names the variable", async () => {
  expect((await run("keys", "get")).code).toBe(2);
  expect((await run("keys", "create")).err).toContain("needs --name");
  expect((await run("keys", "create", "--name", "x", "--status", "paused")).err).toContain(
    '--status must be "active" or "inactive"',
  );
  let err = "";
  const code = await main(["keys", "list", "--api-key-env", "MY_LIMITLY_KEY"], {
    out: () => undefined,
    err: (s) => (err += s),
    env: {},
    isTTY: false,
  });
  expect(code).toBe(2);
  expect(err).toContain("MY_LIMITLY_KEY");
});

test("the installed bin runs", async () => {
  const bin = resolve(__dirname, "../dist/cli/limitly.js");
  const { stdout } = await promisify(execFile)(process.execPath, [bin, "keys", "list", "--json"], {
    env: { ...process.env, LIMITLY_API_KEY: ACCOUNT_KEY, LIMITLY_BASE_URL: h.emu.url },
  });
  expect(JSON.parse(stdout)).toEqual([]);
});

describe("arguments and errors", () => {
  test.each([
    [["keys", "create"], "limitly keys create needs --name"],
    [["keys", "get"], "limitly keys get needs a key id"],
    [["keys", "foo"], "unknown command keys foo"],
    [["keys"], "limitly keys needs a command"],
    [["keys", "create", "--name", "x", "--metadata", "null"], "--metadata must be a JSON object"],
  ])("%j is a usage error (exit 2) before any credential is needed", async (argv, message) => {
    const r = await runWith({}, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain("no account credential");
  });

  test.each(["99999999999999999999", "-5", "1.5", "42", " 7 ", "user_123"])(
    "--user-id %j is stored as the provider's check would store it",
    async (given) => {
      const expected = checkApiKey({ name: "x", userId: given }).inputs.userId;
      const r = await run("keys", "create", "--name", "x", `--user-id=${given}`, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).userId).toEqual(expected);
    },
  );

  test.each([
    ["null", "a JSON object"],
    ["[1,2]", "a JSON object"],
    ['{"pulumi-limitly:create-token":"abc"}', "pulumi-limitly:create-token"],
  ])("--metadata %s is refused by the provider's rule, with exit 2 and no API call", async (metadata, message) => {
    const before = h.emu.calls.length;
    const r = await run("keys", "create", "--name", "x", "--metadata", metadata);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(h.emu.calls.length).toBe(before);
  });

  test("with --json, errors are one JSON object on stderr with code, status and message", async () => {
    const missing = await run("keys", "get", "key_0000000000000000", "--json");
    expect(missing.code).toBe(1);
    expect(missing.out).toBe("");
    expect(JSON.parse(missing.err)).toEqual({
      error: { code: "API_KEY_NOT_FOUND", status: 404, message: expect.stringContaining("API_KEY_NOT_FOUND") },
    });
    const usage = await run("keys", "create", "--json");
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.err)).toEqual({ error: { code: "USAGE", message: "limitly keys create needs --name" } });
  });

  test("--version prints the package version", async () => {
    const r = await runWith({}, "--version");
    expect(r).toMatchObject({ code: 0, out: `${VERSION}\n` });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("tables", () => {
  test("a 10,000-character name is cut with an ellipsis instead of widening every row", () => {
    const t = table(
      [
        { id: "key_1", name: "n".repeat(10_000) },
        { id: "key_2", name: "short" },
      ],
      ["id", "name"],
    );
    const lines = t.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual("key_1".length + 2 + MAX_CELL);
    expect(lines[2]).toMatch(/n…$/);
  });

  test("control characters are escaped, so a name never splits a row", () => {
    const t = table([{ id: "key_1", name: "two\nlines\tand\u0007bell\u009b" }], ["id", "name"]);
    expect(t.split("\n")).toHaveLength(3);
    expect(t).toContain("two\\nlines\\tand\\u0007bell\\u009b");
  });

  test("150,000 rows do not overflow the stack", () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => ({ id: `key_${i}`, name: `k${i}` }));
    expect(table(rows, ["id", "name"]).split("\n")).toHaveLength(150_002);
  });
});
