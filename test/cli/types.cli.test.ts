/**
 * A user's project compiles against the published types with the `pulumi new typescript` tsconfig:
 * through Pulumi's own ts-node type-check under the real CLI and through `tsc --noEmit`.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";

jest.setTimeout(240_000);

describeWithCli("the published types under the real pulumi CLI", () => {
  let account: Account;

  beforeAll(async () => {
    account = await startAccount("TYPES");
  });
  afterAll(() => account?.close());

  test("a program using every export subpath compiles with 0 errors under the template tsconfig (ts-node and tsc)", async () => {
    const source = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";
import { startEmulator, type EmulatorOptions } from "pulumi-limitly/emulator";
import { hooks } from "pulumi-limitly/provider";
import { keyHygienePolicies, keysMustRotate } from "pulumi-limitly/policy";

const options: EmulatorOptions = { port: 0 };
const record: limitly.ApiKeyRecord | undefined = undefined;
const onError = (e: unknown) => (e instanceof limitly.LimitlyError ? e.code : "other");
const key = new limitly.ApiKey("typed", { name: "typed", userId: 1, status: "active", metadata: { a: 1 } });
export const kinds = typeof startEmulator === "function" && typeof hooks === "function" && typeof onError === "function";
export const nothing = pulumi.output(record === undefined && options.port === 0);
const rotating = new limitly.RotatingApiKey("rotating", { name: "rotating", gracePeriod: "36h", retireWhenUnusedFor: "2h" });
export const keyId = key.id;
export const previous = rotating.previousApiKey;
export const policies = [...keyHygienePolicies.map((p) => p.name), keysMustRotate.name];
`;
    const p = new Program("types", source);
    await p.init("dev", account.credential, account.emu.url);
    // Pulumi's own ts-node type-checks the program (the SDK's default) before running it.
    const calls = account.emu.calls.length;
    const preview = await p.ok(["preview"]);
    expect(preview.stdout).toMatch(/\+ 4 to create|4 to create/);
    expect(account.emu.calls.length).toBe(calls);
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
