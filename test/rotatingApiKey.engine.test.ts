/**
 * limitly.RotatingApiKey through Pulumi's provider host, against the emulator: a rotation keeps the
 * previous key working, a later run retires it once its grace has passed (by the provider's pinned
 * clock) or once Limitly has seen no use of it for `retireWhenUnusedFor`, with a warning when it is
 * still being used. The emulator's `/validate` records each use in `last_used_at`, as Limitly does.
 */
import { CheckFailed, Engine, HostError, ProviderHost, type EngineLog } from "./support/engine";
import { registrations } from "./support/scratch";
import { ACCOUNT_KEY, callsDuring, failureOf, startStack, type Stack, validates } from "./support/stack";
import { randomUUID } from "node:crypto";
import { ownerTag } from "../src/provider/owner";

const ROTATING = "pulumi-nodejs:dynamic/limitly:RotatingApiKey";
const HOUR = 3_600_000;
const owned = (args: Record<string, unknown>): Record<string, unknown> => ({
  ...args,
  __limitlyOwner: ownerTag(randomUUID(), `urn:pulumi:test::scratch::${ROTATING}::partner`),
});
const SPEC = owned({ name: "Partner", userId: 42, rotation: "2026-11", gracePeriod: "2h" });

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

/** A new provider host (a new `pulumi` run) whose clock reads `at`, with the stack's state. */
async function runAt(at: number | undefined): Promise<Engine> {
  await s.host.stop();
  s.host = await ProviderHost.start(at === undefined ? {} : { PULUMI_LIMITLY_NOW: new Date(at).toISOString() });
  await s.host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": s.emu.url });
  const engine = new Engine(s.host);
  for (const [urn, entry] of s.engine.state) engine.state.set(urn, entry);
  s.engine = engine;
  return engine;
}

const state = () => s.engine.state.get(s.engine.urn(ROTATING, "partner"))!;
const logsOf = (level: EngineLog["severity"]) => s.host.logs.filter((l) => l.severity === level).map((l) => l.message);

/** Creates the key, then rotates it: returns the outputs before and after. */
async function createAndRotate(spec = SPEC) {
  const first = (await s.engine.up(ROTATING, "partner", spec)).entry.outputs;
  const rotated = await s.engine.up(ROTATING, "partner", { ...spec, rotation: "2026-12" });
  return { first, second: rotated.entry.outputs, op: rotated.op };
}

test("the class registers the type token, both values as secret outputs, and its own owner", () => {
  const r = registrations().find((x) => x.type === ROTATING)!;
  expect(r.name).toBe("partner");
  expect(r.additionalSecretOutputs).toEqual(expect.arrayContaining(["apiKey", "previousApiKey"]));
  // The owner tag: the stack identity the program declared, then the key's whole URN.
  const identity = registrations().find((x) => x.type === "pulumi-nodejs:dynamic/limitly:StackIdentity")!;
  expect(r.inputs.__limitlyOwner).toBe(`${identity.name}-id|urn:pulumi:test::scratch::${ROTATING}::partner`);
});

test("create issues one key; the resource id stays put and keyId names the key", async () => {
  const calls = await callsDuring(s.emu, () => s.engine.up(ROTATING, "partner", SPEC));
  expect(calls).toEqual(["GET /keys", "POST /keys"]);
  const { id, outputs } = state();
  expect(id).toBe(`rotating-${outputs.keyId}`);
  expect(outputs).toMatchObject({ name: "Partner", userId: 42, gracePeriod: "2h", rotation: "2026-11" });
  expect(outputs.previousKeyId).toBeUndefined();
  expect(await validates(s.emu, outputs.apiKey)).toBe(true);
});

test("a rotation is an in-place update: a new key, the old one kept working as previous", async () => {
  await s.engine.up(ROTATING, "partner", SPEC);
  const next = { ...SPEC, rotation: "2026-12" };
  expect(await s.engine.preview(ROTATING, "partner", next)).toEqual({ op: "update", replaces: [] });
  const before = state();
  const calls = await callsDuring(s.emu, () => s.engine.up(ROTATING, "partner", next));
  expect(calls).toEqual(["POST /keys"]);
  const after = state();
  expect(after.id).toBe(before.id);
  expect(after.outputs.keyId).not.toBe(before.outputs.keyId);
  expect(after.outputs.previousKeyId).toBe(before.outputs.keyId);
  expect(after.outputs.previousApiKey).toBe(before.outputs.apiKey);
  expect(await validates(s.emu, after.outputs.apiKey)).toBe(true);
  expect(await validates(s.emu, after.outputs.previousApiKey)).toBe(true);
  expect(Date.parse(after.outputs.previousRetiresAt) - Date.parse(after.outputs.rotatedAt)).toBe(2 * HOUR);
  expect(s.emu.store.liveKeys()).toHaveLength(2);
  expect((await s.engine.preview(ROTATING, "partner", next)).op).toBe("same");
});

test("once the grace has passed, preview plans the retirement and up deletes the previous key", async () => {
  const { first, second } = await createAndRotate();
  const rotatedAt = Date.parse(second.rotatedAt);
  const next = { ...SPEC, rotation: "2026-12" };

  let engine = await runAt(rotatedAt + 2 * HOUR - 60_000);
  expect((await engine.preview(ROTATING, "partner", next)).op).toBe("same");

  engine = await runAt(rotatedAt + 2 * HOUR + 60_000);
  expect((await engine.preview(ROTATING, "partner", next)).op).toBe("update");
  expect(logsOf("INFO").join("\n")).toContain(`previous key ${first.keyId} is retired by this update`);
  expect(logsOf("WARNING")).toEqual([]);
  const calls = await callsDuring(s.emu, () => engine.up(ROTATING, "partner", next));
  expect(calls).toEqual(["DELETE /keys/:id"]);
  expect(await validates(s.emu, first.apiKey)).toBe(false);
  expect(await validates(s.emu, second.apiKey)).toBe(true);
  expect(state().outputs.previousKeyId).toBeUndefined();
  expect(state().outputs.previousApiKey).toBeUndefined();
  expect((await engine.preview(ROTATING, "partner", next)).op).toBe("same");
});

test("a previous key still in use when its grace ends: preview warns, naming the key and its last use", async () => {
  const { first } = await createAndRotate();
  expect(await validates(s.emu, first.apiKey)).toBe(true); // a consumer still on the old value
  await s.engine.refresh(ROTATING, "partner");
  const lastUsed = state().outputs.previousLastUsedAt;
  expect(lastUsed).toBe(s.emu.store.keys.get(first.keyId)!.last_used_at);

  const engine = await runAt(Date.parse(state().outputs.previousRetiresAt) + 60_000);
  expect((await engine.preview(ROTATING, "partner", { ...SPEC, rotation: "2026-12" })).op).toBe("update");
  const [warning] = logsOf("WARNING");
  expect(warning).toContain(`previous key ${first.keyId} is still in use`);
  expect(warning).toContain(lastUsed);
  expect(warning).not.toContain(first.apiKey);
});

test("retireWhenUnusedFor retires an idle previous key before its grace ends, counted from its last use", async () => {
  const spec = { ...SPEC, gracePeriod: "7d", retireWhenUnusedFor: "3h" };
  const { first } = await createAndRotate(spec);
  const next = { ...spec, rotation: "2026-12" };
  await validates(s.emu, first.apiKey);
  await s.engine.refresh(ROTATING, "partner");
  const lastUsed = Date.parse(state().outputs.previousLastUsedAt);

  let engine = await runAt(lastUsed + 3 * HOUR - 60_000);
  expect((await engine.preview(ROTATING, "partner", next)).op).toBe("same");
  engine = await runAt(lastUsed + 3 * HOUR + 60_000);
  expect((await engine.preview(ROTATING, "partner", next)).op).toBe("update");
  expect(logsOf("INFO").join("\n")).toContain("(retireWhenUnusedFor)");
  await engine.up(ROTATING, "partner", next);
  expect(await validates(s.emu, first.apiKey)).toBe(false);
  expect(state().outputs.previousKeyId).toBeUndefined();
});

test("without retireWhenUnusedFor an idle previous key lives out its grace", async () => {
  const { second } = await createAndRotate({ ...SPEC, gracePeriod: "7d" });
  const engine = await runAt(Date.parse(second.rotatedAt) + 6 * 24 * HOUR);
  expect((await engine.preview(ROTATING, "partner", { ...SPEC, gracePeriod: "7d", rotation: "2026-12" })).op).toBe(
    "same",
  );
});

test("a use recorded after the last refresh keeps the previous key at up, with a warning", async () => {
  const spec = { ...SPEC, gracePeriod: "7d", retireWhenUnusedFor: "3h" };
  const { first, second } = await createAndRotate(spec);
  const rotatedAt = Date.parse(second.rotatedAt);
  const engine = await runAt(rotatedAt + 4 * HOUR);
  expect((await engine.preview(ROTATING, "partner", { ...spec, rotation: "2026-12" })).op).toBe("update");
  // Limitly records a use an hour before the run's clock, after the refresh the plan was made from.
  s.emu.store.keys.get(first.keyId)!.last_used_at = new Date(rotatedAt + 3 * HOUR).toISOString();
  const calls = await callsDuring(s.emu, () => engine.up(ROTATING, "partner", { ...spec, rotation: "2026-12" }));
  expect(calls).toEqual(["GET /keys/:id"]);
  expect(await validates(s.emu, first.apiKey)).toBe(true);
  expect(state().outputs.previousLastUsedAt).toBe(new Date(rotatedAt + 3 * HOUR).toISOString());
  expect(logsOf("WARNING").join("\n")).toContain(`previous key ${first.keyId} was used at`);
});

test("rotating again while a previous key lives deletes that older key first", async () => {
  const { first, second } = await createAndRotate();
  const calls = await callsDuring(s.emu, () => s.engine.up(ROTATING, "partner", { ...SPEC, rotation: "2027-01" }));
  expect(calls).toEqual(["DELETE /keys/:id", "POST /keys"]);
  const third = state().outputs;
  expect(third.previousKeyId).toBe(second.keyId);
  expect(await validates(s.emu, first.apiKey)).toBe(false);
  expect(await validates(s.emu, second.apiKey)).toBe(true);
  expect(await validates(s.emu, third.apiKey)).toBe(true);
  expect(s.emu.store.liveKeys()).toHaveLength(2);
});

test("refresh reads both keys; a previous key deleted behind Pulumi's back simply leaves the state", async () => {
  const { first, second } = await createAndRotate();
  await s.dashboard.apiKeys.update(second.keyId, { name: "renamed" });
  await s.dashboard.apiKeys.delete(first.keyId);
  const calls = await callsDuring(s.emu, () => s.engine.refresh(ROTATING, "partner"));
  // The list answering proves the 404 came from the account's API, not from a wrong base URL.
  expect(calls).toEqual(["GET /keys/:id", "GET /keys/:id", "GET /keys"]);
  const outs = state().outputs;
  expect(outs.name).toBe("renamed");
  expect(outs.previousKeyId).toBeUndefined();
  expect(outs.apiKey).toBe(second.apiKey);
  expect((await s.engine.preview(ROTATING, "partner", { ...SPEC, rotation: "2026-12" })).op).toBe("update");
});

test("destroy deletes both keys", async () => {
  await createAndRotate();
  await s.engine.destroy(ROTATING, "partner");
  expect(s.emu.store.liveKeys()).toEqual([]);
});

test("killed mid-rotation: the next up takes over the key it left behind instead of creating another", async () => {
  const { second } = await createAndRotate();
  let release!: () => void;
  s.emu.faults.add({ method: "POST", path: "/keys", holdUntil: new Promise<void>((r) => (release = r)) });
  const up = s.engine.up(ROTATING, "partner", { ...SPEC, rotation: "2027-01" }).catch((e: unknown) => e);
  while (s.emu.faults.injected.hold === undefined) await new Promise((r) => setTimeout(r, 20));
  await s.host.kill();
  release();
  expect(await up).toBeInstanceOf(HostError);
  while (s.emu.store.liveKeys().length < 2) await new Promise((r) => setTimeout(r, 50));
  const orphan = s.emu.store.liveKeys().find((k) => k.id !== second.keyId)!;
  s.emu.faults.clear();

  const engine = await runAt(undefined);
  const calls = await callsDuring(s.emu, () => engine.up(ROTATING, "partner", { ...SPEC, rotation: "2027-01" }));
  // The older previous key was deleted before the kill: its delete is repeated and finds it gone
  // (the list answering proves the account's API said so), then the account is listed for owners.
  expect(calls).toEqual(["DELETE /keys/:id", "GET /keys", "GET /keys", "POST /keys/:id/regenerate"]);
  const outs = state().outputs;
  expect(outs.keyId).toBe(orphan.id);
  expect(outs.previousKeyId).toBe(second.keyId);
  expect(
    s.emu.store
      .liveKeys()
      .map((k) => k.id)
      .sort(),
  ).toEqual([orphan.id, second.keyId].sort());
  expect(await validates(s.emu, outs.apiKey)).toBe(true);
});

test("bad grace settings are refused by check, naming the property and what is allowed, before any call", async () => {
  const calls = await callsDuring(s.emu, async () => {
    const e = await failureOf(
      s.engine.up(ROTATING, "partner", { ...SPEC, gracePeriod: "48", rotationStrategy: "replace" }),
    );
    expect(e).toBeInstanceOf(CheckFailed);
    const text = (e as CheckFailed).failures.map((f) => f.reason).join("\n");
    expect(text).toMatch(/gracePeriod must be a duration such as "90m", "36h", "7d"/);
    expect(text).toMatch(/rotationStrategy is not a property of RotatingApiKey/);
  });
  expect(calls).toEqual([]);
});

test("a rotation refused for a full key quota changes nothing, says why, and is planned again", async () => {
  await s.close();
  s = await startStack({ emulator: { maxKeys: 2 } });
  const other = await s.dashboard.apiKeys.create({ name: "someone else's" });
  const { entry } = await s.engine.up(ROTATING, "partner", SPEC);
  const next = { ...SPEC, rotation: "2026-12" };
  const e = await failureOf(s.engine.up(ROTATING, "partner", next));
  expect(e.message).toMatch(/KEY_LIMIT_REACHED|quota/);
  expect(e.message).toMatch(/needs a spare slot in the account's key quota/);
  expect(state().outputs).toMatchObject({
    keyId: entry.outputs.keyId,
    apiKey: entry.outputs.apiKey,
    rotation: "2026-11",
  });
  expect(await validates(s.emu, entry.outputs.apiKey)).toBe(true);
  expect((await s.engine.preview(ROTATING, "partner", next)).op).toBe("update");

  await s.dashboard.apiKeys.delete(other.id);
  await s.engine.up(ROTATING, "partner", next);
  expect(state().outputs).toMatchObject({ previousKeyId: entry.outputs.keyId, rotation: "2026-12" });
});

test("a key whose value was lost keeps its mark through a partial failure, so the next up still issues a value", async () => {
  await s.close();
  // A 1 s deadline makes the in-flight window the repair waits out (twice the deadline, at least 2 s) short.
  s = await startStack({ extraConfig: { "limitly:timeoutMs": "1000" } });
  // The create is carried out but its answer dropped, and no regenerate is answered: kept, marked.
  s.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
  const removeRegen = s.emu.faults.add({
    method: "POST",
    path: "/keys/:id/regenerate",
    status: 500,
    times: Infinity,
  });
  await failureOf(s.engine.up(ROTATING, "partner", SPEC));
  removeRegen();
  expect(state().outputs).toMatchObject({ apiKeyLost: true, apiKey: "" });
  // The next up's regenerate is refused outright: a partial failure, recorded in the state.
  s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 400 });
  const e = await failureOf(s.engine.up(ROTATING, "partner", SPEC));
  expect(e.message).toMatch(/The key still has no value/);
  expect(state().outputs).toMatchObject({ apiKeyLost: true, apiKey: "" });
  expect((await s.engine.preview(ROTATING, "partner", SPEC)).op).toBe("update");
  await s.engine.up(ROTATING, "partner", SPEC);
  expect(state().outputs.apiKeyLost).toBeUndefined();
  expect(await validates(s.emu, state().outputs.apiKey)).toBe(true);
});

test("moving the current key to an ApiKey (adoptKeyId) in one up: the RotatingApiKey's delete leaves it, deletes the previous", async () => {
  const { first, second } = await createAndRotate();
  // The engine's order: the new resource is created first, the one gone from the program deleted last.
  await s.engine.up("pulumi-nodejs:dynamic/limitly:ApiKey", "moved", { name: "Partner", adoptKeyId: second.keyId });
  await s.engine.destroy(ROTATING, "partner");
  expect(s.emu.store.keys.get(second.keyId)!.deleted_at).toBeNull();
  expect(await validates(s.emu, second.apiKey)).toBe(true);
  expect(s.emu.store.keys.get(first.keyId)!.deleted_at).toBeTruthy();
  expect(logsOf("WARNING")).toContainEqual(expect.stringMatching(new RegExp(`key ${second.keyId} is not deleted`)));
});
