/**
 * `pulumi import` through the provider plugin, and bad input through it: under the real CLI with a
 * YAML program, from the packed tarball, against the emulator.
 */
import { load } from "js-yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";

jest.setTimeout(180_000);

const yamlHost = CLI.dir ? languageHost("yaml") : CLI.reason;
const describeWithYaml = yamlHost ? describe.skip : describeWithCli;

type Resources = Record<string, { type: string; properties?: Record<string, unknown>; options?: object }>;

describeWithYaml("pulumi import through the provider plugin", () => {
  let account: Account;
  let prog: Program;
  let ids: { key: string; plan: string; user: string; rotating: string };
  const imported: Resources = {};

  beforeAll(async () => {
    account = await startAccount("PLUGINIMPORT");
    // Made in the dashboard, before any program knew of them.
    const plan = await account.dashboard.plans.create({ name: "Legacy", maxRequests: 500, requestPeriod: "week" });
    const user = await account.dashboard.users.create({ name: "Grace", email: "grace@example.com", planId: plan.id });
    const key = await account.dashboard.apiKeys.create({
      name: "Dashboard key",
      userId: user.userId,
      planId: plan.id,
      metadata: { team: "ops" },
    });
    const current = await account.dashboard.apiKeys.create({ name: "Partner key" });
    ids = { key: key.id, plan: plan.id, user: String(user.userId), rotating: `rotating-${current.id}` };
    prog = new Program("plugin-import", "resources: {}\n", { runtime: "yaml" });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test.each([
    ["ApiKey", "legacyKey", "key"],
    ["Plan", "legacyPlan", "plan"],
    ["User", "legacyUser", "user"],
    ["RotatingApiKey", "legacyPartner", "rotating"],
  ] as const)("pulumi import limitly:index:%s prints YAML for the existing object", async (type, name, which) => {
    const out = join(prog.dir, `${name}.yaml`);
    const calls = await account.callsDuring(() =>
      prog.ok(["import", `limitly:index:${type}`, name, ids[which], "--yes", "--out", out]),
    );
    // Read with only an id: one GET, nothing changed in Limitly.
    expect(calls.filter((c) => !c.startsWith("GET "))).toEqual([]);
    const code = load(readFileSync(out, "utf8")) as { resources: Resources };
    expect(code.resources[name].type).toMatch(new RegExp(`^limitly:(index:)?${type}$`));
    Object.assign(imported, code.resources);
  });

  test("the imported fields are the live ones; the key has no value (Limitly never shows it again)", async () => {
    expect(imported.legacyKey.properties).toMatchObject({ name: "Dashboard key", metadata: { team: "ops" } });
    expect(imported.legacyPlan.properties).toMatchObject({ name: "Legacy", maxRequests: 500, requestPeriod: "week" });
    expect(imported.legacyUser.properties).toMatchObject({ name: "Grace", email: "grace@example.com" });
    expect(imported.legacyPartner.properties).toMatchObject({ name: "Partner key" });
    const key = (await prog.exported()).deployment.resources.find((r) => r.id === ids.key)!;
    expect(key.type).toBe("limitly:index:ApiKey");
    const apiKey = key.outputs!.apiKey as Record<string, string>;
    expect(apiKey.ciphertext).toMatch(/^v1:/);
  });

  test("with the printed code pasted into the program, preview --expect-no-changes passes and sends nothing", async () => {
    prog.write(`resources:\n${indent(imported)}\noutputs:\n  value: \${legacyKey.apiKey}\n`);
    const calls = await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([]);
  });

  test("the next rotation of the imported key issues a value that works", async () => {
    const resources = structuredClone(imported);
    resources.legacyKey.properties = { ...resources.legacyKey.properties, rotation: "2026-12" };
    // Imported resources are protected; a replacement would delete the old key, so rotate in place.
    resources.legacyKey.properties.rotationStrategy = "regenerate";
    prog.write(`resources:\n${indent(resources)}\noutputs:\n  value: \${legacyKey.apiKey}\n`);
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "legacyKey"]]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls).toEqual(["POST /keys/:id/regenerate"]);
    const { value } = (await prog.outputs()) as { value: string };
    expect(await account.validates(value)).toBe(true);
    expect(plaintextSecrets([account.credential, value], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

/** Resources as the body of a YAML `resources:` block (JSON is YAML), two spaces in. */
function indent(resources: Resources): string {
  return Object.entries(resources)
    .map(([name, r]) => `  ${name}: ${JSON.stringify(r)}`)
    .join("\n");
}

describeWithYaml("bad input through the provider plugin", () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    account = await startAccount("PLUGININPUT");
    prog = new Program("plugin-input", "resources: {}\n", { runtime: "yaml" });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test.each([
    ["ApiKey", { name: "k", status: "paused" }, "status", /status must be "active" or "inactive"/],
    ["ApiKey", { name: "k", rotationStrategy: "recreate" }, "rotationStrategy", /"replace" or "regenerate"/],
    ["ApiKey", { name: "  " }, "name", /name must be a non-empty string/],
    ["ApiKey", { name: "k", rotateAfterDays: -3 }, "rotateAfterDays", /a positive whole number of days/],
    ["RotatingApiKey", { name: "k", gracePeriod: "48" }, "gracePeriod", /a duration such as "90m"/],
    ["Plan", { name: "P", maxRequests: -5, requestPeriod: "month" }, "maxRequests", /a positive whole number/],
    ["Plan", { name: "P", maxRequests: 5, requestPeriod: "hour" }, "requestPeriod", /"day", "week", "month" or "year"/],
    ["User", { name: "U", email: "not-an-email" }, "email", /an email address/],
    ["User", { name: "U", customStart: "next tuesday" }, "customStart", /an ISO 8601 date/],
  ] as const)(
    "%s with a bad %p fails preview naming %s, and sends Limitly nothing",
    async (type, props, prop, allowed) => {
      prog.write(`resources:\n  bad:\n    type: limitly:index:${type}\n    properties: ${JSON.stringify(props)}\n`);
      let r = { code: 0, stdout: "", stderr: "" };
      const calls = await account.callsDuring(async () => {
        r = await prog.pulumi(["preview"]);
      });
      expect(r.code).not.toBe(0);
      const text = r.stdout + r.stderr;
      expect(text).toMatch(new RegExp(`${prop} must be`));
      expect(text).toMatch(allowed);
      expect(calls).toEqual([]);
    },
  );

  test("a bad provider setting fails naming it, and never echoes the credential", async () => {
    prog.write(
      `resources:\n  p:\n    type: limitly:index:Plan\n    properties: {"name": "P", "maxRequests": 5, "requestPeriod": "day"}\n`,
    );
    await prog.ok(["config", "set", "limitly:timeoutMs", "soon"]);
    const r = await prog.pulumi(["preview"]);
    await prog.ok(["config", "rm", "limitly:timeoutMs"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/timeoutMs must be a positive integer/);
    expect(plaintextSecrets([account.credential], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
