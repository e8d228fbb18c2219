/**
 * The provider plugin's ResourceProvider protocol, in-process over gRPC against the emulator:
 * detailed diffs, previews answered without any API call, secrets on every path, the provider's
 * settings, and function arguments. The user-visible ends of these run under the real CLI in
 * test/plugin/*.cli.test.ts.
 */
import { redact } from "../../src/client/errors";
import { startEmulator, type Emulator } from "../../src/emulator";
import { SECRET_SIG, SIG_KEY } from "../../src/provider/secretSignature";
import { PluginDriver, PluginError, secret, UNKNOWN, urnOf } from "../support/pluginDriver";

type Props = Record<string, unknown>;

const CREDENTIAL = "lk_acct_PROTOCOL_4b1d9e2f";
const KEY = urnOf("ApiKey", "web");
const ROTATING = urnOf("RotatingApiKey", "fleet");
const PLAN = urnOf("Plan", "pro");

let emu: Emulator;
let plugin: PluginDriver;

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [CREDENTIAL] });
  plugin = await PluginDriver.start();
  await plugin.configure({ apiKey: secret(CREDENTIAL), baseUrl: emu.url, requestsPerMinute: 0, timeoutMs: 1000 });
});
afterEach(async () => {
  delete process.env.PULUMI_LIMITLY_NOW;
  await plugin.close();
  await emu.close();
});

const isSecretValue = (v: unknown) => v !== null && typeof v === "object" && (v as Props)[SIG_KEY] === SECRET_SIG;
const revealed = (v: unknown) => (isSecretValue(v) ? (v as { value: unknown }).value : v);

/** The requests the emulator saw while `fn` ran, as `METHOD route`. */
async function callsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const from = emu.calls.length;
  await fn();
  return emu.calls.slice(from).map((c) => `${c.method} ${c.route}`);
}

/** Checks then creates, as the engine does; the checked inputs and the create's answer. */
async function created(urn: string, news: Props) {
  const { inputs, failures } = await plugin.check(urn, {}, news);
  expect(failures).toEqual([]);
  return { inputs, ...(await plugin.create(urn, inputs)) };
}

/**
 * Every output a preview predicts as known is what the real step then answers: the preview and
 * the step run the same plan.
 */
function expectKnownAgree(predicted: Props, real: Props) {
  for (const [name, value] of Object.entries(predicted)) {
    if (revealed(value) === UNKNOWN) continue;
    expect({ [name]: revealed(real[name]) }).toEqual({ [name]: revealed(value) });
  }
}

describe("Diff tells the engine each changed property", () => {
  test("a rename: an input difference of name, in place; the value, id fields and creation time are stable", async () => {
    const key = await created(KEY, { name: "Web", metadata: { team: "web" } });
    const d = await plugin.diff(KEY, key.id, key.properties, { ...key.inputs, name: "Web frontend" });
    expect(d).toMatchObject({
      changes: "some",
      diffs: ["name"],
      replaces: [],
      hasDetailedDiff: true,
      deleteBeforeReplace: false,
      detailedDiff: { name: { kind: "UPDATE", inputDiff: true } },
    });
    expect(d.stables).toEqual(expect.arrayContaining(["apiKey", "createdAt", "rotatedAt", "metadata"]));
    expect(d.stables).not.toContain("name");
    expect(d.stables).not.toContain("updatedAt");
  });

  test("a rotation under replace is UPDATE_REPLACE; a due schedule is no input difference; ignoreChanges drops only input differences", async () => {
    const key = await created(KEY, { name: "Web", rotation: "1", rotateAfterDays: 30 });
    const rotated = await plugin.diff(KEY, key.id, key.properties, { ...key.inputs, rotation: "2" });
    expect(rotated).toMatchObject({
      replaces: ["rotation"],
      detailedDiff: { rotation: { kind: "UPDATE_REPLACE", inputDiff: true } },
      stables: [],
    });
    process.env.PULUMI_LIMITLY_NOW = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const due = await plugin.diff(KEY, key.id, key.properties, key.inputs);
    expect(due).toMatchObject({
      changes: "some",
      replaces: ["rotateAfterDays"],
      detailedDiff: { rotateAfterDays: { kind: "UPDATE_REPLACE", inputDiff: false } },
    });
    const ignored = await plugin.diff(KEY, key.id, key.properties, { ...key.inputs, name: "Other" }, ["name", "*"]);
    expect(ignored.diffs).toEqual(["rotateAfterDays"]);
  });

  test("a plan's change is in place, key by key", async () => {
    const plan = await created(PLAN, { name: "Pro", maxRequests: 1000, requestPeriod: "month" });
    const d = await plugin.diff(PLAN, plan.id, plan.properties, { ...plan.inputs, maxRequests: 5, isActive: false });
    expect(d).toMatchObject({
      diffs: ["maxRequests", "isActive"],
      replaces: [],
      detailedDiff: { maxRequests: { kind: "UPDATE", inputDiff: true }, isActive: { kind: "UPDATE", inputDiff: true } },
    });
    expect(d.stables).toEqual(expect.arrayContaining(["name", "createdAt"]));
  });
});

describe("previews answer from the core's plans, with no API call", () => {
  test("preview Create of a key: the inputs known, the value and Limitly's times unknown, the value secret", async () => {
    const { inputs } = await plugin.check(KEY, {}, { name: "Web", planId: "plan_x" });
    let answer!: { id: string; properties: Props };
    expect(await callsDuring(async () => (answer = await plugin.create(KEY, inputs, { preview: true })))).toEqual([]);
    expect(answer.id).toBe("");
    expect(answer.properties).toMatchObject({ name: "Web", planId: "plan_x", status: "active", metadata: {} });
    expect(answer.properties.apiKey).toEqual(secret(UNKNOWN));
    expect(answer.properties.createdAt).toBe(UNKNOWN);
    expect(answer.properties.rotatedAt).toBe(UNKNOWN);
  });

  test("preview Update of a rename keeps the value known; the update then answers every known output as predicted", async () => {
    const key = await created(KEY, { name: "Web" });
    const news = { ...key.inputs, name: "Web frontend" };
    await plugin.diff(KEY, key.id, key.properties, news);
    let preview!: { properties: Props };
    const calls = await callsDuring(
      async () => (preview = await plugin.update(KEY, key.id, key.properties, news, { preview: true })),
    );
    expect(calls).toEqual([]);
    expect(preview.properties.apiKey).toEqual(key.properties.apiKey);
    expect(preview.properties.name).toBe("Web frontend");
    expect(preview.properties.updatedAt).toBe(UNKNOWN);
    await plugin.diff(KEY, key.id, key.properties, news);
    const real = await plugin.update(KEY, key.id, key.properties, news);
    expectKnownAgree(preview.properties, real.properties);
  });

  test("preview Update of a RotatingApiKey's rotation: the new key unknown, the outgoing one known as previous", async () => {
    const key = await created(ROTATING, { name: "Fleet", rotation: "1" });
    const news = { ...key.inputs, rotation: "2" };
    await plugin.diff(ROTATING, key.id, key.properties, news);
    let preview!: { properties: Props };
    const calls = await callsDuring(
      async () => (preview = await plugin.update(ROTATING, key.id, key.properties, news, { preview: true })),
    );
    expect(calls).toEqual([]);
    expect(preview.properties).toMatchObject({
      keyId: UNKNOWN,
      previousKeyId: key.properties.keyId,
      previousApiKey: key.properties.apiKey,
      rotatedAt: UNKNOWN,
    });
    expect(preview.properties.apiKey).toEqual(secret(UNKNOWN));
    await plugin.diff(ROTATING, key.id, key.properties, news);
    const real = await plugin.update(ROTATING, key.id, key.properties, news);
    expectKnownAgree(preview.properties, real.properties);
  });

  test("preview Create and Update of a plan", async () => {
    const { inputs } = await plugin.check(PLAN, {}, { name: "Pro", maxRequests: 10, requestPeriod: "day" });
    const calls = await callsDuring(async () => {
      const p = await plugin.create(PLAN, inputs, { preview: true });
      expect(p.properties).toMatchObject({ name: "Pro", maxRequests: 10, isActive: true, createdAt: UNKNOWN });
    });
    expect(calls).toEqual([]);
    const plan = await created(PLAN, inputs);
    const news = { ...plan.inputs, maxRequests: 20 };
    const preview = await plugin.update(PLAN, plan.id, plan.properties, news, { preview: true });
    expect(preview.properties).toMatchObject({ maxRequests: 20, createdAt: plan.properties.createdAt });
    expectKnownAgree(preview.properties, (await plugin.update(PLAN, plan.id, plan.properties, news)).properties);
  });
});

describe("secrets stay secret on every path", () => {
  test("a partial failure keeps the object with the request's secret inputs wrapped, and its messages never name them", async () => {
    // The create commits but its answer is lost, and the key's value cannot be issued again.
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 500, times: Infinity });
    const name = "Quarterly payroll export";
    const { inputs } = await plugin.check(KEY, {}, { name: secret(name), metadata: secret({ team: "payroll" }) });
    const failed = await plugin.create(KEY, inputs).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PluginError);
    const { initFailure, message } = failed as PluginError;
    expect(initFailure?.id).toBe(emu.store.liveKeys()[0].id);
    expect(initFailure?.properties.name).toEqual(secret(name));
    expect(initFailure?.properties.metadata).toEqual(secret({ team: "payroll" }));
    expect(JSON.stringify([message, initFailure?.reasons])).not.toContain(name);
  });

  test("a Check failure on a secret input never describes its value, and names no property for the engine to print", async () => {
    const { failures } = await plugin.check(KEY, {}, { name: "Web", status: secret("enabled") });
    // The engine prints a failure's property with the program's value, in plaintext.
    expect(failures).toEqual([
      { property: "", reason: 'status must be "active" or "inactive" (default "active"); got a secret value' },
    ]);
    const plain = await plugin.check(KEY, {}, { name: "Web", status: "on" });
    expect(plain.failures).toEqual([{ property: "status", reason: expect.stringContaining('got "on"') }]);
  });

  test("every secret value of a request is remembered by the redactor as it is read, as a whole word", async () => {
    const value = "team-payroll-2026";
    await plugin.check(KEY, {}, { name: "Web", metadata: { owner: secret(value) }, status: secret("active") });
    expect(redact(`something about ${value}`)).toBe("something about [redacted]");
    expect(redact('"active" or "inactive"')).toBe('"[redacted]" or "inactive"');
  });

  test("Read keeps an output made from a secret input secret", async () => {
    const key = await created(KEY, { name: secret("Payroll") });
    expect(key.properties.name).toEqual(secret("Payroll"));
    const r = await plugin.read(KEY, key.id, key.properties, key.inputs);
    expect(r.properties.name).toEqual(secret("Payroll"));
    expect(r.inputs.name).toEqual(secret("Payroll"));
    expect(r.properties.apiKey).toEqual(key.properties.apiKey);
    expect(isSecretValue(r.properties.apiKey)).toBe(true);
  });

  test("an Invoke with a secret argument answers a secret result", async () => {
    const key = await created(KEY, { name: "Web" });
    const { result, failures } = await plugin.invoke("getApiKeyUsage", { keyId: secret(key.id) });
    expect(failures).toEqual([]);
    expect(Object.keys(result).length).toBeGreaterThan(0);
    for (const v of Object.values(result)) expect(isSecretValue(v)).toBe(true);
    const plain = await plugin.invoke("getApiKeyUsage", { keyId: key.id });
    expect(isSecretValue(plain.result.requestsInPeriod)).toBe(false);
  });
});

describe("the provider's settings", () => {
  test("CheckConfig refuses a name that is no setting, naming the nearest, and never its value", async () => {
    const { failures } = await plugin.checkConfig({}, { apikey: secret(CREDENTIAL), baseUrll: emu.url, colour: "x" });
    const byName = Object.fromEntries(failures.map((f) => [f.property || f.reason.split(" ")[0], f.reason]));
    expect(Object.keys(byName).sort()).toEqual(["apikey", "baseUrll", "colour"]);
    // A secret one names no property, so that the engine does not print its value.
    expect(failures.find((f) => f.reason.startsWith("apikey"))?.property).toBe("");
    expect(byName.apikey).toMatch(/^apikey is not a setting of the limitly provider; did you mean apiKey\?/);
    expect(byName.baseUrll).toContain("did you mean baseUrl?");
    expect(byName.colour).not.toContain("did you mean");
    expect(byName.colour).toContain("apiKey, baseUrl, timeoutMs, maxRetries, requestsPerMinute");
    expect(JSON.stringify(failures)).not.toContain(CREDENTIAL);
  });

  test("CheckConfig accepts and keeps the hidden settings and the engine's version", async () => {
    const identity = "0b5f6a1e-7d1c-4c8e-9a51-2f3e4d5c6b7a";
    const { failures, inputs } = await plugin.checkConfig(
      {},
      { apiKey: secret(CREDENTIAL), baseUrl: emu.url, version: "0.1.0", __stackIdentity: identity },
    );
    expect(failures).toEqual([]);
    expect(inputs.__stackIdentity).toBe(identity);
  });

  test("CheckConfig keeps every setting given in secret secret in the provider's state, the credential always", async () => {
    const { inputs } = await plugin.checkConfig({}, { apiKey: CREDENTIAL, baseUrl: secret(emu.url), timeoutMs: 5000 });
    expect(inputs.apiKey).toEqual(secret(CREDENTIAL));
    expect(inputs.baseUrl).toEqual(secret(emu.url));
    expect(inputs.timeoutMs).toBe(5000);
  });

  test("DiffConfig: another baseUrl replaces the provider; a new credential alone updates it", async () => {
    const olds = { apiKey: secret(CREDENTIAL), baseUrl: emu.url };
    const moved = await plugin.diffConfig(olds, { ...olds, baseUrl: "https://other.example/functions/v1" });
    expect(moved).toMatchObject({
      changes: "some",
      replaces: ["baseUrl"],
      detailedDiff: { baseUrl: { kind: "UPDATE_REPLACE", inputDiff: true } },
    });
    const rotated = await plugin.diffConfig(olds, { ...olds, apiKey: secret("lk_acct_rotated_0000") });
    expect(rotated).toMatchObject({ changes: "some", diffs: ["apiKey"], replaces: [] });
    expect((await plugin.diffConfig(olds, { ...olds, baseUrl: `${emu.url}/` })).changes).toBe("none");
    expect((await plugin.diffConfig(olds, { ...olds, timeoutMs: 5000 })).replaces).toEqual([]);
  });

  test("function arguments are checked by the descriptors' rules before any call", async () => {
    const calls = await callsDuring(async () => {
      const bad = await plugin.invoke("getUserUsage", { userId: "abc" });
      expect(bad.failures).toEqual([
        { property: "userId", reason: expect.stringMatching(/^userId must be the positive whole number/) },
      ]);
      const missing = await plugin.invoke("getApiKeyUsage", {});
      expect(missing.failures).toEqual([{ property: "keyId", reason: expect.stringContaining("it is missing") }]);
      const extra = await plugin.invoke("getPlanUsage", { planId: "plan_1", plan: "x" });
      expect(extra.failures.map((f) => f.property)).toEqual(["plan"]);
    });
    expect(calls).toEqual([]);
  });
});
