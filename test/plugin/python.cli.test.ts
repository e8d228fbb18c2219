/**
 * Python programs on the generated `pulumi_limitly` SDK (pip-installed into a virtualenv with PyPI's
 * `pulumi`) and the provider plugin from the packed tarball on PATH, under the real `pulumi` CLI
 * with Pulumi's own v3.259.0 Python language host, against the emulator: examples/python through
 * its life (the function's result included), two accounts, `pulumi import` printing Python, and bad input.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { REPO } from "../support/scratch";
import { pythonVenv } from "./support/python";
import { driftIsRepaired, invalidInputIsRefused } from "./support/exampleSteps";

jest.setTimeout(240_000);

const venv = CLI.dir ? pythonVenv() : { reason: CLI.reason };
const hostMissing = CLI.dir && !venv.reason ? languageHost("python") : undefined;
const notRun = venv.reason ?? hostMissing;
if (notRun) process.stderr.write(`\n[plugin suite] PYTHON NOT RUN: ${notRun}\n`);
const describeWithPython = notRun ? describe.skip : describeWithCli;

const EXAMPLE = readFileSync(join(REPO, "examples/python/__main__.py"), "utf8");
/** The one request the example's get_plan_usage makes on every run, previews included. */
const USAGE_READ = "GET /plans/:id/usage";

const python = (name: string, source: string) =>
  new Program(name, source, { runtime: "python", virtualenv: venv.dir, pluginOnPath: true });

interface Outputs {
  planId: string;
  webKeyId: string;
  webKey: string;
  partnerKey: string;
  previousPartnerKey?: string;
  planRequests: number;
}

describeWithPython("examples/python on the generated Python SDK under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];
  const outputs = async () => {
    const o = (await prog.outputs()) as unknown as Outputs;
    issued.push(...[o.webKey, o.partnerKey, o.previousPartnerKey ?? ""].filter(Boolean));
    return o;
  };

  beforeAll(async () => {
    account = await startAccount("PYTHON");
    prog = python("python-example", EXAMPLE);
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up creates the plan, the user and both keys; the exported values are secret and Limitly accepts them", async () => {
    const r = await prog.ok(["up", "--yes"]);
    // Found on PATH, as after `npm install -g pulumi-limitly`.
    expect(r.stdout + r.stderr).toMatch(/using pulumi-resource-limitly from \$PATH/);
    const o = await outputs();
    expect(account.emu.store.plans.get(o.planId)).toMatchObject({ name: "dev plan", max_requests: 100_000 });
    expect(account.emu.store.liveUsers().map((u) => u.name)).toEqual(["dev team"]);
    expect(account.emu.store.keys.get(o.webKeyId)).toMatchObject({ name: "dev web", plan_id: o.planId });
    expect(await account.validates(o.webKey)).toBe(true);
    expect(await account.validates(o.partnerKey)).toBe(true);
    expect((await prog.ok(["stack", "output", "webKey"])).stdout.trim()).toBe("[secret]");
    // The function ran after the plan was made: no requests yet.
    expect(o.planRequests).toBe(0);
  });

  test("the state and everything printed hold no credential or key value in plaintext", async () => {
    const state = await prog.exported();
    const web = state.deployment.resources.find((r) => r.type === "limitly:index:ApiKey")!;
    expect((web.outputs!.apiKey as Record<string, string>).ciphertext).toMatch(/^v1:/);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("preview --expect-no-changes exits 0 and asks Limitly only what the function reads", async () => {
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([USAGE_READ]);
  });

  test("the function's result is exported: the plan's requests as Limitly counts them", async () => {
    const o = await outputs();
    for (let i = 0; i < 3; i++) expect(await account.validates(o.webKey)).toBe(true);
    await prog.ok(["up", "--yes"]);
    // Two validations in the first test, three here.
    expect((await outputs()).planRequests).toBe(5);
  });

  test("rotation: the key is replaced (new before old), the rotating key keeps its previous value working", async () => {
    const old = await outputs();
    await prog.ok(["config", "set", "rotation", "2026-12"]);
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["update", "partner"],
      ["replace", "web"],
    ]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls.filter((c) => c === "POST /keys")).toHaveLength(2);
    expect(calls.indexOf("POST /keys")).toBeLessThan(calls.indexOf("DELETE /keys/:id"));
    const now = await outputs();
    expect(now.webKeyId).not.toBe(old.webKeyId);
    expect(await account.validates(now.webKey)).toBe(true);
    expect(await account.validates(old.webKey)).toBe(false);
    expect(now.previousPartnerKey).toBe(old.partnerKey);
    expect(await account.validates(now.partnerKey)).toBe(true);
    expect(await account.validates(old.partnerKey)).toBe(true);
  });

  test("drift: preview --refresh shows the dashboard's rename; up --refresh puts the name back", async () => {
    await driftIsRepaired(account, prog, (await outputs()).webKeyId);
  });

  test("an invalid input fails preview naming the property, and sends Limitly nothing", async () => {
    await invalidInputIsRefused(account, prog);
  });

  test("destroy leaves nothing in the account, and nothing secret was printed or stored", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(account.emu.store.liveUsers()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

describeWithPython("Python: two accounts, and pulumi import", () => {
  let staging: Account;
  let production: Account;

  beforeAll(async () => {
    [staging, production] = await Promise.all([startAccount("PYSTAGING"), startAccount("PYPRODUCTION")]);
  });
  afterAll(async () => {
    await staging?.close();
    await production?.close();
  });

  test("two explicit providers put each key in its own account, and neither credential is in plaintext", async () => {
    const prog = python(
      "python-accounts",
      `import pulumi
import pulumi_limitly as limitly

config = pulumi.Config()
staging = limitly.Provider("staging", api_key=config.require_secret("stagingKey"), base_url=config.require("stagingUrl"))
production = limitly.Provider("production", api_key=config.require_secret("productionKey"), base_url=config.require("productionUrl"))
s = limitly.ApiKey("staging-key", name="Staging", opts=pulumi.ResourceOptions(provider=staging))
p = limitly.ApiKey("production-key", name="Production", opts=pulumi.ResourceOptions(provider=production))
pulumi.export("values", {"staging": s.api_key, "production": p.api_key})
`,
    );
    await prog.ok(["stack", "init", "dev"]);
    await prog.ok(["config", "set", "--secret", "stagingKey", staging.credential]);
    await prog.ok(["config", "set", "--secret", "productionKey", production.credential]);
    await prog.ok(["config", "set", "stagingUrl", staging.emu.url]);
    await prog.ok(["config", "set", "productionUrl", production.emu.url]);
    await prog.ok(["up", "--yes"]);
    const { values } = (await prog.outputs()) as { values: { staging: string; production: string } };
    expect(staging.emu.store.liveKeys().map((k) => k.name)).toEqual(["Staging"]);
    expect(production.emu.store.liveKeys().map((k) => k.name)).toEqual(["Production"]);
    expect(await staging.validates(values.staging)).toBe(true);
    expect(await production.validates(values.production)).toBe(true);
    await prog.ok(["destroy", "--yes"]);
    expect([...staging.emu.store.liveKeys(), ...production.emu.store.liveKeys()]).toEqual([]);
    const secrets = [staging.credential, production.credential, values.staging, values.production];
    expect(plaintextSecrets(secrets, [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("pulumi import prints Python that, pasted into the program, previews with no changes", async () => {
    const key = await staging.dashboard.apiKeys.create({ name: "Legacy", metadata: { team: "ops" } });
    const prog = python("python-import", "import pulumi\n");
    await prog.init("dev", staging.credential, staging.emu.url);
    const out = join(prog.dir, "imported.py");
    await prog.ok(["import", "limitly:index:ApiKey", "legacy", key.id, "--yes", "--out", out]);
    const code = readFileSync(out, "utf8");
    expect(code).toMatch(/import pulumi_limitly as limitly/);
    expect(code).toMatch(/limitly\.ApiKey\("legacy"/);
    prog.write(code);
    const calls = await staging.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([]);
  });
});
