/**
 * Crash-safe create through Pulumi's provider host: the process running the provider is killed
 * after a key's create reached Limitly and before the engine recorded it; the next `up` takes that
 * key over instead of creating a second one. Only that: a key is taken over when its owner tag is
 * this very resource's (this stack's identity, this URN) and the key itself shows it was never
 * handed out; keys of look-alike stacks, of another URN, copies, used or changed keys and keys
 * tagged by 0.1 are left alone.
 */
import { randomUUID } from "node:crypto";
import { ownerTag } from "../src/provider/owner";
import { Engine, HostError, ProviderHost } from "./support/engine";
import { ACCOUNT_KEY, API_KEY, callsDuring, startStack, type Stack, validates } from "./support/stack";

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

/** This stack's identity, as its StackIdentity resource would record it. */
const STACK = randomUUID();
const urnOf = (name: string) => `urn:pulumi:test::scratch::${API_KEY}::${name}`;
/** What the resource class adds: the owner tag of resource `name` in stack `stack`. */
const owned = (name: string, args: Record<string, unknown>, stack = STACK, urn = urnOf(name)) => ({
  ...args,
  __limitlyOwner: ownerTag(stack, urn),
});

async function restartHost(): Promise<void> {
  s.host = await ProviderHost.start();
  await s.host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": s.emu.url });
  s.engine = new Engine(s.host);
}

async function killMidCreate(name: string, args: Record<string, unknown>): Promise<void> {
  // Limitly holds the POST until the host is dead, then carries it out: a key nobody recorded.
  let release!: () => void;
  s.emu.faults.add({ method: "POST", path: "/keys", holdUntil: new Promise<void>((r) => (release = r)) });
  const up = s.engine.up(API_KEY, name, args).catch((e: unknown) => e);
  while (s.emu.faults.injected.hold === undefined) await new Promise((r) => setTimeout(r, 20));
  await s.host.kill();
  release();
  expect(await up).toBeInstanceOf(HostError);
  while (s.emu.store.liveKeys().length === 0) await new Promise((r) => setTimeout(r, 50));
}

test("killed mid-create: the next up takes the key over (one listing, a regenerate), no orphan", async () => {
  const args = owned("web", { name: "Web", metadata: { team: "core" } });
  await killMidCreate("web", args);
  const orphan = s.emu.store.liveKeys()[0];
  expect(orphan.metadata).toMatchObject({ "pulumi-limitly:owner": ownerTag(STACK, urnOf("web")), team: "core" });
  await restartHost();
  let r!: Awaited<ReturnType<typeof s.engine.up>>;
  const calls = await callsDuring(s.emu, async () => (r = await s.engine.up(API_KEY, "web", args)));
  expect(calls).toEqual(["GET /keys", "POST /keys/:id/regenerate"]);
  expect(r.entry.id).toBe(orphan.id);
  expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([orphan.id]);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  expect(r.entry.outputs.metadata).toEqual({ team: "core" });
  expect((await s.engine.preview(API_KEY, "web", args)).op).toBe("same");
});

test("the left-behind key is brought to the inputs of the new run", async () => {
  await killMidCreate("api", owned("api", { name: "API v1" }));
  await restartHost();
  const r = await s.engine.up(API_KEY, "api", owned("api", { name: "API v2", status: "inactive" }));
  expect(s.emu.store.liveKeys()).toHaveLength(1);
  expect(s.emu.store.keys.get(r.entry.id)).toMatchObject({ name: "API v2", status: "inactive" });
});

test("many first creates list the account once; a replacement never takes over the key it replaces", async () => {
  const calls = await callsDuring(s.emu, () =>
    Promise.all(Array.from({ length: 20 }, (_, i) => s.engine.up(API_KEY, `k${i}`, owned(`k${i}`, { name: `k${i}` })))),
  );
  expect(calls.filter((c) => c === "GET /keys")).toHaveLength(1);
  expect(calls.filter((c) => c === "POST /keys")).toHaveLength(20);
  const before = s.engine.state.get(s.engine.urn(API_KEY, "k0"))!;
  const r = await s.engine.up(API_KEY, "k0", owned("k0", { name: "k0", rotation: "2" }));
  expect(r.op).toBe("replace");
  expect(r.entry.id).not.toBe(before.id);
  expect(s.emu.store.keys.get(before.id)!.deleted_at).toBeTruthy();
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
});

/** Kills a create of `name` with `args`, then restarts the host as the next `pulumi up` would. */
async function leftBehindBy(name: string, args: Record<string, unknown>) {
  await killMidCreate(name, args);
  const [key] = s.emu.store.liveKeys();
  await restartHost();
  return key;
}

/** An `up` of resource `name` after a killed run: what it created, and the keys left live. */
async function nextUp(name: string, args: Record<string, unknown>) {
  const r = await s.engine.up(API_KEY, name, args);
  return { id: r.entry.id, live: s.emu.store.liveKeys().map((k) => k.id), value: r.entry.outputs.apiKey };
}

const warnings = () => s.host.logs.filter((l) => l.severity === "WARNING").map((l) => l.message);

test("a look-alike stack (same project, stack and URN, another identity) never takes the key", async () => {
  const theirs = await leftBehindBy("web", owned("web", { name: "Web" }, randomUUID()));
  const r = await nextUp("web", owned("web", { name: "Web" }));
  expect(r.id).not.toBe(theirs.id);
  expect(r.live.sort()).toEqual([theirs.id, r.id].sort());
  expect(s.emu.store.keys.get(theirs.id)!.value_hash).toBe(theirs.value_hash);
  expect(await validates(s.emu, r.value)).toBe(true);
});

test("a resource moved under a component (a new URN) never takes the old URN's key", async () => {
  const old = await leftBehindBy("web", owned("web", { name: "Web" }));
  const moved = `urn:pulumi:test::scratch::my:app:Component$${API_KEY}::web`;
  const r = await nextUp("web", owned("web", { name: "Web" }, STACK, moved));
  expect(r.id).not.toBe(old.id);
  expect(r.live).toContain(old.id);
});

test("keys tagged by 0.1 (project/stack/name) are never taken over", async () => {
  const legacy = { name: "Web", __limitlyOwner: "scratch/test/web" };
  const old = await leftBehindBy("web", legacy);
  const r = await nextUp("web", owned("web", { name: "Web" }));
  expect(r.id).not.toBe(old.id);
  expect(r.live).toContain(old.id);
});

test("a key that carries the tag but was used, changed, or copied is left alone, and the user is told", async () => {
  const args = owned("web", { name: "Web" });
  const used = await leftBehindBy("web", args);
  s.emu.store.keys.get(used.id)!.last_used_at = new Date().toISOString();
  const r1 = await nextUp("web", args);
  expect(r1.id).not.toBe(used.id);
  expect(warnings().join("\n")).toContain(`${used.id} (it was used`);

  const changed = s.emu.store.keys.get(r1.id)!;
  s.engine.state.clear();
  await restartHost();
  await s.dashboard.apiKeys.update(changed.id, { name: "Renamed in the dashboard" });
  const r2 = await nextUp("web", args);
  expect(r2.id).not.toBe(changed.id);
  expect(warnings().join("\n")).toContain(`${changed.id} (it was changed after it was created`);

  // A copy made with the key's metadata: the original and the copy carry one create token.
  s.engine.state.clear();
  await restartHost();
  const original = s.emu.store.keys.get(r2.id)!;
  const copy = await s.dashboard.apiKeys.create({ name: "copy", metadata: original.metadata });
  const r3 = await nextUp("web", args);
  expect([original.id, copy.id]).not.toContain(r3.id);
  expect(warnings().join("\n")).toContain("another key carries the same create token (a copy)");
  for (const k of [used.id, changed.id, original.id, copy.id]) expect(s.emu.store.keys.get(k)!.deleted_at).toBeFalsy();
});
