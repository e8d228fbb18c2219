/**
 * What users meet off the happy path, under the real `pulumi` CLI: adopting a key, `pulumi import`,
 * `ApiKey.get`/`Plan.get`/`User.get`, invalid inputs, a wrong credential, lost answers, a killed
 * run, and a stack written by an earlier version.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/scratch";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, steps, type StateResource } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(180_000);

describeWithCli("off the happy path under the real pulumi CLI", () => {
  let account: Account;
  const programs: Program[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    account = await startAccount("EDGES");
  });
  afterAll(() => account?.close());

  const program = async (name: string, source: string, credential = account.credential) => {
    const p = new Program(name, source);
    programs.push(p);
    // A 3 s deadline keeps the in-flight window (twice the deadline) short where a test waits it out.
    await p.init("dev", credential, account.emu.url, { "limitly:timeoutMs": "3000" });
    return p;
  };
  const validates = (value: string) => account.validates(value);
  const callsDuring = (fn: () => Promise<unknown>) => account.callsDuring(fn);

  test("adoptKeyId takes over an existing key: no new key, its fields set to the inputs, destroy deletes it", async () => {
    const existing = await account.dashboard.apiKeys.create({ name: "Legacy", userId: 5 });
    issued.push(existing.apiKey!);
    const p = await program(
      "adopt",
      `import * as limitly from "pulumi-limitly";
const key = new limitly.ApiKey("legacy", { adoptKeyId: "${existing.id}", name: "Legacy (managed)", userId: 5 });
export const id = key.id;
export const value = key.apiKey;
`,
    );
    const calls = await callsDuring(() => p.ok(["up", "--yes"]));
    expect(calls).not.toContain("POST /keys");
    const out = await p.outputs();
    expect(out.id).toBe(existing.id);
    expect(out.value).toBe("");
    expect(account.emu.store.keys.get(existing.id)!.name).toBe("Legacy (managed)");
    await p.ok(["preview", "--expect-no-changes"]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.keys.get(existing.id)!.deleted_at).toBeTruthy();
  });

  test("pulumi import of a dynamic resource fails, as docs/adoption-and-import.md says, and changes nothing", async () => {
    const existing = await account.dashboard.apiKeys.create({ name: "To import" });
    issued.push(existing.apiKey!);
    const p = await program("import", `export const nothing = 1;\n`);
    const before = account.emu.calls.length;
    const r = await p.pulumi(["import", "pulumi-nodejs:dynamic/limitly:ApiKey", "imported", existing.id, "--yes"]);
    expect(r.code).not.toBe(0);
    const printed = r.stdout + r.stderr;
    // Pinned so docs/adoption-and-import.md quotes what users will see.
    expect(printed).toContain("pulumi-nodejs:dynamic/limitly:ApiKey");
    expect(account.emu.calls.slice(before).filter((c) => c.method !== "GET")).toEqual([]);
    expect(account.emu.store.keys.get(existing.id)!.deleted_at).toBeNull();
    process.stdout.write(`\n[pulumi import of a dynamic resource prints]\n${printed.trim()}\n`);
  });

  test("ApiKey.get, Plan.get and User.get read live objects into a program", async () => {
    const plan = await account.dashboard.plans.create({ name: "Gold", maxRequests: 500, requestPeriod: "day" });
    const user = await account.dashboard.users.create({ name: "Ada", planId: plan.id });
    const key = await account.dashboard.apiKeys.create({ name: "Existing", userId: user.userId, planId: plan.id });
    issued.push(key.apiKey!);
    const p = await program(
      "get",
      `import * as limitly from "pulumi-limitly";
const key = limitly.ApiKey.get("k", "${key.id}");
const plan = limitly.Plan.get("p", "${plan.id}");
const user = limitly.User.get("u", "${user.userId}");
export const keyName = key.name;
export const keyValue = key.apiKey;
export const planMax = plan.maxRequests;
export const userName = user.name;
`,
    );
    const calls = await callsDuring(() => p.ok(["up", "--yes"]));
    expect(calls.filter((c) => c.startsWith("GET")).length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => !c.startsWith("GET"))).toEqual([]);
    const out = await p.outputs();
    expect(out).toMatchObject({ keyName: "Existing", planMax: 500, userName: "Ada" });
    expect(out.keyValue ?? "").toBe("");
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    // A read-only reference is not deleted by destroy.
    expect(account.emu.store.keys.get(key.id)!.deleted_at).toBeNull();
  });

  test.each([
    ["userId", `{ name: "x", userId: -5 }`, /userId/],
    ["status", `{ name: "x", status: "paused" as "active" }`, /status.*active.*inactive|active.*inactive.*status/s],
    ["name", `{ name: "" }`, /name/],
    ["rotateAfterDays", `{ name: "x", rotateAfterDays: 1.5 }`, /rotateAfterDays/],
  ])("an invalid %s makes preview fail naming the property, with 0 API calls", async (prop, args, message) => {
    const p = await program(
      `invalid-${prop}`,
      `import * as limitly from "pulumi-limitly";
export const id = new limitly.ApiKey("bad", ${args}).id;
`,
    );
    const before = account.emu.calls.length;
    const r = await p.pulumi(["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).toContain(prop);
    expect(account.emu.calls.length - before).toBe(0);
  });

  test("a wrong credential fails with Limitly's message and code, and the credential appears nowhere", async () => {
    const wrong = "lk_acct_WRONG_0123456789abcdef";
    const p = await program(
      "wrong-credential",
      `import * as limitly from "pulumi-limitly";
export const id = new limitly.ApiKey("k", { name: "never" }).id;
`,
      wrong,
    );
    const r = await p.pulumi(["up", "--yes"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/INVALID_API_KEY/);
    expect(r.stdout + r.stderr).toMatch(/401/);
    expect(account.emu.store.liveKeys().filter((k) => k.name === "never")).toEqual([]);
    expect(plaintextSecrets([wrong], [p.backend, p.dir], p.printed)).toEqual([]);
  });

  test("a create whose value is lost is kept in the stack, marked; the next up issues a value, destroy deletes it", async () => {
    const p = await program(
      "kept-create",
      `import * as limitly from "pulumi-limitly";
const key = new limitly.ApiKey("kept", { name: "Kept", rotationStrategy: "regenerate" });
export const id = key.id;
export const value = key.apiKey;
export const lost = key.apiKeyLost;
`,
    );
    const removeCreate = account.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    const removeRegen = account.emu.faults.add({
      method: "POST",
      path: "/keys/:id/regenerate",
      status: 500,
      times: Infinity,
    });
    const failed = await p.pulumi(["up", "--yes"]);
    removeCreate();
    removeRegen();
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/was created but its value was lost/);
    const kept = (await p.exported()).deployment.resources.find((r) => r.urn.endsWith("::kept"))!;
    expect(kept.outputs).toMatchObject({ apiKeyLost: true });
    // What the real engine stores for a failed initialization is what the provider returned: the
    // serialized provider must be in it, or the next refresh or delete cannot load the provider.
    expect(String(kept.outputs!.__provider)).toContain('require("pulumi-limitly/dist/resources/delegates/apiKey.js")');
    const preview = await p.ok(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/~ pulumi-nodejs:dynamic\/limitly:ApiKey: \(update\)/);
    await p.ok(["up", "--yes", "--skip-preview"]);
    const out = await p.outputs();
    issued.push(String(out.value));
    expect(out.id).toBe(kept.id);
    expect(out.lost).toBeUndefined();
    expect(await validates(String(out.value))).toBe(true);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.keys.get(kept.id!)!.deleted_at).toBeTruthy();
  });

  test("an in-place rotation whose answers are all lost fails saying so; the stack keeps no dead value; the next up issues one", async () => {
    const source = (rotation: string) => `import * as limitly from "pulumi-limitly";
const key = new limitly.ApiKey("batch", { name: "Batch", rotationStrategy: "regenerate", rotation: "${rotation}" });
export const value = key.apiKey;
`;
    const p = await program("lost-regenerate", source("1"));
    await p.ok(["up", "--yes", "--skip-preview"]);
    const old = String((await p.outputs()).value);
    issued.push(old);
    p.write(source("2"));
    const remove = account.emu.faults.add({
      method: "POST",
      path: "/keys/:id/regenerate",
      commitThenDrop: true,
      times: Infinity,
    });
    const failed = await p.pulumi(["up", "--yes"]);
    remove();
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/the next `pulumi up` regenerates it/);
    expect(await validates(old)).toBe(false);
    // The engine recorded the update's failed initialization: the resource's state holds no value,
    // marked. (The stack outputs keep their last value until a run succeeds: the engine does not
    // re-export them after a failed update.)
    const revealed = await p.ok(["stack", "export", "--show-secrets"]);
    const state = JSON.parse(revealed.stdout) as { deployment: { resources: StateResource[] } };
    const marked = state.deployment.resources.find((r) => r.urn.endsWith("::batch"))!;
    expect(marked.outputs).toMatchObject({ apiKeyLost: true, rotation: "2" });
    expect(marked.outputs!.apiKey).toMatchObject({ plaintext: '""' });
    await p.ok(["up", "--yes"]);
    const now = String((await p.outputs()).value);
    issued.push(now);
    expect(await validates(now)).toBe(true);
    await p.ok(["preview", "--expect-no-changes"]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
  });

  test("a pulumi up killed mid-create (CLI, language host and provider host) leaves no orphan: the next up takes the key over", async () => {
    const p = await program(
      "killed",
      `import * as limitly from "pulumi-limitly";
const key = new limitly.ApiKey("web", { name: "Web", metadata: { team: "core" } });
export const id = key.id;
export const value = key.apiKey;
`,
    );
    // Limitly holds the POST for 3 s, then carries it out: the whole run is killed meanwhile.
    const removeSlow = account.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 3_000 });
    const before = new Set(account.emu.store.keys.keys());
    let kill!: () => void;
    const run = p.pulumi(["up", "--yes"], { killer: (k) => (kill = k) });
    while (account.emu.faults.injected.latency === undefined) await new Promise((r) => setTimeout(r, 50));
    kill();
    expect((await run).code).not.toBe(0);
    removeSlow();
    const fresh = () => [...account.emu.store.keys.values()].filter((k) => !before.has(k.id) && !k.deleted_at);
    while (fresh().length === 0) await new Promise((r) => setTimeout(r, 100));
    const orphan = fresh()[0];
    // Its owner: the stack identity this first run recorded before the key, and the key's URN.
    const identity = (await p.exported()).deployment.resources.find((r) => r.type.endsWith(":StackIdentity"))!.id;
    expect(orphan.metadata).toMatchObject({
      "pulumi-limitly:owner": `${identity}|urn:pulumi:dev::killed::pulumi-nodejs:dynamic/limitly:ApiKey::web`,
    });
    // As the CLI tells the user: the killed run's lock goes with `pulumi cancel`. Then the engine
    // warns about the interrupted create and runs it again: the provider takes the key over.
    await p.ok(["cancel", "--yes"]);
    const again = await p.ok(["up", "--yes"]);
    expect(again.stdout + again.stderr).toMatch(/pending operations from previous deployment/);
    const out = await p.outputs();
    issued.push(String(out.value));
    expect(out.id).toBe(orphan.id);
    expect(fresh().map((k) => k.id)).toEqual([orphan.id]);
    expect(await validates(String(out.value))).toBe(true);
    await p.ok(["preview", "--expect-no-changes"]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(fresh()).toEqual([]);
  });

  test("a stack written by 0.1.0, with its serialized function in the state, refreshes, updates and destroys", async () => {
    const p = await program(
      "upgrade",
      `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";
const a = new limitly.ApiKey("a", { name: new pulumi.Config().get("name") ?? "A" });
const b = new limitly.ApiKey("b", { name: "B" });
export const values = [a.apiKey, b.apiKey];
`,
    );
    await p.ok(["up", "--yes", "--skip-preview"]);
    // The state as 0.1.0 wrote it: the self-contained delegate in every key's inputs and outputs.
    const legacy = readFileSync(join(REPO, "test/fixtures/delegate-0.1.0-ApiKey.js"), "utf8");
    const state = JSON.parse((await p.ok(["stack", "export"])).stdout) as {
      deployment: { resources: StateResource[] };
    };
    const keys = state.deployment.resources.filter((r) => r.type.endsWith(":ApiKey"));
    // 0.1.0 recorded no stack identity and tagged keys `<project>/<stack>/<name>`.
    const identity = state.deployment.resources.find((r) => r.type.endsWith(":StackIdentity"))!.urn;
    state.deployment.resources = state.deployment.resources.filter((r) => r.urn !== identity);
    for (const k of keys as (StateResource & { dependencies?: string[]; propertyDependencies?: object })[]) {
      k.inputs!.__provider = k.outputs!.__provider = legacy;
      const legacyTag = `upgrade/dev/${k.urn.split("::").pop()}`;
      k.inputs!.__limitlyOwner = legacyTag;
      k.dependencies = (k.dependencies ?? []).filter((d) => d !== identity);
      k.propertyDependencies = { ...k.propertyDependencies, __limitlyOwner: [] };
      account.emu.store.keys.get(k.id!)!.metadata = { "pulumi-limitly:owner": legacyTag };
    }
    writeFileSync(join(p.dir, "old-state.json"), JSON.stringify(state));
    await p.ok(["stack", "import", "--file", "old-state.json"]);

    // The one change the upgrade brings: the stack records its identity. The keys are unchanged.
    let previewJson = "";
    const planned = await callsDuring(async () => (previewJson = (await p.ok(["preview", "--json"])).stdout));
    expect(planned).toEqual([]);
    const preview = steps(previewJson).filter(([op]) => op !== "same");
    expect(preview).toEqual([["create", "limitly-stack-identity"]]);
    // Read runs the provider stored with the outputs: 0.1.0's text.
    const refreshed = await callsDuring(() => p.ok(["refresh", "--yes", "--skip-preview"]));
    // Both keys read (by id, or from one listing when the reads arrive together: docs/drift-and-refresh.md),
    // nothing written.
    expect(refreshed.length).toBeGreaterThan(0);
    expect(refreshed.filter((c) => c !== "GET /keys/:id" && c !== "GET /keys")).toEqual([]);
    await p.ok(["config", "set", "name", "A renamed"]);
    const updated = await callsDuring(() => p.ok(["up", "--yes", "--skip-preview"]));
    expect(updated).toEqual(["PUT /keys/:id"]);
    await p.ok(["preview", "--expect-no-changes"]);
    // Each key keeps working for the resource that holds it, by id: b's 0.1.0 tag is still there.
    const b = keys.find((k) => k.urn.endsWith("::b"))!.id!;
    expect(account.emu.store.keys.get(b)!.metadata).toEqual({ "pulumi-limitly:owner": "upgrade/dev/b" });
    expect(account.emu.store.keys.get(keys.find((k) => k.urn.endsWith("::a"))!.id!)!.name).toBe("A renamed");
    // b was unchanged, so it keeps 0.1.0's provider, which destroy runs.
    const after = (await p.exported()).deployment.resources.find((r) => r.urn.endsWith("::b"))!;
    expect(after.outputs!.__provider).toBe(legacy);
    const { values } = (await p.outputs()) as { values: string[] };
    issued.push(...values);
    expect(await Promise.all(values.map(validates))).toEqual([true, true]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    for (const k of keys) expect(account.emu.store.keys.get(k.id!)!.deleted_at).toBeTruthy();
  });

  test("nothing in these runs printed or stored the credential or a key value in plaintext", () => {
    for (const p of programs) {
      expect(plaintextSecrets([account.credential, ...issued], [p.backend, p.dir], p.printed)).toEqual([]);
    }
  });
});
