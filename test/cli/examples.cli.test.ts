/**
 * Every program in examples/ runs `up` then `destroy` under the real CLI, and a user's project
 * compiles against the published types with the `pulumi new typescript` tsconfig: through Pulumi's
 * own ts-node type-check and through `tsc --noEmit`.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { LimitlyClient } from "../../src/client";
import { startEmulator, type Emulator } from "../../src/emulator";
import { REPO } from "../support/scratch";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(240_000);

const CREDENTIAL = `lk_acct_EXAMPLES_${Math.random().toString(36).slice(2, 10)}`;
const EXAMPLES = join(REPO, "examples");

/** An example's files, as a user would copy them: the program, Pulumi.yaml and its stack files. */
function exampleFiles(name: string): Record<string, string> {
  const dir = join(EXAMPLES, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f === "index.ts" || /^Pulumi(\.[\w-]+)?\.yaml$/.test(f))
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

describeWithCli("the examples and the published types under the real pulumi CLI", () => {
  let emu: Emulator;
  let dashboard: LimitlyClient;

  beforeAll(async () => {
    emu = await startEmulator({ apiKeys: [CREDENTIAL] });
    dashboard = new LimitlyClient({ apiKey: CREDENTIAL, baseUrl: emu.url, requestsPerMinute: 0 });
  });

  afterAll(async () => {
    await dashboard?.close();
    await emu?.close();
  });

  /** Keys that examples/adopt expects to exist already, with its fixed ids. */
  async function seedAdoptable(): Promise<void> {
    const adopt = readFileSync(join(EXAMPLES, "adopt/Pulumi.dev.yaml"), "utf8");
    for (const [, id] of adopt.matchAll(/id: (key_\w+)/g)) {
      const k = await dashboard.apiKeys.create({ name: `existing ${id}` });
      const row = emu.store.keys.get(k.id)!;
      emu.store.keys.delete(k.id);
      emu.store.keys.set(id, { ...row, id });
    }
  }

  const examples = readdirSync(EXAMPLES).sort();

  test("there are examples to run", () => {
    expect(examples).toEqual(expect.arrayContaining(["account", "adopt", "per-environment", "rotation"]));
  });

  test.each(examples)("examples/%s: up creates what it declares, destroy leaves nothing live", async (name) => {
    if (name === "adopt") await seedAdoptable();
    const files = exampleFiles(name);
    const p = new Program(`example-${name}`, files["index.ts"], { files });
    await p.init("dev", CREDENTIAL, emu.url);
    const before = emu.calls.length;
    await p.ok(["up", "--yes"]);
    const created = emu.calls.slice(before).filter((c) => c.method === "POST" || c.method === "PUT");
    expect(created.length).toBeGreaterThan(0);
    await p.ok(["preview", "--expect-no-changes"]);
    const values = Object.values(await p.outputs()).flatMap((v) =>
      typeof v === "string" ? [v] : typeof v === "object" && v ? Object.values(v).map(String) : [],
    );
    await p.ok(["destroy", "--yes"]);
    expect(emu.store.liveKeys().map((k) => k.name)).toEqual([]);
    expect(emu.store.livePlans().map((x) => x.name)).toEqual([]);
    expect(emu.store.liveUsers().map((u) => u.name)).toEqual([]);
    const secrets = [CREDENTIAL, ...values.filter((v) => v.startsWith("lk_"))];
    expect(plaintextSecrets(secrets, [p.backend, p.dir], p.printed)).toEqual([]);
  });

  test("a program using every export subpath compiles with 0 errors under the template tsconfig (ts-node and tsc)", async () => {
    const source = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";
import { startEmulator, type EmulatorOptions } from "pulumi-limitly/emulator";
import { hooks } from "pulumi-limitly/provider";

const options: EmulatorOptions = { port: 0 };
const record: limitly.ApiKeyRecord | undefined = undefined;
const onError = (e: unknown) => (e instanceof limitly.LimitlyError ? e.code : "other");
const key = new limitly.ApiKey("typed", { name: "typed", userId: 1, status: "active", metadata: { a: 1 } });
export const kinds = typeof startEmulator === "function" && typeof hooks === "function" && typeof onError === "function";
export const nothing = pulumi.output(record === undefined && options.port === 0);
export const keyId = key.id;
`;
    const p = new Program("types", source);
    await p.init("dev", CREDENTIAL, emu.url);
    // Pulumi's own ts-node type-checks the program (the SDK's default) before running it.
    const calls = emu.calls.length;
    const preview = await p.ok(["preview"]);
    expect(preview.stdout).toMatch(/\+ 2 to create|2 to create/);
    expect(emu.calls.length).toBe(calls);
    const tsc = join(p.dir, "node_modules/typescript/bin/tsc");
    const r = await promisify(execFile)(process.execPath, [tsc, "--noEmit", "-p", ".", "--listFiles"], {
      cwd: p.dir,
    }).catch((e: { stdout: string; stderr: string }) => e);
    const listed = r.stdout.split("\n");
    expect(listed.filter((l) => /error TS/.test(l))).toEqual([]);
    expect(r.stderr).toBe("");
    // The published declarations never make the user's compiler load zod.
    expect(listed.filter((l) => l.includes("node_modules/zod/"))).toEqual([]);
    expect(listed.some((l) => l.endsWith("pulumi-limitly/dist/emulator/index.d.ts"))).toBe(true);
  });
});
