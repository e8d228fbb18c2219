/**
 * examples/go on the generated Go SDK (`go mod` with a replace to sdk/go/limitly, as the example
 * ships) and the provider plugin from the packed tarball on PATH, under the real `pulumi` CLI with
 * Pulumi's own v3.259.0 Go language host, against the emulator: examples/go through its life (up,
 * the function's result, a no-op preview, rotation, drift, bad input, destroy), two accounts, and
 * `pulumi import` printing Go.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { REPO } from "../support/scratch";
import { driftIsRepaired, invalidInputIsRefused } from "./support/exampleSteps";

// The first build of a Go program compiles the Pulumi Go SDK: minutes on two cores.
jest.setTimeout(900_000);

const notRun = CLI.dir ? languageHost("go") : CLI.reason;
if (notRun) process.stderr.write(`\n[plugin suite] GO NOT RUN: ${notRun}\n`);
const describeWithGo = notRun ? describe.skip : describeWithCli;

const example = (file: string) => readFileSync(join(REPO, "examples/go", file), "utf8");

/** A Go program with the example's go.mod, whose replace points at the SDK relative to examples/go. */
const goProgram = (name: string, source: string) =>
  new Program(name, source, {
    runtime: "go",
    pluginOnPath: true,
    files: {
      "go.mod": example("go.mod").replace("=> ../../sdk/go/limitly", `=> ${join(REPO, "sdk/go/limitly")}`),
      "go.sum": example("go.sum"),
    },
  });

/** The one request the example's getPlanUsage makes on every run, previews included. */
const USAGE_READ = "GET /plans/:id/usage";

interface Outputs {
  planId: string;
  webKeyId: string;
  webKey: string;
  partnerKey: string;
  planRequests: number;
}

describeWithGo("examples/go on the generated Go SDK under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];
  const outputs = async () => {
    const o = (await prog.outputs()) as unknown as Outputs;
    issued.push(o.webKey, o.partnerKey);
    return o;
  };

  beforeAll(async () => {
    account = await startAccount("GO");
    prog = goProgram("go-example", example("main.go"));
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up creates the plan and both keys; the values are secret and Limitly accepts them", async () => {
    await prog.ok(["up", "--yes"]);
    const o = await outputs();
    expect(
      account.emu.store
        .liveKeys()
        .map((k) => k.name)
        .sort(),
    ).toEqual(["dev partner", "dev web"]);
    expect(await account.validates(o.webKey)).toBe(true);
    expect(await account.validates(o.partnerKey)).toBe(true);
    expect((await prog.ok(["stack", "output", "webKey"])).stdout.trim()).toBe("[secret]");
    // The function ran after the plan was made: no requests yet.
    expect(o.planRequests).toBe(0);
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

  test("rotation: the key is replaced, the rotating key rotates in place keeping the old value working", async () => {
    const old = await outputs();
    await prog.ok(["config", "set", "rotation", "2026-12"]);
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["update", "partner"],
      ["replace", "web"],
    ]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    // create-before-delete: the new key exists before the old one goes.
    expect(calls.indexOf("POST /keys")).toBeLessThan(calls.indexOf("DELETE /keys/:id"));
    const now = await outputs();
    expect(now.webKeyId).not.toBe(old.webKeyId);
    expect(await account.validates(now.webKey)).toBe(true);
    expect(await account.validates(old.webKey)).toBe(false);
    expect(await account.validates(now.partnerKey)).toBe(true);
    expect(await account.validates(old.partnerKey)).toBe(true);
  });

  test("drift: preview --refresh shows the dashboard's rename; up --refresh puts the name back", async () => {
    await driftIsRepaired(account, prog, (await outputs()).webKeyId);
  });

  test("an invalid input fails preview naming the property and what is allowed, and sends Limitly nothing", async () => {
    await invalidInputIsRefused(account, prog);
  });

  test("destroy leaves nothing in the account, and nothing secret was printed or stored", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});

describeWithGo("Go: two accounts, and pulumi import", () => {
  let staging: Account;
  let production: Account;

  beforeAll(async () => {
    [staging, production] = await Promise.all([startAccount("GOSTAGING"), startAccount("GOPRODUCTION")]);
  });
  afterAll(async () => {
    await staging?.close();
    await production?.close();
  });

  test("two explicit providers put each key in its own account, and neither credential is in plaintext", async () => {
    const prog = goProgram(
      "go-accounts",
      `package main

import (
	"github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		account := func(name string) (*limitly.Provider, error) {
			return limitly.NewProvider(ctx, name, &limitly.ProviderArgs{
				ApiKey:  config.RequireSecret(ctx, name+"Key"),
				BaseUrl: pulumi.String(config.Require(ctx, name+"Url")),
			})
		}
		staging, err := account("staging")
		if err != nil {
			return err
		}
		production, err := account("production")
		if err != nil {
			return err
		}
		s, err := limitly.NewApiKey(ctx, "staging-key", &limitly.ApiKeyArgs{Name: pulumi.String("Staging")}, pulumi.Provider(staging))
		if err != nil {
			return err
		}
		p, err := limitly.NewApiKey(ctx, "production-key", &limitly.ApiKeyArgs{Name: pulumi.String("Production")}, pulumi.Provider(production))
		if err != nil {
			return err
		}
		ctx.Export("staging", s.ApiKey)
		ctx.Export("production", p.ApiKey)
		return nil
	})
}
`,
    );
    await prog.ok(["stack", "init", "dev"]);
    await prog.ok(["config", "set", "--secret", "stagingKey", staging.credential]);
    await prog.ok(["config", "set", "--secret", "productionKey", production.credential]);
    await prog.ok(["config", "set", "stagingUrl", staging.emu.url]);
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

  test("pulumi import prints Go that, pasted into the program, previews with no changes", async () => {
    const key = await staging.dashboard.apiKeys.create({ name: "Legacy", metadata: { team: "ops" } });
    const prog = goProgram(
      "go-import",
      `package main

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error { return nil })
}
`,
    );
    await prog.init("dev", staging.credential, staging.emu.url);
    const out = join(prog.dir, "imported.go");
    await prog.ok(["import", "limitly:index:ApiKey", "legacy", key.id, "--yes", "--out", out]);
    const code = readFileSync(out, "utf8");
    rmSync(out);
    expect(code).toMatch(/"github.com\/pulumi-limitly\/pulumi-limitly\/sdk\/go\/limitly"/);
    expect(code).toMatch(/limitly\.NewApiKey\(ctx, "legacy"/);
    prog.write(code);
    const calls = await staging.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([]);
  });
});
