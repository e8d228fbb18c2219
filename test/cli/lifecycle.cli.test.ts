/**
 * One stack's whole life under the real `pulumi` CLI, from the packed tarball, against the emulator:
 * up, outputs, the state file, a no-op preview, a rename, both rotation strategies, drift, scheduled
 * rotation with a pinned clock, destroy. Each step asserts what the emulator saw and what the CLI printed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, steps } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";
import { SECRET_SIG, SIG_KEY } from "../../src/provider/secretSignature";

jest.setTimeout(180_000);

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const config = new pulumi.Config();
const specs = config.requireObject<Record<string, limitly.ApiKeyArgs>>("keys");
const keys = Object.entries(specs).map(([name, args]) => new limitly.ApiKey(name, args));

export const ids = pulumi.all(Object.fromEntries(keys.map((k, i) => [Object.keys(specs)[i], k.id])));
export const values = pulumi.all(Object.fromEntries(keys.map((k, i) => [Object.keys(specs)[i], k.apiKey])));
`;

type Specs = Record<string, Record<string, unknown>>;

describeWithCli("one stack's life under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];
  let specs: Specs = {
    web: { name: "Web", userId: 42, planId: "plan_basic", metadata: { team: "web" }, rotation: "2026-11" },
    batch: { name: "Batch", userId: 7, rotation: "2026-11", rotationStrategy: "regenerate" },
    mobile: { name: "Mobile", status: "inactive" },
  };

  const setKeys = (next: Specs) => {
    specs = next;
    return prog.ok(["config", "set", "--", "keys", JSON.stringify(next)]);
  };
  const outputs = async () => {
    const o = (await prog.outputs()) as { ids: Record<string, string>; values: Record<string, string> };
    issued.push(...Object.values(o.values).filter(Boolean));
    return o;
  };
  beforeAll(async () => {
    account = await startAccount("LIFECYCLE");
    prog = new Program("lifecycle", PROGRAM);
    await prog.init("dev", account.credential, account.emu.url);
    await setKeys(specs);
  });

  afterAll(() => account?.close());

  const validates = (value: string) => account.validates(value);
  const callsDuring = (fn: () => Promise<unknown>) => account.callsDuring(fn);

  test("up creates every key with its declared fields; the values are secret outputs that Limitly accepts", async () => {
    const calls = await callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls.filter((c) => c === "POST /keys")).toHaveLength(3);
    const live = account.emu.store.liveKeys();
    expect(live.map((k) => k.name).sort()).toEqual(["Batch", "Mobile", "Web"]);
    const web = live.find((k) => k.name === "Web")!;
    expect(web).toMatchObject({ user_id: 42, plan_id: "plan_basic", status: "active" });
    expect(web.metadata).toMatchObject({ team: "web" });
    expect(live.find((k) => k.name === "Mobile")!.status).toBe("inactive");

    const o = await outputs();
    expect(Object.keys(o.ids).sort()).toEqual(["batch", "mobile", "web"]);
    expect(o.ids.web).toBe(web.id);
    expect(await validates(o.values.web)).toBe(true);
    expect(await validates(o.values.batch)).toBe(true);
    expect(await validates(o.values.mobile)).toBe(false); // inactive: Limitly refuses it

    const plain = await prog.ok(["stack", "output", "values"]);
    expect(plain.stdout.trim()).toBe("[secret]");
    const json = await prog.ok(["stack", "output", "--json"]);
    expect(JSON.parse(json.stdout).values).toBe("[secret]");
  });

  test("the state holds apiKey as ciphertext, and no key value or credential in plaintext anywhere", async () => {
    const state = await prog.exported();
    const keys = state.deployment.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/limitly:ApiKey");
    expect(keys).toHaveLength(3);
    for (const k of keys) {
      const apiKey = k.outputs!.apiKey as Record<string, string>;
      expect(apiKey[SIG_KEY]).toBe(SECRET_SIG);
      expect(apiKey.ciphertext).toMatch(/^v1:/);
    }
    // Where the program declared each key: its own lines, not pulumi-limitly's constructors nor
    // Pulumi's runner (registration.ts); the arrow function that declares them has no name, so
    // Pulumi records it as an empty frame.
    const line = PROGRAM.split("\n").findIndex((l) => l.includes("new limitly.ApiKey")) + 1;
    for (const k of keys) {
      const frames = (k.stackTrace ?? []).map((f) => f.sourcePosition).filter(Boolean);
      expect(frames).toEqual([expect.stringMatching(new RegExp(`^project:///index\\.ts#${line},\\d+$`))]);
    }
    const stackFile = readFileSync(join(prog.dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/limitly:apiKey:\s+secure: v1:/);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });

  test("preview --expect-no-changes exits 0 and sends Limitly nothing", async () => {
    const calls = await callsDuring(() => prog.ok(["preview", "--expect-no-changes"]));
    expect(calls).toEqual([]);
  });

  test("a rename: preview --diff shows the update; up sends exactly one PUT", async () => {
    await setKeys({ ...specs, web: { ...specs.web, name: "Web frontend" } });
    const preview = await callsDuring(async () => {
      const r = await prog.ok(["preview", "--diff"]);
      expect(r.stdout).toMatch(/~ pulumi-nodejs:dynamic\/limitly:ApiKey: \(update\)/);
      expect(r.stdout).toMatch(/~ name\s*: "Web" => "Web frontend"/);
    });
    expect(preview).toEqual([]);
    const { ids: before } = await outputs();
    const up = await callsDuring(() => prog.ok(["up", "--yes"]));
    expect(up).toEqual(["PUT /keys/:id"]);
    expect(account.emu.store.keys.get(before.web)!.name).toBe("Web frontend");
  });

  test("rotation by `rotation` with strategy replace: the new key is created before the old one is deleted", async () => {
    const old = await outputs();
    await setKeys({ ...specs, web: { ...specs.web, rotation: "2026-12" } });
    const calls = await callsDuring(() => prog.ok(["up", "--yes"]));
    // One listing per run looks for keys a killed run left behind; the key being replaced is never one.
    expect(calls).toEqual(["GET /keys", "POST /keys", "DELETE /keys/:id"]);
    const now = await outputs();
    expect(now.ids.web).not.toBe(old.ids.web);
    expect(account.emu.store.keys.get(old.ids.web)!.deleted_at).toBeTruthy();
    expect(await validates(now.values.web)).toBe(true);
    expect(await validates(old.values.web)).toBe(false);
    expect(now.values.batch).toBe(old.values.batch);
  });

  test("rotation with strategy regenerate: same id, new value, the old value stops working", async () => {
    const old = await outputs();
    await setKeys({ ...specs, batch: { ...specs.batch, rotation: "2026-12" } });
    const calls = await callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls).toEqual(["POST /keys/:id/regenerate"]);
    const now = await outputs();
    expect(now.ids.batch).toBe(old.ids.batch);
    expect(now.values.batch).not.toBe(old.values.batch);
    expect(await validates(now.values.batch)).toBe(true);
    expect(await validates(old.values.batch)).toBe(false);
  });

  test("drift: preview --refresh shows a renamed key's update and a deleted key's create; refresh and up restore both", async () => {
    const before = await outputs();
    await account.dashboard.apiKeys.update(before.ids.web, { name: "renamed in the dashboard" });
    await account.dashboard.apiKeys.delete(before.ids.batch);

    const preview = await prog.ok(["preview", "--refresh", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same" && op !== "refresh")).toEqual([
      ["create", "batch"],
      ["update", "web"],
    ]);

    await prog.ok(["refresh", "--yes"]);
    const refreshed = await prog.exported();
    const webState = refreshed.deployment.resources.find((r) => r.urn.endsWith("::web"))!;
    expect(webState.outputs!.name).toBe("renamed in the dashboard");
    expect(refreshed.deployment.resources.find((r) => r.urn.endsWith("::batch"))).toBeUndefined();
    // The refresh keeps the renamed key's value: Limitly never returns it, and the state is its only copy.
    const afterRefresh = await outputs();
    expect(afterRefresh.values.web).toBe(before.values.web);

    await prog.ok(["up", "--yes"]);
    const after = await outputs();
    expect(account.emu.store.keys.get(after.ids.web)!.name).toBe("Web frontend");
    expect(after.values.web).toBe(before.values.web);
    expect(after.ids.batch).not.toBe(before.ids.batch);
    expect(await validates(after.values.batch)).toBe(true);
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("rotateAfterDays with the clock pinned: preview plans the rotation, up rotates", async () => {
    await setKeys({ ...specs, mobile: { ...specs.mobile, rotateAfterDays: 30 } });
    await prog.ok(["up", "--yes"]);
    const before = await outputs();
    await prog.ok(["preview", "--expect-no-changes"]);

    prog.env.PULUMI_LIMITLY_NOW = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["replace", "mobile"]]);
    const calls = await callsDuring(() => prog.ok(["up", "--yes"]));
    // One listing per run looks for keys a killed run left behind; the key being replaced is never one.
    expect(calls).toEqual(["GET /keys", "POST /keys", "DELETE /keys/:id"]);
    const after = await outputs();
    expect(after.ids.mobile).not.toBe(before.ids.mobile);
    // The new key was issued by Limitly's clock, which is not pinned: back on real time it is fresh.
    delete prog.env.PULUMI_LIMITLY_NOW;
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("destroy deletes every key; nothing secret was printed or stored in plaintext along the way", async () => {
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
