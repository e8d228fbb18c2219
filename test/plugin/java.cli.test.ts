/**
 * examples/java (a Maven program) on the generated Java SDK (`mvn install` of sdk/java into a
 * local Maven repository) and the provider plugin from the packed tarball on PATH, under the real
 * `pulumi` CLI with Pulumi's own Java language host (pulumi-java v1.16.0), against the emulator:
 * its whole life, two accounts, `pulumi import` printing Java, and bad input.
 *
 * All through Maven, though the example's jar would spare two Maven runs a command: the CLI passes
 * `runtime.options.binary` only in each request's ProgramInfo (pulumi/pulumi#21054), and this host,
 * v1.16.0, reads it only as a start-up flag (newer hosts stopped: pulumi-java#1947), so here it
 * would run Maven regardless (seen), and the Go module proxy serves no newer host.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { type Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { REPO } from "../support/scratch";
import { driftIsRepaired, invalidInputIsRefused } from "./support/exampleSteps";
import { JAVA_JAR, JAVA_SDK_VERSION, MAVEN_ENV, installJavaSdk, javaProgram, mvn } from "./support/java";

// Every pulumi command runs Maven twice (the plugin scan, then the program): tens of seconds each.
jest.setTimeout(600_000);

const hostMissing = CLI.dir ? languageHost("java") : CLI.reason;
const notRun = hostMissing ?? installJavaSdk();
if (notRun) process.stderr.write(`\n[plugin suite] JAVA NOT RUN: ${notRun}\n`);
const describeWithJava = notRun ? describe.skip : describeWithCli;

const example = (file: string) => readFileSync(join(REPO, "examples/java", file), "utf8");
const java = (name: string, source: string) => javaProgram(name, source, { pluginOnPath: true });

/** The SDK's plugin scan (`… com.pulumi.bootstrap.internal.Main packages`) on the program's classpath, in its folder. */
function pluginScan(prog: Program, cmd: string, args: string[]): unknown {
  const r = spawnSync(cmd, args, { cwd: prog.dir, encoding: "utf8", env: { ...process.env, ...MAVEN_ENV } });
  expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(r.stdout);
}

/** A program with one key in it. */
const ONE_KEY = `package myproject;

import com.pulumi.Pulumi;
import com.pulumi.limitly.ApiKey;
import com.pulumi.limitly.ApiKeyArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            new ApiKey("web", ApiKeyArgs.builder().name("Web").build());
        });
    }
}
`;

/** A program with nothing in it, for `pulumi import` to add to. */
const EMPTY = `package myproject;

import com.pulumi.Pulumi;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {});
    }
}
`;

/** The one request the example's getPlanUsage makes on every run, previews included. */
const USAGE_READ = "GET /plans/:id/usage";

interface Outputs {
  planId: string;
  webKeyId: string;
  webKey: string;
  partnerKey: string;
  previousPartnerKey?: string;
  planRequests: number;
}

describeWithJava("examples/java on the generated Java SDK under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];
  const outputs = async () => {
    const o = (await prog.outputs()) as unknown as Outputs;
    issued.push(...[o.webKey, o.partnerKey, o.previousPartnerKey ?? ""].filter(Boolean));
    return o;
  };

  beforeAll(async () => {
    account = await startAccount("JAVA");
    prog = java("java-example", example("src/main/java/myproject/App.java"));
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
    expect((await prog.ok(["stack", "output", "partnerKey"])).stdout.trim()).toBe("[secret]");
    // The function ran after the plan was made: no requests yet.
    expect(o.planRequests).toBe(0);
  });

  test("the SDK's plugin.json tells the Java host which plugin the program needs, at the SDK's version, from Maven and from the jar", () => {
    const needs = [
      { resource: true, name: "limitly", version: JAVA_SDK_VERSION, server: "github://api.github.com/pulumi-limitly" },
    ];
    // What the host runs for GetRequiredPackages: the Java SDK's classpath scan, with the program's classpath.
    const maven = pluginScan(prog, "mvn", [
      "-Dorg.slf4j.simpleLogger.logFile=System.err",
      "--no-transfer-progress",
      "compile",
      "exec:java",
      "-DmainClass=com.pulumi.bootstrap.internal.Main",
      "-DmainArgs=packages",
    ]);
    expect(maven).toEqual(needs);
    // What it runs for the jar docs/installation-configuration.md names as runtime.options.binary: the
    // jar's classpath is its manifest's (the SDK's jar in target/lib).
    expect(mvn(prog.dir, ["package"])).toBeUndefined();
    const jar = pluginScan(prog, "java", ["-cp", JAVA_JAR, "com.pulumi.bootstrap.internal.Main", "packages"]);
    expect(jar).toEqual(needs);
  });

  test("the state, the build output and everything printed hold no credential or key value in plaintext", async () => {
    const state = await prog.exported();
    const web = state.deployment.resources.find((r) => r.type === "limitly:index:ApiKey")!;
    expect((web.outputs!.apiKey as Record<string, string>).ciphertext).toMatch(/^v1:/);
    // prog.dir holds Maven's target/ too: the classes, and the jar and its lib/ `mvn package` made.
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("preview --expect-no-changes exits 0 and asks Limitly only what the function reads", async () => {
    const calls = await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([USAGE_READ]);
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

  test("an invalid input fails preview naming the property and what is allowed, and sends Limitly nothing", async () => {
    await invalidInputIsRefused(account, prog);
  });

  test("destroy leaves nothing in the account, and nothing secret was printed, built or stored", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(account.emu.store.liveUsers()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

describeWithJava("Java: two accounts, and pulumi import", () => {
  let staging: Account;
  let production: Account;

  beforeAll(async () => {
    [staging, production] = await Promise.all([startAccount("JSTAGING"), startAccount("JPRODUCTION")]);
  });
  afterAll(async () => {
    await staging?.close();
    await production?.close();
  });

  test("an explicit Provider puts a key in a second account, and neither credential is in plaintext", async () => {
    const prog = java(
      "java-accounts",
      `package myproject;

import com.pulumi.Pulumi;
import com.pulumi.limitly.ApiKey;
import com.pulumi.limitly.ApiKeyArgs;
import com.pulumi.limitly.Provider;
import com.pulumi.limitly.ProviderArgs;
import com.pulumi.resources.CustomResourceOptions;
import java.util.Map;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            var config = ctx.config();
            var production = new Provider("production", ProviderArgs.builder()
                .apiKey(config.requireSecret("productionKey"))
                .baseUrl(config.require("productionUrl"))
                .build());
            var s = new ApiKey("staging-key", ApiKeyArgs.builder().name("Staging").build());
            var p = new ApiKey("production-key", ApiKeyArgs.builder().name("Production").build(),
                CustomResourceOptions.builder().provider(production).build());
            ctx.export("staging", s.apiKey());
            ctx.export("production", p.apiKey());
        });
    }
}
`,
    );
    // The default provider on staging, from the stack's config; the explicit one on production.
    await prog.init("dev", staging.credential, staging.emu.url);
    await prog.ok(["config", "set", "--secret", "productionKey", production.credential]);
    await prog.ok(["config", "set", "productionUrl", production.emu.url]);
    await prog.ok(["up", "--yes"]);
    const values = (await prog.outputs()) as { staging: string; production: string };
    expect(staging.emu.store.liveKeys().map((k) => k.name)).toEqual(["Staging"]);
    expect(production.emu.store.liveKeys().map((k) => k.name)).toEqual(["Production"]);
    expect(await staging.validates(values.staging)).toBe(true);
    expect(await production.validates(values.production)).toBe(true);
    await prog.ok(["destroy", "--yes"]);
    expect([...staging.emu.store.liveKeys(), ...production.emu.store.liveKeys()]).toEqual([]);
    const secrets = [staging.credential, production.credential, values.staging, values.production];
    expect(plaintextSecrets(secrets, [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("pulumi import prints Java that, pasted into the program, previews with no changes", async () => {
    const key = await staging.dashboard.apiKeys.create({ name: "Legacy", metadata: { team: "ops" } });
    const prog = java("java-import", EMPTY);
    await prog.init("dev", staging.credential, staging.emu.url);
    const out = join(prog.dir, "imported.java");
    await prog.ok(["import", "limitly:index:ApiKey", "legacy", key.id, "--yes", "--out", out]);
    const code = readFileSync(out, "utf8");
    expect(code).toMatch(/import com\.pulumi\.limitly\.ApiKey;/);
    expect(code).toMatch(/new ApiKey\("legacy"/);
    // Pasted over App.java, keeping the program's own package line (the host prints a placeholder).
    expect(code).toMatch(/^package generated_program;$/m);
    prog.write(code.replace(/^package generated_program;$/m, "package myproject;"));
    const calls = await staging.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([]);
  });

  test("without the plugin installed, preview fails with Pulumi's own no-resource-plugin error, and sends Limitly nothing", async () => {
    // Not on PATH, not in the workspace: the jar's plugin.json names what is missing.
    const prog = javaProgram("java-no-plugin", ONE_KEY);
    await prog.init("dev", staging.credential, staging.emu.url);
    let r = { code: 0, stdout: "", stderr: "" };
    const calls = await staging.callsDuring(async () => {
      r = await prog.pulumi(["preview"]);
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(
      new RegExp(`no resource plugin 'pulumi-resource-limitly'[^\\n]*v${JAVA_SDK_VERSION}`),
    );
    expect(calls).toEqual([]);
  });
});
