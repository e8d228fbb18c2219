/**
 * The `limitly` command over plans and users, per-command help, the adopt-snippets of every
 * resource, and what it says while it waits: each command with and without --json, against the
 * emulator over HTTP.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/limitly";
import { ownerTag } from "../src/provider/owner";
import { ACCOUNT_KEY, startHarness, type Harness } from "./support/harness";
import { typecheck } from "./support/typecheck";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function runWith(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), env, isTTY: false });
  expect(out + err).not.toContain(ACCOUNT_KEY);
  return { code, out, err };
}
/** The stack identities the exported stack records: its StackIdentity's and its plugin provider's. */
const IDENTITY = randomUUID();
const PLUGIN_IDENTITY = randomUUID();
const run = (...argv: string[]) => runWith({ LIMITLY_API_KEY: ACCOUNT_KEY, LIMITLY_BASE_URL: h.emu.url }, ...argv);
const json = async (...argv: string[]) => {
  const r = await run(...argv, "--json");
  expect(r).toMatchObject({ code: 0 });
  return JSON.parse(r.out);
};

describe("plans", () => {
  test("create, get, update, list, usage, users, keys and delete, as JSON and as text", async () => {
    const plan = await json("plans", "create", "--name", "Basic", "--max-requests", "100", "--request-period", "month");
    expect(plan).toMatchObject({ name: "Basic", maxRequests: 100, requestPeriod: "month", isActive: true });
    expect(h.emu.store.plans.get(plan.id)).toMatchObject({ name: "Basic", max_requests: 100 });
    expect((await run("plans", "get", plan.id)).out).toMatch(/^maxRequests\s+100$/m);
    expect(await json("plans", "update", plan.id, "--active", "false", "--description", "old")).toMatchObject({
      isActive: false,
      description: "old",
    });
    const list = await run("plans", "list");
    expect(list.out.split("\n")[0]).toMatch(/^id\s+name\s+maxRequests\s+requestPeriod\s+isActive\s+createdAt$/);
    expect(list.out).toContain(plan.id);
    expect(list.err).toBe("fetched 1 of 1 plans (page 1)\n");
    expect(await json("plans", "list")).toHaveLength(1);

    const user = await json("users", "create", "--name", "Ada", "--plan-id", plan.id);
    const key = await json("users", "create-key", String(user.userId), "--name", "Ada's key");
    expect(key).toMatchObject({ name: "Ada's key", userId: user.userId, planId: plan.id });
    expect((await json("plans", "users", plan.id)).map((u: { name: string }) => u.name)).toEqual(["Ada"]);
    expect((await json("plans", "keys", plan.id)).map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect((await run("plans", "keys", plan.id)).out).toContain(key.id);
    expect(await json("plans", "usage", plan.id)).toMatchObject({ planId: plan.id, totalRequests: 0, apiKeysCount: 1 });
    expect((await run("plans", "usage", plan.id, "--period", "day")).out).toMatch(/^usersCount\s+1$/m);

    const refused = await run("plans", "delete", plan.id);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("still referenced");
    await run("keys", "delete", key.id);
    await run("users", "delete", String(user.userId));
    expect((await run("plans", "delete", plan.id)).out).toBe(`deleted ${plan.id}\n`);
    expect(await json("plans", "list")).toEqual([]);
  });

  test.each([
    [["plans", "create", "--name", "P", "--request-period", "month"], "limitly plans create needs --max-requests"],
    [
      ["plans", "create", "--name", "P", "--max-requests", "1.5", "--request-period", "month"],
      "--max-requests must be a positive whole number",
    ],
    [["plans", "create", "--name", "P", "--max-requests", "0", "--request-period", "month"], "--max-requests must be"],
    [
      ["plans", "create", "--name", "P", "--max-requests", "5", "--request-period", "hour"],
      '--request-period must be "day", "week", "month" or "year"',
    ],
    [["plans", "update", "plan_1", "--active", "yes"], "--active must be true or false"],
    [["plans", "update", "plan_1"], "limitly plans update needs at least one of --name"],
    [
      ["plans", "create", "--name", "P", "--max-requests", "5", "--request-period", "day", "--email", "a@b.co"],
      "limitly plans create does not take --email",
    ],
    [["plans", "usage", "plan_1", "--period", "hour"], "--period must be day, week, month or year"],
  ])("%j is a usage error before the credential", async (argv, message) => {
    const r = await runWith({ LIMITLY_BASE_URL: h.emu.url }, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(h.emu.calls).toEqual([]);
  });
});

describe("users", () => {
  test("create, get, update, list, keys, usage, create-key and delete, as JSON and as text", async () => {
    const user = await json(
      "users",
      "create",
      "--name",
      "Grace",
      "--email",
      "grace@example.com",
      "--custom-start",
      "2026-11-01",
    );
    expect(user).toMatchObject({
      name: "Grace",
      email: "grace@example.com",
      isDisabled: false,
      customStart: "2026-11-01",
    });
    const id = String(user.userId);
    expect((await run("users", "get", id)).out).toMatch(/^email\s+grace@example.com$/m);
    expect(await json("users", "update", id, "--disabled", "true")).toMatchObject({ isDisabled: true });
    expect((await run("users", "list")).out).toMatch(new RegExp(`^${id}\\s+Grace\\s+grace@example.com`, "m"));
    const issued = await run("users", "create-key", id, "--name", "Grace's key");
    expect(issued.out).toMatch(/^apiKey\s+lk_user_/m);
    expect(issued.err).toContain("will not show it again");
    expect(issued.err).toContain("9999 of 10000 key slots left");
    expect((await json("users", "keys", id)).map((k: { name: string }) => k.name)).toEqual(["Grace's key"]);
    expect(await json("users", "usage", id)).toMatchObject({ userName: "Grace", currentUsage: 0, isUnlimited: true });
    expect((await run("users", "usage", id)).out).toMatch(/^userName\s+Grace$/m);
    expect((await run("users", "delete", id)).code).toBe(1);
    for (const k of await json("users", "keys", id)) await run("keys", "delete", k.id);
    expect(await json("users", "delete", id)).toEqual({ id: user.userId, deleted: true });
  });

  test.each([
    [["users", "get", "abc"], 'a user id is the positive whole number Limitly assigned, not "abc"'],
    [["users", "get", "0"], "a user id is the positive whole number"],
    [["users", "get"], "limitly users get needs a user id"],
    [["users", "create", "--name", "x", "--email", "nope"], "--email must be an email address"],
    [["users", "create", "--name", "x", "--custom-start", "soon"], "--custom-start must be an ISO 8601 date"],
    [["users", "create", "--name", "x", "--status", "active"], "limitly users create does not take --status"],
    [["users", "create-key", "7"], "limitly users create-key needs --name"],
    [["users", "list", "extra"], 'limitly users list takes no argument "extra"'],
  ])("%j is a usage error before the credential", async (argv, message) => {
    const r = await runWith({ LIMITLY_BASE_URL: h.emu.url }, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe("help", () => {
  test("each command has its own help: usage line, summary and the rules of its options", async () => {
    const keysGet = await runWith({}, "keys", "get", "--help");
    expect(keysGet.code).toBe(0);
    expect(keysGet.out).toMatch(/^usage: limitly keys get <id>\n\none key\.\n/);
    const create = await runWith({}, "plans", "create", "--help");
    expect(create.out).toContain(
      "usage: limitly plans create --name <name> [--description <text>] --max-requests <n> --request-period day|week|month|year [--active true|false]",
    );
    expect(create.out).toMatch(/--max-requests <n>\s+a positive whole number of requests per period/);
    expect((await runWith({}, "users", "create-key", "-h")).out).toContain(
      "usage: limitly users create-key <id> --name <name>",
    );
    expect((await runWith({}, "keys", "requests", "--help")).out).toContain("--limit <n>");
    const group = await runWith({}, "users", "--help");
    expect(group.out).toMatch(/^usage: limitly users <command>/);
    expect(group.out).toMatch(/^ {2}create-key <id>\s+a new key for the user/m);
    const top = await runWith({}, "--help");
    expect(top.code).toBe(0);
    for (const g of ["keys", "plans", "users"]) expect(top.out).toContain(`limitly ${g}`);
  });
});

describe("adopt-snippet for every resource", () => {
  test("plans and users print programs that typecheck and adopt each one", async () => {
    const basic = await h.client.plans.create({
      name: "Basic",
      maxRequests: 100,
      requestPeriod: "month",
      description: "d",
    });
    await h.client.plans.create({ name: "Legacy", maxRequests: 5, requestPeriod: "day", isActive: false });
    const ada = await h.client.users.create({ name: "Ada", email: "ada@example.com", planId: basic.id });
    await h.client.users.create({ name: "Бот", isDisabled: true });
    const plans = await run("plans", "adopt-snippet");
    expect(plans.code).toBe(0);
    expect(plans.out).toContain(
      `"basic": new limitly.Plan("basic", {"adoptPlanId":"${basic.id}","name":"Basic","maxRequests":100,"requestPeriod":"month","description":"d"})`,
    );
    expect(plans.out).toContain('"isActive":false');
    const users = await run("users", "adopt-snippet");
    expect(users.out).toContain(
      `"ada": new limitly.User("ada", {"adoptUserId":${ada.userId},"name":"Ada","email":"ada@example.com","planId":"${basic.id}"})`,
    );
    expect(users.out).toMatch(
      /"user-\d+": new limitly.User\("user-\d+", \{"adoptUserId":\d+,"name":"Бот","isDisabled":true\}\)/,
    );
    expect(typecheck({ "plans.ts": plans.out, "users.ts": users.out }, "typecheck-adopt-resources")).toEqual([]);
  }, 60_000);

  test("names are stable: the same whatever order the keys are listed in; non-Latin names use the id", async () => {
    const ids: string[] = [];
    for (const name of ["Café API", "Производство", "Café API", "日本"])
      ids.push((await h.client.apiKeys.create({ name })).id);
    const first = (await run("keys", "adopt-snippet")).out;
    // Another listing order: Limitly's default page order is not a contract.
    h.emu.store.keys = new Map([...h.emu.store.keys.entries()].reverse());
    const second = (await run("keys", "adopt-snippet")).out;
    expect(second).toBe(first);
    const names = [...first.matchAll(/^ {2}"([^"]+)": new/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(
      [
        `cafe-api-${ids[0].replace("_", "-")}`,
        `cafe-api-${ids[2].replace("_", "-")}`,
        ids[1].replace("_", "-"),
        ids[3].replace("_", "-"),
      ].sort(),
    );
  });
});

describe("waiting", () => {
  test("a 429's wait is said on stderr; giving up says how long it waited and what Limitly answered", async () => {
    h.emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: 1, times: 1 });
    const waited = await run("keys", "list");
    expect(waited.code).toBe(0);
    expect(waited.err).toContain(
      "GET /keys: Limitly answered 429 (rate limited) and asked to retry after 1 s; waiting 1 s before attempt 2",
    );
    h.emu.faults.add({ method: "GET", path: "/keys", status: 429, retryAfter: 1, times: 1000 });
    const r = await run("keys", "list", "--json", "--timeout", "3");
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines.slice(0, -1).every((l) => l.startsWith("GET /keys: Limitly answered 429"))).toBe(true);
    const { error } = JSON.parse(lines.at(-1)!);
    expect(error).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", status: 429 });
    expect(error.message).toMatch(/Injected fault|Rate limit exceeded/);
    expect(error.message).toMatch(
      /still rate limited after \d+ attempts and 2 s of waiting, the most this call's deadline of 3 s allowed/,
    );
  });
});

/**
 * A file as `pulumi stack export --file` writes it, for stack `project/stack` tracking `ids` as
 * ApiKeys and `rotating` as one RotatingApiKey's current and previous keys.
 */
function exportFile(project: string, stack: string, ids: string[], rotating: string[] = []): string {
  const file = join(mkdtempSync(join(tmpdir(), "limitly-export-")), "stack.json");
  const resources = [
    { urn: `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`, type: "pulumi:pulumi:Stack" },
    // The stack identity the dynamic resources record, and a plugin provider's.
    {
      urn: `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/limitly:StackIdentity::limitly-stack-identity`,
      type: "pulumi-nodejs:dynamic/limitly:StackIdentity",
      id: IDENTITY,
    },
    {
      urn: `urn:pulumi:${stack}::${project}::pulumi:providers:limitly::default_0_1_0`,
      type: "pulumi:providers:limitly",
      id: "provider-id",
      inputs: { __stackIdentity: PLUGIN_IDENTITY },
    },
    ...ids.map((id, i) => ({
      urn: `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/limitly:ApiKey::k${i}`,
      type: "pulumi-nodejs:dynamic/limitly:ApiKey",
      id,
    })),
    ...(rotating[0]
      ? [
          {
            urn: `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/limitly:RotatingApiKey::r`,
            type: "pulumi-nodejs:dynamic/limitly:RotatingApiKey",
            id: `rotating-${rotating[0]}`,
            outputs: { keyId: rotating[0], previousKeyId: rotating[1] },
          },
        ]
      : []),
  ];
  writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources } }));
  return file;
}

describe("keys orphans", () => {
  const tag = (identity: string, name: string, stack = "dev", type = "pulumi-nodejs:dynamic/limitly:ApiKey") => ({
    metadata: { "pulumi-limitly:owner": ownerTag(identity, `urn:pulumi:${stack}::proj::${type}::${name}`) },
  });

  test("lists the keys a stack created but does not track, and deletes only those proven its own with --delete", async () => {
    const create = (name: string, extra: object = {}) => h.client.apiKeys.create({ name, ...extra });
    const tracked = await create("tracked", tag(IDENTITY, "a"));
    const left = await create("left behind", tag(IDENTITY, "b"));
    const viaPlugin = await create("plugin's", tag(PLUGIN_IDENTITY, "c", "dev", "limitly:index:ApiKey"));
    const lookAlike = await create("look-alike's", tag(randomUUID(), "b"));
    // This stack's tag, but used since: adopted by another stack, say.
    const handedOut = await create("adopted elsewhere", tag(IDENTITY, "e"));
    h.emu.store.keys.get(handedOut.id)!.last_used_at = new Date().toISOString();
    const legacy = await create("0.1's", { metadata: { "pulumi-limitly:owner": "proj/dev/d" } });
    const otherStack = await create("prod's", tag(randomUUID(), "b", "prod"));
    const otherLegacy = await create("prod's 0.1", { metadata: { "pulumi-limitly:owner": "proj/prod/d" } });
    const untagged = await create("by hand");
    const file = exportFile("proj", "dev", [tracked.id]);
    const listed = await run("keys", "orphans", "--stack-state", file);
    expect(listed.code).toBe(0);
    for (const k of [left, viaPlugin, lookAlike, legacy, handedOut]) expect(listed.out).toContain(k.id);
    for (const k of [tracked, otherStack, otherLegacy, untagged]) expect(listed.out).not.toContain(k.id);
    expect(listed.out).toContain("2 key(s) created by proj/dev that it does not track; --delete deletes them");
    expect(listed.out).toContain("3 more key(s) carry this stack's tag or names but cannot be proven");
    expect(h.emu.store.liveKeys()).toHaveLength(9);
    const deleted = (await json("keys", "orphans", "--stack-state", file, "--delete")) as {
      orphans: { id: string; whose: string }[];
      deleted: boolean;
    };
    expect(deleted.deleted).toBe(true);
    expect(Object.fromEntries(deleted.orphans.map((o) => [o.id, o.whose]))).toEqual({
      [left.id]: "this stack",
      [viaPlugin.id]: "this stack",
      [lookAlike.id]: "same names, unproven",
      [legacy.id]: "same names, unproven",
      [handedOut.id]: "this stack's tag, handed out since",
    });
    expect(
      h.emu.store
        .liveKeys()
        .map((k) => k.id)
        .sort(),
    ).toEqual([tracked.id, lookAlike.id, legacy.id, handedOut.id, otherStack.id, otherLegacy.id, untagged.id].sort());
  });

  test("a RotatingApiKey's current and previous keys count as tracked; an older one it lost track of does not", async () => {
    const owner = tag(IDENTITY, "r", "dev", "pulumi-nodejs:dynamic/limitly:RotatingApiKey");
    const [current, previous, older] = await Promise.all(
      ["current", "previous", "older"].map((name) => h.client.apiKeys.create({ name, ...owner })),
    );
    const listed = await json(
      "keys",
      "orphans",
      "--stack-state",
      exportFile("proj", "dev", [], [current.id, previous.id]),
    );
    expect((listed as { orphans: { id: string }[] }).orphans.map((o) => o.id)).toEqual([older.id]);
  });

  test.each([
    [[], "limitly keys orphans needs --stack-state <file>"],
    [["--stack-state", "/nonexistent/stack.json"], "--stack-state /nonexistent/stack.json cannot be read (ENOENT)"],
  ])("%j is a usage error before the credential", async (extra, message) => {
    const r = await runWith({}, "keys", "orphans", ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe("every command", () => {
  test("runs with --json (one JSON document on stdout) and without (text), exit 0", async () => {
    const { COMMANDS } = await import("../src/cli/commands");
    const plan = await h.client.plans.create({ name: "All", maxRequests: 10, requestPeriod: "day" });
    const user = await h.client.users.create({ name: "Every", planId: plan.id });
    const fresh = async () => (await h.client.apiKeys.create({ name: "k", userId: user.userId, planId: plan.id })).id;
    const spare = async () => (await h.client.plans.create({ name: "spare", maxRequests: 1, requestPeriod: "day" })).id;
    const loner = async () => String((await h.client.users.create({ name: "loner" })).userId);
    const argv: Record<string, () => Promise<string[]>> = {
      "keys list": async () => [],
      "keys get": async () => [await fresh()],
      "keys create": async () => ["--name", "made"],
      "keys update": async () => [await fresh(), "--name", "renamed"],
      "keys delete": async () => [await fresh()],
      "keys regenerate": async () => [await fresh()],
      "keys usage": async () => [await fresh()],
      "keys requests": async () => [await fresh()],
      "keys adopt-snippet": async () => [],
      "keys orphans": async () => ["--stack-state", exportFile("proj", "dev", [])],
      "plans list": async () => [],
      "plans get": async () => [plan.id],
      "plans create": async () => ["--name", "made", "--max-requests", "3", "--request-period", "week"],
      "plans update": async () => [plan.id, "--description", "changed"],
      "plans delete": async () => [await spare()],
      "plans usage": async () => [plan.id],
      "plans users": async () => [plan.id],
      "plans keys": async () => [plan.id],
      "plans adopt-snippet": async () => [],
      "users list": async () => [],
      "users get": async () => [String(user.userId)],
      "users create": async () => ["--name", "made"],
      "users update": async () => [String(user.userId), "--email", "every@example.com"],
      "users delete": async () => [await loner()],
      "users usage": async () => [String(user.userId)],
      "users keys": async () => [String(user.userId)],
      "users create-key": async () => [String(user.userId), "--name", "made"],
      "users adopt-snippet": async () => [],
    };
    const all = Object.entries(COMMANDS).flatMap(([g, cs]) => cs.map((c) => `${g} ${c.name}`));
    expect(Object.keys(argv).sort()).toEqual(all.sort());
    for (const name of all) {
      const [group, command] = name.split(" ");
      const asJson = await run(group, command, ...(await argv[name]()), "--json");
      expect({ name, code: asJson.code, err: asJson.code ? asJson.err : "" }).toEqual({ name, code: 0, err: "" });
      if (command !== "adopt-snippet") expect(() => JSON.parse(asJson.out)).not.toThrow();
      const asText = await run(group, command, ...(await argv[name]()));
      expect({ name, code: asText.code }).toEqual({ name, code: 0 });
      expect(asText.out.trim()).not.toBe("");
      if (command !== "adopt-snippet") expect(() => JSON.parse(asText.out)).toThrow();
    }
  });
});
