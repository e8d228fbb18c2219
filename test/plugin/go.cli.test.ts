/**
 * examples/go on the generated Go SDK (`go mod` with a replace to sdk/go/limitly, as the example
 * ships) and the provider plugin from the packed tarball on PATH, under the real `pulumi` CLI with
 * Pulumi's own v3.259.0 Go language host, against the emulator: up, a no-op preview, a rotation,
 * destroy.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, steps } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { REPO } from "../support/scratch";

// The first build of a Go program compiles the Pulumi Go SDK: minutes on two cores.
jest.setTimeout(900_000);

const notRun = CLI.dir ? languageHost("go") : CLI.reason;
if (notRun) process.stderr.write(`\n[plugin suite] GO NOT RUN: ${notRun}\n`);
const describeWithGo = notRun ? describe.skip : describeWithCli;

const example = (file: string) => readFileSync(join(REPO, "examples/go", file), "utf8");

interface Outputs {
  webKeyId: string;
  webKey: string;
  partnerKey: string;
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
    prog = new Program("go-example", example("main.go"), {
      runtime: "go",
      pluginOnPath: true,
      files: {
        // The example's replace points at the SDK relative to examples/go; here, at the same folder.
        "go.mod": example("go.mod").replace("=> ../../sdk/go/limitly", `=> ${join(REPO, "sdk/go/limitly")}`),
        "go.sum": example("go.sum"),
      },
    });
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
  });

  test("preview --expect-no-changes exits 0 and sends Limitly nothing", async () => {
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([]);
  });

  test("rotation: the key is replaced, the rotating key rotates in place keeping the old value working", async () => {
    const old = await outputs();
    await prog.ok(["config", "set", "rotation", "2026-12"]);
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["update", "partner"],
      ["replace", "web"],
    ]);
    await prog.ok(["up", "--yes"]);
    const now = await outputs();
    expect(now.webKeyId).not.toBe(old.webKeyId);
    expect(await account.validates(now.webKey)).toBe(true);
    expect(await account.validates(old.webKey)).toBe(false);
    expect(await account.validates(now.partnerKey)).toBe(true);
    expect(await account.validates(old.partnerKey)).toBe(true);
  });

  test("destroy leaves nothing in the account, and nothing secret was printed or stored", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
