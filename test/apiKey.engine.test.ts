/**
 * limitly.ApiKey as Pulumi runs it: the packed package installed in a scratch project, the
 * serialized provider taken from a program's registration, Pulumi's provider host driven over
 * gRPC in the engine's sequences, against the emulator over loopback HTTP.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CheckFailed, Engine, HostError, ProviderHost, UNKNOWN } from "./support/engine";
import { registrations } from "./support/scratch";
import { ACCOUNT_KEY, API_KEY, callsDuring, startStack, type Stack, validates, failureOf } from "./support/stack";

const PROD = {
  name: "Production",
  userId: 42,
  planId: "plan_basic",
  status: "active",
  metadata: { team: "core" },
  rotation: "2026-11",
};

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

describe("what a program registers", () => {
  test("type token, secret outputs and a small serialized provider without credentials", () => {
    const prod = registrations().find((r) => r.name === "prod")!;
    expect(prod.type).toBe("pulumi-nodejs:dynamic/limitly:ApiKey");
    expect(prod.additionalSecretOutputs).toContain("apiKey");
    expect(prod.inputs).toMatchObject({
      name: "Production",
      userId: 42,
      planId: "plan_basic",
      metadata: { team: "core" },
      rotation: "2026-11",
    });
    const provider = prod.inputs.__provider;
    // Installed from the tarball, the provider object is a module's exports, written as a require.
    expect(provider).toContain('require("pulumi-limitly/dist/resources/delegates/apiKey.js")');
    expect(Buffer.byteLength(provider)).toBeLessThan(320);
    expect(provider).not.toMatch(/lk_|LIMITLY/);
  });
});

describe("a stack written by pulumi-limitly 0.1.0", () => {
  // The self-contained delegate 0.1.0 wrote into every ApiKey's inputs and outputs.
  const legacy = readFileSync(join(__dirname, "fixtures/delegate-0.1.0-ApiKey.js"), "utf8");

  test("its keys are refreshed, updated by a program of this version, and deleted", async () => {
    const urn = s.engine.urn(API_KEY, "prod");
    const created = await s.host.create(urn, { ...PROD, __provider: legacy });
    // Read and Delete run the __provider stored with the outputs: the old text.
    const read = await s.host.read(urn, created.id, created.outputs);
    expect(read.outputs).toMatchObject({ name: "Production", __provider: legacy });
    // Check, Diff and Update run the new program's.
    const current = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    expect(current).not.toBe(legacy);
    const news = (await s.host.check(urn, created.outputs, { ...PROD, name: "Renamed", __provider: current })).inputs;
    const diff = await s.host.diff(urn, created.id, created.outputs, news);
    expect(diff.replaces).toEqual([]);
    const updated = await s.host.update(urn, created.id, created.outputs, news);
    expect(s.emu.store.keys.get(created.id)?.name).toBe("Renamed");
    expect(await validates(s.emu, String(created.outputs.apiKey))).toBe(true);
    await s.host.delete(urn, created.id, { ...updated, __provider: legacy });
    expect(s.emu.store.keys.get(created.id)?.deleted_at).toBeTruthy();
  });
});

describe("up, preview, update", () => {
  test("first up creates the key with one API call; the value is an output", async () => {
    let result!: Awaited<ReturnType<typeof s.engine.up>>;
    const calls = await callsDuring(s.emu, async () => (result = await s.engine.up(API_KEY, "prod", PROD)));
    expect(calls).toEqual(["POST /keys"]);
    const { entry } = result;
    expect(result.op).toBe("create");
    expect(entry.id).toMatch(/^key_/);
    expect(entry.outputs.apiKey).toMatch(/^lk_user_/);
    expect(entry.outputs).toMatchObject({
      name: "Production",
      userId: 42,
      planId: "plan_basic",
      status: "active",
      metadata: { team: "core" },
      rotation: "2026-11",
      rotationStrategy: "replace",
    });
    expect(Date.parse(entry.outputs.createdAt)).not.toBeNaN();
    const live = s.emu.store.keys.get(entry.id)!;
    expect(live).toMatchObject({ name: "Production", user_id: 42, plan_id: "plan_basic" });
    expect(await validates(s.emu, entry.outputs.apiKey)).toBe(true);
    const { apiKey, ...others } = entry.outputs;
    const text = JSON.stringify(others);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(ACCOUNT_KEY);
  });

  test("a no-op preview and up make zero API calls", async () => {
    await s.engine.up(API_KEY, "prod", PROD);
    const calls = await callsDuring(s.emu, async () => {
      expect((await s.engine.preview(API_KEY, "prod", PROD)).op).toBe("same");
      expect((await s.engine.up(API_KEY, "prod", PROD)).op).toBe("same");
    });
    expect(calls).toEqual([]);
  });

  test('equivalent inputs are no change: userId 42 vs "42", metadata key order, absent vs default status', async () => {
    await s.engine.up(API_KEY, "k", { name: "K", userId: 42, metadata: { a: 1, b: { y: 2, x: 1 } } });
    const same = {
      name: "K",
      userId: "42",
      status: "active",
      rotationStrategy: "replace",
      metadata: { b: { x: 1, y: 2 }, a: 1 },
    };
    expect((await s.engine.preview(API_KEY, "k", same)).op).toBe("same");
  });

  test("rename is an in-place update: one PUT with only the name, value and id kept", async () => {
    const { entry } = await s.engine.up(API_KEY, "prod", PROD);
    expect((await s.engine.preview(API_KEY, "prod", { ...PROD, name: "Prod (renamed)" })).op).toBe("update");
    let r!: Awaited<ReturnType<typeof s.engine.up>>;
    const calls = await callsDuring(
      s.emu,
      async () => (r = await s.engine.up(API_KEY, "prod", { ...PROD, name: "Prod (renamed)" })),
    );
    expect(calls).toEqual(["PUT /keys/:id"]);
    expect(r.op).toBe("update");
    expect(r.entry.id).toBe(entry.id);
    expect(r.entry.outputs.apiKey).toBe(entry.outputs.apiKey);
    expect(r.entry.outputs.name).toBe("Prod (renamed)");
    expect(s.emu.store.keys.get(entry.id)!.name).toBe("Prod (renamed)");
  });

  test("status, plan, user and metadata changes are updates, never replacements", async () => {
    await s.engine.up(API_KEY, "prod", PROD);
    for (const change of [
      { status: "inactive" },
      { planId: "plan_pro" },
      { userId: 7 },
      { metadata: { team: "edge" } },
    ]) {
      const p = await s.engine.preview(API_KEY, "prod", { ...PROD, ...change });
      expect(p).toEqual({ op: "update", replaces: [] });
    }
    await s.engine.up(API_KEY, "prod", { ...PROD, status: "inactive", metadata: { team: "edge" } });
    expect(s.emu.store.liveKeys()[0]).toMatchObject({ status: "inactive", metadata: { team: "edge" } });
  });
});

describe("rotation", () => {
  test("replace strategy: new key created before the old one is deleted (two calls)", async () => {
    const { entry: old } = await s.engine.up(API_KEY, "prod", PROD);
    const next = { ...PROD, rotation: "2026-12" };
    expect(await s.engine.preview(API_KEY, "prod", next)).toEqual({ op: "replace", replaces: ["rotation"] });
    let r!: Awaited<ReturnType<typeof s.engine.up>>;
    const calls = await callsDuring(s.emu, async () => (r = await s.engine.up(API_KEY, "prod", next)));
    expect(calls).toEqual(["POST /keys", "DELETE /keys/:id"]);
    expect(r.op).toBe("replace");
    expect(r.entry.id).not.toBe(old.id);
    expect(r.entry.outputs.apiKey).not.toBe(old.outputs.apiKey);
    expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
    expect(await validates(s.emu, old.outputs.apiKey)).toBe(false);
    expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([r.entry.id]);
  });

  test("regenerate strategy: same id, new value, old value dead at once (one call)", async () => {
    const spec = { ...PROD, rotationStrategy: "regenerate" };
    const { entry: old } = await s.engine.up(API_KEY, "prod", spec);
    const next = { ...spec, rotation: "2026-12" };
    expect(await s.engine.preview(API_KEY, "prod", next)).toEqual({ op: "update", replaces: [] });
    let r!: Awaited<ReturnType<typeof s.engine.up>>;
    const calls = await callsDuring(s.emu, async () => (r = await s.engine.up(API_KEY, "prod", next)));
    expect(calls).toEqual(["POST /keys/:id/regenerate"]);
    expect(r.entry.id).toBe(old.id);
    expect(r.entry.outputs.apiKey).not.toBe(old.outputs.apiKey);
    expect(r.entry.outputs.rotation).toBe("2026-12");
    expect(await validates(s.emu, old.outputs.apiKey)).toBe(false);
    expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  });
  test("a full key quota fails a replace rotation naming the quota and the regenerate strategy", async () => {
    const { entry: old } = await s.engine.up(API_KEY, "prod", PROD);
    s.emu.store.maxKeys = 1;
    const next = { ...PROD, rotation: "2026-12" };
    const e = await failureOf(s.engine.up(API_KEY, "prod", next));
    expect(e).toBeInstanceOf(HostError);
    expect(e.message).toContain("key quota is full (1 of 1 keys on the emulator plan)");
    expect(e.message).toContain('rotationStrategy: "regenerate"');
    expect(e.message).toContain("KEY_LIMIT_REACHED");
    // Nothing changed: the old key is kept, live, and its value still works.
    expect([...s.engine.state.values()].map((e) => e.id)).toEqual([old.id]);
    expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([old.id]);
    expect(await validates(s.emu, old.outputs.apiKey)).toBe(true);
    // As suggested: regenerate in place needs no spare slot.
    const r = await s.engine.up(API_KEY, "prod", { ...next, rotationStrategy: "regenerate" });
    expect(r.entry.id).toBe(old.id);
    expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  });
});

describe("refresh", () => {
  test("an out-of-band change shows as drift; the key value is carried forward", async () => {
    const { entry } = await s.engine.up(API_KEY, "prod", PROD);
    await s.dashboard.apiKeys.update(entry.id, { name: "Renamed in the dashboard", status: "inactive" });
    let refreshed!: Awaited<ReturnType<typeof s.engine.refresh>>;
    const calls = await callsDuring(s.emu, async () => (refreshed = await s.engine.refresh(API_KEY, "prod")));
    expect(calls).toEqual(["GET /keys/:id"]);
    expect(refreshed).not.toBe("gone");
    const e = refreshed as Exclude<typeof refreshed, "gone">;
    expect(e.outputs).toMatchObject({
      name: "Renamed in the dashboard",
      status: "inactive",
      apiKey: entry.outputs.apiKey,
    });
    expect(e.inputs).toMatchObject({ name: "Renamed in the dashboard", status: "inactive" });
    expect((await s.engine.preview(API_KEY, "prod", PROD)).op).toBe("update");
    await s.engine.up(API_KEY, "prod", PROD);
    expect(s.emu.store.keys.get(entry.id)).toMatchObject({ name: "Production", status: "active" });
  });

  test("an out-of-band delete empties the id, so the next up re-creates the key", async () => {
    const { entry } = await s.engine.up(API_KEY, "prod", PROD);
    await s.dashboard.apiKeys.delete(entry.id);
    expect(await s.engine.refresh(API_KEY, "prod")).toBe("gone");
    expect((await s.engine.preview(API_KEY, "prod", PROD)).op).toBe("create");
    const { entry: again } = await s.engine.up(API_KEY, "prod", PROD);
    expect(again.id).not.toBe(entry.id);
  });
});

describe("destroy", () => {
  test("deletes the key with one call; an already-deleted key is success", async () => {
    const { entry } = await s.engine.up(API_KEY, "prod", PROD);
    const calls = await callsDuring(s.emu, () => s.engine.destroy(API_KEY, "prod"));
    expect(calls).toEqual(["DELETE /keys/:id"]);
    expect(s.emu.store.liveKeys()).toEqual([]);
    await expect(s.host.delete(s.engine.urn(API_KEY, "prod"), entry.id, entry.outputs)).resolves.toBeUndefined();
  });
});

describe("adopt and get", () => {
  test("adoptKeyId takes over an existing key: GET, PUT what differs, empty value until rotation", async () => {
    const existing = await s.dashboard.apiKeys.create({ name: "Made in the dashboard", planId: "plan_basic" });
    let r!: Awaited<ReturnType<typeof s.engine.up>>;
    const calls = await callsDuring(
      s.emu,
      async () =>
        (r = await s.engine.up(API_KEY, "legacy", { name: "Legacy", planId: "plan_basic", adoptKeyId: existing.id })),
    );
    expect(calls).toEqual(["GET /keys/:id", "PUT /keys/:id"]);
    expect(r.entry.id).toBe(existing.id);
    expect(r.entry.outputs).toMatchObject({ name: "Legacy", apiKey: "", adoptKeyId: existing.id });
    expect(s.emu.store.liveKeys()).toHaveLength(1);
    expect(
      (await s.engine.preview(API_KEY, "legacy", { name: "Legacy", planId: "plan_basic", adoptKeyId: existing.id })).op,
    ).toBe("same");
    // The first rotation (regenerate) gives the adopted key a value Pulumi knows.
    const rotated = await s.engine.up(API_KEY, "legacy", {
      name: "Legacy",
      planId: "plan_basic",
      adoptKeyId: existing.id,
      rotation: "1",
      rotationStrategy: "regenerate",
    });
    expect(rotated.entry.id).toBe(existing.id);
    expect(await validates(s.emu, rotated.entry.outputs.apiKey)).toBe(true);
  });

  test("adopting a key that does not exist fails clearly and creates nothing", async () => {
    const e = await failureOf(s.engine.up(API_KEY, "legacy", { name: "Legacy", adoptKeyId: "key_does_not_exist" }));
    expect(e.message).toMatch(/adoptKeyId key_does_not_exist: no such key .*404/);
    expect(s.emu.store.keys.size).toBe(0);
  });

  test("ApiKey.get reads an existing key by id (a read without inputs)", async () => {
    const existing = await s.dashboard.apiKeys.create({ name: "Elsewhere", userId: 5 });
    const provider = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    const r = await s.host.read(s.engine.urn(API_KEY, "ref"), existing.id, { __provider: provider });
    expect(r.id).toBe(existing.id);
    expect(r.outputs).toMatchObject({ name: "Elsewhere", userId: 5, apiKey: "" });
  });
});

describe("bad input changes nothing", () => {
  test.each([
    [{ ...PROD, status: "paused" }, "status", /status must be "active" or "inactive"/],
    [{ ...PROD, name: "" }, "name", /name must be a non-empty string/],
    [{ planId: "p" }, "name", /name must be .*it is missing/],
    [{ ...PROD, userId: -1 }, "userId", /positive integer or a non-empty string/],
    [{ ...PROD, metadata: [1, 2] }, "metadata", /JSON object/],
    [{ ...PROD, rotationStrategy: "yearly" }, "rotationStrategy", /"replace" or "regenerate"/],
    [{ ...PROD, rotateAfterDays: 0 }, "rotateAfterDays", /positive whole number/],
    [{ ...PROD, colour: "blue" }, "colour", /not a property of ApiKey; allowed: name, userId/],
  ])("%j fails check on %s", async (args, property, reason) => {
    const calls = await callsDuring(s.emu, async () => {
      const e = await failureOf(s.engine.up(API_KEY, "bad", args));
      expect(e).toBeInstanceOf(CheckFailed);
      const f = (e as CheckFailed).failures.find((x) => x.property === property);
      expect(f?.reason).toMatch(reason);
    });
    expect(calls).toEqual([]);
  });

  test("values not known yet (preview) pass check and count as changes", async () => {
    expect((await s.engine.preview(API_KEY, "p", { name: UNKNOWN, userId: UNKNOWN, metadata: UNKNOWN })).op).toBe(
      "create",
    );
    await s.engine.up(API_KEY, "p", { name: "P" });
    expect((await s.engine.preview(API_KEY, "p", { name: UNKNOWN })).op).toBe("update");
    expect((await s.engine.preview(API_KEY, "p", { name: "P", rotation: UNKNOWN })).op).toBe("replace");
  });

  test("Limitly's own errors surface with its message and code", async () => {
    s.emu.faults.add({
      method: "POST",
      path: "/keys",
      status: 400,
      body: {
        error: "Plan plan_gone does not exist",
        code: "VALIDATION_ERROR",
        details: { field: "plan_id", message: "unknown plan" },
      },
    });
    const e = await failureOf(s.engine.up(API_KEY, "prod", PROD));
    expect(e).toBeInstanceOf(HostError);
    expect(e.message).toContain("VALIDATION_ERROR");
    expect(e.message).toContain("Plan plan_gone does not exist");
    expect(s.engine.state.size).toBe(0);
  });
});

describe("credentials", () => {
  test("a missing credential passes check and diff, then fails the first API call naming both ways to set it", async () => {
    await s.host.stop();
    s.host = await ProviderHost.start();
    await s.host.configure({ "limitly:baseUrl": s.emu.url });
    const urn = s.engine.urn(API_KEY, "prod");
    const provider = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    const checked = await s.host.check(urn, {}, { ...PROD, __provider: provider });
    expect(checked.failures).toEqual([]);
    const e = await failureOf(s.host.create(urn, checked.inputs));
    expect(e.message).toContain("pulumi config set --secret limitly:apiKey");
    expect(e.message).toContain("LIMITLY_API_KEY");
    expect(s.emu.calls).toEqual([]);
  });

  test("the environment is the fallback: LIMITLY_API_KEY and LIMITLY_BASE_URL", async () => {
    await s.host.stop();
    s.host = await ProviderHost.start({ LIMITLY_API_KEY: ACCOUNT_KEY, LIMITLY_BASE_URL: s.emu.url });
    await s.host.configure({});
    const urn = s.engine.urn(API_KEY, "prod");
    const provider = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    const { id } = await s.host.create(urn, {
      ...PROD,
      status: "active",
      rotationStrategy: "replace",
      __provider: provider,
    });
    expect(s.emu.store.keys.get(id)?.name).toBe("Production");
  });

  test("a wrong credential fails with Limitly's 401 and never shows the credential", async () => {
    await s.host.stop();
    s.host = await ProviderHost.start();
    await s.host.configure({ "limitly:apiKey": "lk_wrong_credential_for_test", "limitly:baseUrl": s.emu.url });
    const provider = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    const e = await failureOf(
      s.host.create(s.engine.urn(API_KEY, "prod"), { ...PROD, status: "active", __provider: provider }),
    );
    expect(e.message).toContain("INVALID_API_KEY");
    expect(e.message).toContain("HTTP 401");
    expect(e.message).not.toContain("lk_wrong_credential_for_test");
    expect(s.host.stderr + s.host.stdout).not.toContain("lk_wrong_credential_for_test");
  });

  test("plain HTTP to a remote base URL is refused before any request", async () => {
    await s.host.stop();
    s.host = await ProviderHost.start();
    await s.host.configure({
      "limitly:apiKey": ACCOUNT_KEY,
      "limitly:baseUrl": "http://limitly.example.com/functions/v1",
    });
    const provider = registrations().find((r) => r.name === "prod")!.inputs.__provider;
    const e = await failureOf(s.host.create(s.engine.urn(API_KEY, "prod"), { ...PROD, __provider: provider }));
    expect(e.message).toMatch(/HTTPS only/);
  });
});

describe("secret hygiene over a whole lifecycle", () => {
  test("the credential and key values appear nowhere but the apiKey output", async () => {
    const values: string[] = [];
    const seen: string[] = [];
    const record = (outputs: Record<string, unknown>) => {
      values.push(String(outputs.apiKey));
      const { apiKey: _v, ...rest } = outputs;
      seen.push(JSON.stringify(rest));
    };
    record((await s.engine.up(API_KEY, "prod", PROD)).entry.outputs);
    record((await s.engine.up(API_KEY, "prod", { ...PROD, name: "N2" })).entry.outputs);
    record((await s.engine.up(API_KEY, "prod", { ...PROD, name: "N2", rotation: "r2" })).entry.outputs);
    record(
      (await s.engine.up(API_KEY, "prod", { ...PROD, name: "N2", rotation: "r3", rotationStrategy: "regenerate" }))
        .entry.outputs,
    );
    const refreshed = await s.engine.refresh(API_KEY, "prod");
    if (refreshed !== "gone") record(refreshed.outputs);
    s.emu.faults.add({
      method: "PUT",
      path: "/keys/:id",
      status: 400,
      body: { error: `rejected ${values[values.length - 1]} from ${ACCOUNT_KEY}`, code: "VALIDATION_ERROR" },
    });
    seen.push(
      (
        await failureOf(
          s.engine.up(API_KEY, "prod", { ...PROD, name: "N3", rotation: "r3", rotationStrategy: "regenerate" }),
        )
      ).message,
    );
    await s.engine.destroyAll();
    seen.push(
      s.host.stdout,
      s.host.stderr,
      s.emulatorLogs.join("\n"),
      ...registrations().map((r) => r.inputs.__provider),
    );
    const haystack = seen.join("\n");
    for (const needle of [ACCOUNT_KEY, ...values]) {
      expect(needle).toMatch(/^lk_/);
      expect(haystack).not.toContain(needle);
    }
    expect(new Set(values).size).toBe(3);
  });
});

describe("scheduled rotation (rotateAfterDays), clock injected into the provider host", () => {
  async function hostAt(iso: string): Promise<Engine> {
    await s.host.stop();
    s.host = await ProviderHost.start({ PULUMI_LIMITLY_NOW: iso });
    await s.host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": s.emu.url });
    const engine = new Engine(s.host);
    for (const [urn, entry] of s.engine.state) engine.state.set(urn, entry);
    return engine;
  }
  const days = (iso: string, n: number) => new Date(Date.parse(iso) + n * 86_400_000).toISOString();

  test("replace strategy: nothing planned before the age, a replacement once it is reached", async () => {
    const spec = { name: "CI", rotateAfterDays: 30 };
    const { entry } = await s.engine.up(API_KEY, "ci", spec);
    let engine = await hostAt(days(entry.outputs.createdAt, 29));
    expect((await engine.preview(API_KEY, "ci", spec)).op).toBe("same");
    engine = await hostAt(days(entry.outputs.createdAt, 30));
    expect(await engine.preview(API_KEY, "ci", spec)).toEqual({ op: "replace", replaces: ["rotateAfterDays"] });
    const r = await engine.up(API_KEY, "ci", spec);
    expect(r.entry.id).not.toBe(entry.id);
    expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([r.entry.id]);
  });

  test("regenerate strategy: rotated in place, and the age restarts from the regenerate", async () => {
    const spec = { name: "CI", rotateAfterDays: 7, rotationStrategy: "regenerate" };
    const { entry } = await s.engine.up(API_KEY, "ci", spec);
    const at = days(entry.outputs.createdAt, 8);
    const engine = await hostAt(at);
    const r = await engine.up(API_KEY, "ci", spec);
    expect(r.op).toBe("update");
    expect(r.entry.id).toBe(entry.id);
    expect(r.entry.outputs.rotatedAt).toBe(at);
    expect(r.entry.outputs.apiKey).not.toBe(entry.outputs.apiKey);
    expect((await engine.preview(API_KEY, "ci", spec)).op).toBe("same");
  });
});

describe("adopting a key another resource holds", () => {
  const warnings = () => s.host.logs.filter((l) => l.severity === "WARNING").map((l) => l.message);

  test("adopting a key whose owner tag names another resource warns, naming the key and that owner", async () => {
    const other = (await s.engine.up(API_KEY, "other", { name: "Other", __limitlyOwner: "proj/dev/other" })).entry;
    await s.engine.up(API_KEY, "mine", { name: "Mine", adoptKeyId: other.id, __limitlyOwner: "proj/dev/mine" });
    expect(warnings()).toEqual([expect.stringMatching(new RegExp(`adoptKeyId ${other.id} is a key another resource`))]);
    expect(warnings()[0]).toContain('"proj/dev/other"');
  });

  test("adopting an untagged key, or one this resource's own owner tag names, warns about nothing", async () => {
    const untagged = await s.dashboard.apiKeys.create({ name: "Dashboard" });
    await s.engine.up(API_KEY, "a", { name: "A", adoptKeyId: untagged.id, __limitlyOwner: "proj/dev/a" });
    const own = await s.dashboard.apiKeys.create({ name: "Own", metadata: { "pulumi-limitly:owner": "proj/dev/b" } });
    await s.engine.up(API_KEY, "b", { name: "B", adoptKeyId: own.id, __limitlyOwner: "proj/dev/b" });
    expect(warnings()).toEqual([]);
  });

  test("moving a key to another resource in one up: the new one adopts it, the old one's delete leaves it alone", async () => {
    const old = (await s.engine.up(API_KEY, "old", { name: "Moving", __limitlyOwner: "proj/dev/old" })).entry;
    // The engine's order: the new resource is created first, the one gone from the program deleted last.
    const moved = await s.engine.up(API_KEY, "new", {
      name: "Moving",
      adoptKeyId: old.id,
      __limitlyOwner: "proj/dev/new",
    });
    await s.engine.destroy(API_KEY, "old");
    expect(s.emu.store.keys.get(old.id)!.deleted_at).toBeNull();
    expect(await validates(s.emu, old.outputs.apiKey)).toBe(true);
    expect(warnings()).toContainEqual(expect.stringMatching(new RegExp(`key ${old.id} is not deleted`)));
    expect(await s.engine.refresh(API_KEY, "new")).toMatchObject({ id: moved.entry.id });
  });

  test("a replacement that adopts the same key again does not delete it with the object it replaces", async () => {
    const existing = await s.dashboard.apiKeys.create({ name: "Legacy" });
    const spec = { name: "Legacy", adoptKeyId: existing.id, rotation: "1" };
    await s.engine.up(API_KEY, "legacy", spec);
    const r = await s.engine.up(API_KEY, "legacy", { ...spec, rotation: "2" });
    expect(r.op).toBe("replace");
    expect(r.entry.id).toBe(existing.id);
    expect(s.emu.store.keys.get(existing.id)!.deleted_at).toBeNull();
    expect(warnings()).toContainEqual(expect.stringMatching(new RegExp(`key ${existing.id} is not deleted`)));
  });
});
