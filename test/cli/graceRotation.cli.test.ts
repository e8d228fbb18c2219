/**
 * limitly.RotatingApiKey under the real `pulumi` CLI, from the packed tarball, against the emulator:
 * a rotation keeps the old value working, the clock pinned past the grace makes preview plan the
 * retirement and up carry it out, a previous key still in use gets a warning in the preview, and a
 * refresh that sees an idle previous key retires it early. The emulator's `/validate` is each use.
 */
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, steps } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(180_000);

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const config = new pulumi.Config();
const key = new limitly.RotatingApiKey("partner", config.requireObject<limitly.RotatingApiKeyArgs>("key"));

export const keyId = key.keyId;
export const value = key.apiKey;
export const previousKeyId = key.previousKeyId;
export const previousValue = key.previousApiKey;
export const previousRetiresAt = key.previousRetiresAt;
`;

const HOUR = 3_600_000;

interface Outputs {
  keyId: string;
  value: string;
  previousKeyId?: string;
  previousValue?: string;
  previousRetiresAt?: string;
}

describeWithCli("RotatingApiKey under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];
  let spec: Record<string, unknown> = { name: "Partner", userId: 42, rotation: "2026-11", gracePeriod: "2h" };

  const setSpec = (next: Record<string, unknown>) => {
    spec = next;
    return prog.ok(["config", "set", "--", "key", JSON.stringify(next)]);
  };
  const outputs = async () => {
    const o = (await prog.outputs()) as unknown as Outputs;
    issued.push(...[o.value, o.previousValue].filter((v): v is string => !!v));
    return o;
  };
  const pinClock = (ms: number) => (prog.env.PULUMI_LIMITLY_NOW = new Date(ms).toISOString());

  beforeAll(async () => {
    account = await startAccount("GRACE");
    prog = new Program("grace", PROGRAM);
    await prog.init("dev", account.credential, account.emu.url);
    await setSpec(spec);
    await prog.ok(["up", "--yes", "--skip-preview"]);
  });
  afterAll(() => account?.close());
  afterEach(() => delete prog.env.PULUMI_LIMITLY_NOW);

  test("a rotation is an update: a new key, and the old value keeps working as the previous one", async () => {
    const before = await outputs();
    expect(before.previousKeyId).toBeUndefined();
    await setSpec({ ...spec, rotation: "2026-12" });
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "partner"]]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls).toEqual(["GET /keys", "POST /keys"]);
    const after = await outputs();
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.previousKeyId).toBe(before.keyId);
    expect(after.previousValue).toBe(before.value);
    expect(await account.validates(after.value)).toBe(true);
    expect(await account.validates(after.previousValue!)).toBe(true);
    const plain = await prog.ok(["stack", "output", "previousValue"]);
    expect(plain.stdout.trim()).toBe("[secret]");
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("past the grace, preview plans the retirement and up retires the previous key", async () => {
    const o = await outputs();
    pinClock(Date.parse(o.previousRetiresAt!) - 60_000);
    await prog.ok(["preview", "--expect-no-changes"]);

    pinClock(Date.parse(o.previousRetiresAt!) + 60_000);
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "partner"]]);
    const text = await prog.ok(["preview"]);
    expect(text.stdout).toContain(`previous key ${o.previousKeyId} is retired by this update`);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls).toEqual(["DELETE /keys/:id"]);
    const after = await outputs();
    expect(after.previousKeyId).toBeUndefined();
    expect(await account.validates(o.previousValue!)).toBe(false);
    expect(await account.validates(after.value)).toBe(true);
  });

  test("a previous key still used when its grace ends: preview --refresh warns with the key and its last use", async () => {
    await setSpec({ ...spec, rotation: "2027-01" });
    await prog.ok(["up", "--yes", "--skip-preview"]);
    const o = await outputs();
    expect(await account.validates(o.previousValue!)).toBe(true); // a consumer still on the old value
    const lastUsed = account.emu.store.keys.get(o.previousKeyId!)!.last_used_at!;

    pinClock(Date.parse(o.previousRetiresAt!) + 60_000);
    const preview = await prog.ok(["preview", "--refresh"]);
    expect(preview.stdout).toMatch(/warning:/);
    expect(preview.stdout).toContain(`previous key ${o.previousKeyId} is still in use`);
    expect(preview.stdout).toContain(lastUsed);
    await prog.ok(["up", "--refresh", "--yes"]);
    expect(await account.validates(o.previousValue!)).toBe(false);
  });

  test("retireWhenUnusedFor: a refresh that sees the previous key idle retires it before its grace ends", async () => {
    await setSpec({ ...spec, rotation: "2027-02", gracePeriod: "7d", retireWhenUnusedFor: "1h" });
    await prog.ok(["up", "--yes", "--skip-preview"]);
    const o = await outputs();
    await account.validates(o.previousValue!);
    const lastUsed = Date.parse(account.emu.store.keys.get(o.previousKeyId!)!.last_used_at!);

    pinClock(lastUsed + HOUR - 60_000);
    await prog.ok(["preview", "--refresh", "--expect-no-changes"]);
    pinClock(lastUsed + HOUR + 60_000);
    const calls = await account.callsDuring(() => prog.ok(["up", "--refresh", "--yes"]));
    expect(calls).toContain("DELETE /keys/:id");
    expect(await account.validates(o.previousValue!)).toBe(false);
    expect(await account.validates(o.value)).toBe(true);
    expect((await outputs()).previousKeyId).toBeUndefined();
  });

  test("destroy deletes both keys; no value or credential was printed or stored in plaintext", async () => {
    await setSpec({ ...spec, rotation: "2027-03" });
    await prog.ok(["up", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toHaveLength(2);
    await outputs();
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
