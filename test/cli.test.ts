/** The `limitly` command against the emulator. */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { main } from "../src/cli/limitly";
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
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { LIMITLY_API_KEY: ACCOUNT_KEY, LIMITLY_BASE_URL: h.emu.url },
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
  expect(r.out).toContain(`"legacy-app": new limitly.ApiKey("legacy-app", {"adoptKeyId":"${a.id}"`);
  expect(r.out).toContain(
    `"legacy-app-2": new limitly.ApiKey("legacy-app-2", {"adoptKeyId":"${b.id}","name":"Legacy app","status":"inactive"})`,
  );
  expect(r.out).not.toContain("lk_user_");
  expect(typecheck({ "adopt.ts": r.out }, "typecheck-adopt")).toEqual([]);
}, 60_000);

test("usage errors exit 2 and say what is missing; a missing credential names the variable", async () => {
  expect((await run("keys", "get")).code).toBe(2);
  expect((await run("keys", "create")).err).toContain("needs --name");
  expect((await run("keys", "create", "--name", "x", "--status", "paused")).err).toContain(
    "--status must be active or inactive",
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
