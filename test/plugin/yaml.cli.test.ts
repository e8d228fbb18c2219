/**
 * The provider plugin (`pulumi-resource-limitly`, from the packed tarball) under the real `pulumi`
 * CLI with a Pulumi YAML program, against the emulator: a plan, a user, keys and a RotatingApiKey
 * wired by reference, through up, a no-op preview, a rename, both rotation strategies, drift and
 * destroy. Each step asserts what the emulator saw and what the CLI printed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { SECRET_SIG, SIG_KEY } from "../../src/provider/secretSignature";
import { blocksOf, docSnippet } from "../support/docs";

jest.setTimeout(180_000);

const yamlHost = CLI.dir ? languageHost("yaml") : CLI.reason;
if (yamlHost) process.stderr.write(`\n[plugin suite] YAML NOT RUN: ${yamlHost}\n`);
const describeWithYaml = yamlHost ? describe.skip : describeWithCli;

/** The program, with the web key's name and both keys' rotation markers as parameters. */
const program = (web = "Web", rotation = "2026-11") => `resources:
  pro:
    type: limitly:index:Plan
    properties:
      name: Pro
      maxRequests: 1000
      requestPeriod: month
  acme:
    type: limitly:index:User
    properties:
      name: Acme Corp
      email: ops@acme.example
      planId: \${pro.id}
  web:
    type: limitly:index:ApiKey
    properties:
      name: ${web}
      userId: \${acme.userId}
      planId: \${pro.id}
      metadata:
        team: web
      rotation: "${rotation}"
  batch:
    type: limitly:index:ApiKey
    properties:
      name: Batch
      userId: \${acme.userId}
      rotation: "${rotation}"
      rotationStrategy: regenerate
  partner:
    type: limitly:ApiKey
    properties:
      name: Partner
      planId: \${pro.id}
  fleet:
    type: limitly:RotatingApiKey
    properties:
      name: Fleet
      userId: \${acme.userId}
      gracePeriod: 2h
outputs:
  ids:
    web: \${web.id}
    batch: \${batch.id}
    partner: \${partner.id}
    fleet: \${fleet.keyId}
    plan: \${pro.id}
    user: \${acme.userId}
  values:
    web: \${web.apiKey}
    batch: \${batch.apiKey}
    partner: \${partner.apiKey}
    fleet: \${fleet.apiKey}
`;

interface Outputs {
  ids: Record<string, string>;
  values: Record<string, string>;
}

describeWithYaml("a YAML program on the provider plugin under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];

  const outputs = async () => {
    const o = (await prog.outputs()) as unknown as Outputs;
    issued.push(...Object.values(o.values).filter(Boolean));
    return o;
  };
  const callsDuring = (fn: () => Promise<unknown>) => account.callsDuring(fn);

  beforeAll(async () => {
    account = await startAccount("PLUGINYAML");
    prog = new Program("plugin-yaml", program(), { runtime: "yaml" });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up creates the plan, the user and the keys wired by reference; the values are secret and Limitly accepts them", async () => {
    const r = await prog.ok(["up", "--yes"]);
    expect(r.stdout).toMatch(/\+ 7 created/);
    // Found where Pulumi.yaml says, not on PATH: no warning about it.
    expect(r.stdout + r.stderr).not.toMatch(/using pulumi-resource-limitly from \$PATH/);
    const o = await outputs();
    const plan = account.emu.store.plans.get(o.ids.plan)!;
    expect(plan).toMatchObject({ name: "Pro", max_requests: 1000, request_period: "month" });
    const user = account.emu.store.users.get(Number(o.ids.user))!;
    expect(user).toMatchObject({ name: "Acme Corp", email: "ops@acme.example", plan_id: plan.id });
    const web = account.emu.store.keys.get(o.ids.web)!;
    expect(web).toMatchObject({ name: "Web", user_id: user.user_id, plan_id: plan.id });
    // Owner tags: the identity the provider recorded in its own state, and each key's whole URN.
    const provider = (await prog.exported()).deployment.resources.find((r) => r.type === "pulumi:providers:limitly")!;
    const identity = String(provider.inputs!.__stackIdentity);
    expect(identity).toMatch(/^[0-9a-f-]{36}$/);
    expect(web.metadata).toMatchObject({
      team: "web",
      "pulumi-limitly:owner": `${identity}|urn:pulumi:dev::plugin-yaml::limitly:index:ApiKey::web`,
    });
    expect(account.emu.store.keys.get(o.ids.fleet)!.metadata).toMatchObject({
      "pulumi-limitly:owner": `${identity}|urn:pulumi:dev::plugin-yaml::limitly:index:RotatingApiKey::fleet`,
    });
    for (const name of ["web", "batch", "partner", "fleet"]) expect(await account.validates(o.values[name])).toBe(true);
    expect((await prog.ok(["stack", "output", "values"])).stdout).toMatch(/\[secret\]/);
  });

  test("the state holds the key values as ciphertext, types are limitly:index:*, and nothing secret is in plaintext", async () => {
    const state = await prog.exported();
    const types = state.deployment.resources.map((r) => r.type).filter((t) => t.startsWith("limitly:"));
    expect(types.sort()).toEqual([
      "limitly:index:ApiKey",
      "limitly:index:ApiKey",
      "limitly:index:ApiKey",
      "limitly:index:Plan",
      "limitly:index:RotatingApiKey",
      "limitly:index:User",
    ]);
    for (const r of state.deployment.resources.filter((x) => /ApiKey$/.test(x.type))) {
      const apiKey = r.outputs!.apiKey as Record<string, string>;
      expect(apiKey[SIG_KEY]).toBe(SECRET_SIG);
      expect(apiKey.ciphertext).toMatch(/^v1:/);
    }
    // The provider's own state holds the credential as ciphertext too.
    const provider = state.deployment.resources.find((r) => r.type === "pulumi:providers:limitly")!;
    expect((provider.inputs!.apiKey as Record<string, string>).ciphertext).toMatch(/^v1:/);
    expect(readFileSync(join(prog.dir, "Pulumi.dev.yaml"), "utf8")).toMatch(/limitly:apiKey:\s+secure: v1:/);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("preview --expect-no-changes exits 0 and sends Limitly nothing", async () => {
    expect(await callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([]);
  });

  test("a rename is one PUT", async () => {
    prog.write(program("Web frontend"));
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "web"]]);
    const before = await outputs();
    expect(await callsDuring(() => prog.ok(["up", "--yes"]))).toEqual(["PUT /keys/:id"]);
    expect(account.emu.store.keys.get(before.ids.web)!.name).toBe("Web frontend");
  });

  test("rotation by `rotation`: replace creates the new key before deleting the old; regenerate keeps the id", async () => {
    const old = await outputs();
    prog.write(program("Web frontend", "2026-12"));
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["update", "batch"],
      ["replace", "web"],
    ]);
    const calls = await callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls.filter((c) => c !== "GET /keys")).toEqual(
      expect.arrayContaining(["POST /keys", "POST /keys/:id/regenerate", "DELETE /keys/:id"]),
    );
    expect(calls.filter((c) => c !== "GET /keys")).toHaveLength(3);
    expect(calls.indexOf("POST /keys")).toBeLessThan(calls.indexOf("DELETE /keys/:id"));
    const now = await outputs();
    expect(now.ids.web).not.toBe(old.ids.web);
    expect(account.emu.store.keys.get(old.ids.web)!.deleted_at).toBeTruthy();
    expect(now.ids.batch).toBe(old.ids.batch);
    expect(now.values.batch).not.toBe(old.values.batch);
    expect(await account.validates(now.values.web)).toBe(true);
    expect(await account.validates(now.values.batch)).toBe(true);
    expect(await account.validates(old.values.web)).toBe(false);
    expect(await account.validates(old.values.batch)).toBe(false);
  });

  test("drift: preview --refresh shows what changed in the dashboard; up puts it back", async () => {
    const before = await outputs();
    await account.dashboard.apiKeys.update(before.ids.partner, { name: "renamed in the dashboard" });
    await account.dashboard.plans.update(before.ids.plan, { maxRequests: 5 });
    const preview = await prog.ok(["preview", "--refresh", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same" && op !== "refresh")).toEqual([
      ["update", "partner"],
      ["update", "pro"],
    ]);
    await prog.ok(["up", "--refresh", "--yes"]);
    expect(account.emu.store.keys.get(before.ids.partner)!.name).toBe("Partner");
    expect(account.emu.store.plans.get(before.ids.plan)!.max_requests).toBe(1000);
    const after = await outputs();
    expect(after.values.partner).toBe(before.values.partner);
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("destroy leaves nothing in the account; nothing secret was printed or stored in plaintext", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(account.emu.store.liveUsers()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

describeWithYaml("the overview's YAML program (docs/_index.md), as users copy it", () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    account = await startAccount("PLUGINREADME");
    // Pulumi.yaml verbatim: its plugin path, ./node_modules/.bin, is the program folder's install.
    prog = new Program("plugin-readme", "", {
      runtime: "yaml",
      files: { "Pulumi.yaml": docSnippet("docs/_index.md", "Example", "yaml") },
    });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up creates what it declares, the key values work, and destroy leaves nothing", async () => {
    await prog.ok(["up", "--yes"]);
    const o = (await prog.outputs()) as { webKey: string; partnerKey: string };
    expect(await account.validates(o.webKey)).toBe(true);
    expect(await account.validates(o.partnerKey)).toBe(true);
    expect(
      account.emu.store
        .liveKeys()
        .map((k) => k.name)
        .sort(),
    ).toEqual(["Partner", "Web"]);
    expect(account.emu.store.livePlans().map((p) => p.name)).toEqual(["Pro"]);
    await prog.ok(["preview", "--expect-no-changes"]);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(
      plaintextSecrets([account.credential, o.webKey, o.partnerKey], [prog.backend, prog.dir], prog.printed),
    ).toEqual([]);
  });
});

describeWithYaml("the rotation page's YAML program (docs/rotation.md), as users copy it", () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    account = await startAccount("PLUGINROTATIONDOC");
    const [block] = blocksOf("yaml").filter((b) => b.page === "docs/rotation.md");
    prog = new Program("plugin-rotation-doc", "", { runtime: "yaml", files: { "Pulumi.yaml": block.text } });
    await prog.init("dev", account.credential, account.emu.url, { keyRotation: "2026-11" });
  });
  afterAll(() => account?.close());

  test("bumping keyRotation and running up replaces the key with one that works; destroy leaves nothing", async () => {
    await prog.ok(["up", "--yes"]);
    const before = (await prog.outputs()) as { partnerKey: string };
    const [first] = account.emu.store.liveKeys();
    await prog.ok(["config", "set", "keyRotation", "2026-12"]);
    await prog.ok(["up", "--yes"]);
    const after = (await prog.outputs()) as { partnerKey: string };
    expect(account.emu.store.liveKeys().map((k) => k.id)).toEqual([expect.not.stringMatching(first.id)]);
    expect(await account.validates(after.partnerKey)).toBe(true);
    expect(await account.validates(before.partnerKey)).toBe(false);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    const secrets = [account.credential, before.partnerKey, after.partnerKey];
    expect(plaintextSecrets(secrets, [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

describeWithYaml("functions and engine warnings through the provider plugin", () => {
  let account: Account;
  let prog: Program;
  /** A variable invoking `function` with one argument. */
  const invoke = (name: string, fn: string, arg: string, value: string) =>
    `  ${name}:\n    fn::invoke:\n      function: limitly:index:${fn}\n      arguments:\n        ${arg}: ${value}\n`;
  const functions = `resources:
  pro:
    type: limitly:Plan
    properties:
      name: Metered
      maxRequests: 10
      requestPeriod: month
  acme:
    type: limitly:User
    properties:
      name: Acme
      planId: \${pro.id}
  key:
    type: limitly:ApiKey
    properties:
      name: Metered key
      userId: \${acme.userId}
      planId: \${pro.id}
variables:
${invoke("keyUsage", "getApiKeyUsage", "keyId", "${key.id}")}${invoke("keyRequests", "getApiKeyRequests", "keyId", "${key.id}")}${invoke("planUsage", "getPlanUsage", "planId", "${pro.id}")}${invoke("userUsage", "getUserUsage", "userId", "${acme.userId}")}${invoke("userRequests", "getUserRequests", "userId", "${acme.userId}")}outputs:
  value: \${key.apiKey}
  keyUsed: \${keyUsage.requestsInPeriod}
  keyLimit: \${keyUsage.limit}
  keyRequests: \${keyRequests.count}
  requestList: \${keyRequests.requests}
  planTotal: \${planUsage.totalRequests}
  userUsed: \${userUsage.currentUsage}
  userRequests: \${userRequests.count}
`;

  beforeAll(async () => {
    account = await startAccount("PLUGINFUNCTIONS");
    prog = new Program("plugin-functions", functions, { runtime: "yaml" });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());
  afterEach(() => delete prog.env.PULUMI_LIMITLY_NOW);

  test("usage and request history of a key, a plan and a user, read through the functions", async () => {
    await prog.ok(["up", "--yes"]);
    const { value } = (await prog.outputs()) as { value: string };
    for (let i = 0; i < 3; i++) expect(await account.validates(value)).toBe(true);
    await prog.ok(["up", "--yes"]);
    expect(await prog.outputs()).toMatchObject({
      keyUsed: 3,
      keyLimit: 10,
      keyRequests: 3,
      requestList: [
        expect.objectContaining({ endpoint: "/cli-suite", allowed: true }),
        expect.objectContaining({ endpoint: "/cli-suite" }),
        expect.objectContaining({ endpoint: "/cli-suite" }),
      ],
      planTotal: 3,
      userUsed: 3,
      userRequests: 3,
    });
  });

  test("a RotatingApiKey past its grace: preview says the previous key is retired, with a warning while it is used", async () => {
    const rotating = (rotation: string) => `resources:
  partner:
    type: limitly:RotatingApiKey
    properties:
      name: Partner
      rotation: "${rotation}"
      gracePeriod: 2h
outputs:
  value: \${partner.apiKey}
  previousValue: \${partner.previousApiKey}
  previousKeyId: \${partner.previousKeyId}
  previousRetiresAt: \${partner.previousRetiresAt}
`;
    prog.write(rotating("1"));
    await prog.ok(["up", "--yes"]);
    prog.write(rotating("2"));
    await prog.ok(["up", "--yes"]);
    const o = (await prog.outputs()) as { previousValue: string; previousKeyId: string; previousRetiresAt: string };
    expect(await account.validates(o.previousValue)).toBe(true); // a consumer still on the old value
    const lastUsed = account.emu.store.keys.get(o.previousKeyId)!.last_used_at!;
    prog.env.PULUMI_LIMITLY_NOW = new Date(Date.parse(o.previousRetiresAt) + 60_000).toISOString();
    const preview = await prog.ok(["preview", "--refresh"]);
    expect(preview.stdout).toMatch(/warning:/);
    expect(preview.stdout).toContain(`previous key ${o.previousKeyId} is still in use`);
    expect(preview.stdout).toContain(lastUsed);
    expect(await account.callsDuring(() => prog.ok(["up", "--yes"]))).toEqual(["DELETE /keys/:id"]);
    expect(await account.validates(o.previousValue)).toBe(false);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
  });
});

describeWithYaml("the plugin's default provider falls back to the environment, as the dynamic resources do", () => {
  let account: Account;

  beforeAll(async () => {
    account = await startAccount("PLUGINENV");
  });
  afterAll(() => account?.close());

  test("with no limitly:* config, LIMITLY_API_KEY and LIMITLY_BASE_URL are used, and never stored", async () => {
    const prog = new Program(
      "plugin-env",
      "resources:\n  p:\n    type: limitly:Plan\n    properties:\n      name: From env\n      maxRequests: 5\n      requestPeriod: day\n",
      { runtime: "yaml" },
    );
    prog.env = { LIMITLY_API_KEY: account.credential, LIMITLY_BASE_URL: account.emu.url };
    await prog.ok(["stack", "init", "dev"]);
    await prog.ok(["up", "--yes"]);
    expect(account.emu.store.livePlans().map((p) => p.name)).toEqual(["From env"]);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(plaintextSecrets([account.credential], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
