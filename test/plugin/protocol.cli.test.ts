/**
 * What the plugin's protocol answers change for users, under the real `pulumi` CLI with a Pulumi
 * YAML program against the emulator: a preview that leaves what a step does not change known,
 * resource options that act on the properties a diff names (`replaceOnChanges`, `protect`,
 * `ignoreChanges`), a secret input that fails its check without being printed, and a provider
 * moved to another account by its `baseUrl`.
 */
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";

jest.setTimeout(240_000);

const yamlHost = CLI.dir ? languageHost("yaml") : CLI.reason;
if (yamlHost) process.stderr.write(`\n[plugin protocol suite] YAML NOT RUN: ${yamlHost}\n`);
const describeWithYaml = yamlHost ? describe.skip : describeWithCli;

interface Knobs {
  /** The key's name. */
  key?: string;
  /** The plan's name, and its resource options (YAML, indented under `options:`). */
  plan?: string;
  planOptions?: string;
  /** The key's status, given in secret (`fn::secret`); `active` in plain text when not given. */
  secretStatus?: string;
}

const program = ({
  key = "Web",
  plan = "Pro",
  planOptions = "replaceOnChanges: [name]",
  secretStatus,
}: Knobs = {}) => `variables:
  wanted:
    fn::secret: ${secretStatus ?? "unused"}
resources:
  pro:
    type: limitly:index:Plan
    properties:
      name: ${plan}
      maxRequests: 1000
      requestPeriod: month
    options:
      ${planOptions}
  web:
    type: limitly:index:ApiKey
    properties:
      name: ${key}
      planId: \${pro.id}
      status: ${secretStatus ? "${wanted}" : "active"}
    options:
      ignoreChanges: [metadata]
  usage:
    type: limitly:index:Plan
    properties:
      name: Usage
      description: For keys issued since \${web.createdAt}
      maxRequests: 10
      requestPeriod: day
outputs:
  plan: \${pro.id}
  key: \${web.id}
  value: \${web.apiKey}
  created: \${web.createdAt}
`;

describeWithYaml("the plugin's diffs and previews under the real pulumi CLI (YAML)", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];

  beforeAll(async () => {
    account = await startAccount("PLUGINPROTOCOL");
    prog = new Program("plugin-protocol", program(), { runtime: "yaml" });
    await prog.init("dev", account.credential, account.emu.url);
    await prog.ok(["up", "--yes", "--skip-preview"]);
    issued.push(String((await prog.outputs()).value));
  });
  afterAll(() => account?.close());

  test("a key's rename previews as its own update only: what depends on its unchanged outputs stays known and unchanged", async () => {
    const before = await prog.outputs();
    prog.write(program({ key: "Web frontend" }));
    const calls = await account.callsDuring(async () => {
      const preview = await prog.ok(["preview", "--json"]);
      // `usage` depends on the key's createdAt, which the rename leaves as it is: known, so unchanged.
      expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "web"]]);
    });
    expect(calls).toEqual([]);
    expect(await account.callsDuring(() => prog.ok(["up", "--yes"]))).toEqual(["PUT /keys/:id"]);
    expect(await prog.outputs()).toEqual(before);
  });

  test("replaceOnChanges on a plan's name: the rename replaces the plan, a new one first, the old one deleted", async () => {
    const before = await prog.outputs();
    prog.write(program({ key: "Web frontend", plan: "Pro 2026" }));
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["replace", "pro"],
      ["update", "web"],
    ]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls.indexOf("POST /plans")).toBeLessThan(calls.indexOf("DELETE /plans/:id"));
    const after = await prog.outputs();
    expect(after.plan).not.toBe(before.plan);
    expect(
      account.emu.store
        .livePlans()
        .map((p) => p.name)
        .sort(),
    ).toEqual(["Pro 2026", "Usage"]);
    expect(account.emu.store.keys.get(String(after.key))!.plan_id).toBe(after.plan);
  });

  test("protect refuses the replacement replaceOnChanges asks for, and changes nothing", async () => {
    const protectedPlan = "replaceOnChanges: [name]\n      protect: true";
    // Protecting it is a state change of its own, recorded by an up that leaves the name as it is.
    prog.write(program({ key: "Web frontend", plan: "Pro 2026", planOptions: protectedPlan }));
    await prog.ok(["up", "--yes", "--skip-preview"]);
    prog.write(program({ key: "Web frontend", plan: "Pro 2027", planOptions: protectedPlan }));
    let r = { code: 0, stdout: "", stderr: "" };
    const calls = await account.callsDuring(async () => (r = await prog.pulumi(["up", "--yes"])));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/unable to replace resource[\s\S]*protect/);
    expect(calls).toEqual([]);
    prog.write(program({ key: "Web frontend", plan: "Pro 2026" }));
    await prog.ok(["up", "--yes", "--skip-preview"]);
  });

  test("ignoreChanges on metadata: a metadata change the program makes is not sent", async () => {
    const withMetadata = program({ key: "Web frontend", plan: "Pro 2026" }).replace(
      "      status: active\n",
      "      status: active\n      metadata:\n        team: web\n",
    );
    prog.write(withMetadata);
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([]);
    prog.write(program({ key: "Web frontend", plan: "Pro 2026" }));
  });

  test("a secret input that fails its check is refused without being printed, and nothing is sent", async () => {
    const value = "enabled-for-payroll-7f3a9c";
    prog.write(program({ key: "Web frontend", plan: "Pro 2026", secretStatus: value }));
    let r = { code: 0, stdout: "", stderr: "" };
    const calls = await account.callsDuring(async () => (r = await prog.pulumi(["preview"])));
    prog.write(program({ key: "Web frontend", plan: "Pro 2026" }));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(
      /resource 'web' has a problem: status must be "active" or "inactive" \(default "active"\); got a secret value/,
    );
    expect(r.stdout + r.stderr).not.toContain(value);
    expect(calls).toEqual([]);
    expect(plaintextSecrets([account.credential, value, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual(
      [],
    );
  });
});

describeWithYaml("a provider moved to another account by its baseUrl (YAML)", () => {
  let first: Account;
  let second: Account;
  let prog: Program;

  beforeAll(async () => {
    [first, second] = await Promise.all([startAccount("MOVEFROM"), startAccount("MOVETO")]);
    prog = new Program("plugin-move", program({ planOptions: "{}" }), { runtime: "yaml" });
    await prog.init("dev", first.credential, first.emu.url);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  test("up creates everything in the new account and deletes it from the old; a refresh keeps it all in the state", async () => {
    await prog.ok(["up", "--yes", "--skip-preview"]);
    expect(first.emu.store.liveKeys()).toHaveLength(1);
    await prog.ok(["config", "set", "--secret", "limitly:apiKey", second.credential]);
    await prog.ok(["config", "set", "limitly:baseUrl", second.emu.url]);
    const preview = await prog.ok(["preview", "--json"]);
    // The provider itself is replaced too (its step is named default_…).
    expect(steps(preview.stdout).filter(([op, name]) => op === "replace" && !name.startsWith("default"))).toEqual([
      ["replace", "pro"],
      ["replace", "usage"],
      ["replace", "web"],
    ]);
    await prog.ok(["up", "--yes", "--skip-preview"]);
    await prog.ok(["refresh", "--yes"]);
    const o = await prog.outputs();
    expect(second.emu.store.liveKeys().map((k) => k.id)).toEqual([o.key]);
    expect(second.emu.store.livePlans().map((p) => p.id)).toContain(o.plan);
    expect(first.emu.store.liveKeys()).toEqual([]);
    expect(first.emu.store.livePlans()).toEqual([]);
    const state = await prog.exported();
    expect(state.deployment.resources.filter((r) => r.type.startsWith("limitly:index:"))).toHaveLength(3);
    expect(await second.validates(String(o.value))).toBe(true);
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(second.emu.store.liveKeys()).toEqual([]);
  });
});

describeWithYaml("Ctrl-C during a slow create (YAML)", () => {
  let account: Account;
  let prog: Program;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    account = await startAccount("PLUGINCTRLC");
    prog = new Program(
      "plugin-ctrl-c",
      "resources:\n  web:\n    type: limitly:index:ApiKey\n    properties:\n      name: Web\noutputs:\n  value: ${web.apiKey}\n",
      { runtime: "yaml" },
    );
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("stops the create without waiting for Limitly; after the next up the account holds exactly the keys the state names", async () => {
    // Limitly holds the create far longer than stopping it takes, then carries it out.
    account.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 20_000 });
    let interrupt!: () => void;
    const run = prog.pulumi(["up", "--yes", "--skip-preview"], { interrupter: (i) => (interrupt = i) });
    while (!(account.emu.faults.injected.latency >= 1)) await pause(50);
    interrupt();
    const r = await run;
    // The run ended before Limitly answered: the create did not wait for it.
    expect(account.emu.count("POST", "/keys")).toBe(0);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Limitly CANCELLED: .*the engine cancelled it/);
    // Limitly carries the held create out after all; the next up takes that key over.
    while (account.emu.count("POST", "/keys") < 1) await pause(100);
    await prog.ok(["up", "--yes"]);
    const state = await prog.exported();
    const ids = state.deployment.resources.filter((x) => x.type === "limitly:index:ApiKey").map((x) => x.id);
    expect(ids).toHaveLength(1);
    expect(account.emu.store.liveKeys().map((k) => k.id)).toEqual(ids);
    expect(await account.validates(String((await prog.outputs()).value))).toBe(true);
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
  });
});
