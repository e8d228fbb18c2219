/**
 * Crash-safe create through Pulumi's provider host: the process running the provider is killed
 * after a key's create reached Limitly and before the engine recorded it; the next `up` takes that
 * key over instead of creating a second one.
 */
import { Engine, HostError, ProviderHost } from "./support/engine";
import { ACCOUNT_KEY, API_KEY, callsDuring, startStack, type Stack, validates } from "./support/stack";

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

/** What the resource class adds for a program in project `proj`, stack `dev`. */
const owned = (name: string, args: Record<string, unknown>) => ({ ...args, __limitlyOwner: `proj/dev/${name}` });

async function restartHost(): Promise<void> {
  s.host = await ProviderHost.start();
  await s.host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": s.emu.url });
  s.engine = new Engine(s.host);
}

async function killMidCreate(name: string, args: Record<string, unknown>): Promise<void> {
  // Limitly holds the POST for a second, then carries it out: the host is killed meanwhile.
  s.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 1_000 });
  const up = s.engine.up(API_KEY, name, args).catch((e: unknown) => e);
  while (!s.emulatorLogs.length || s.emu.faults.injected.latency === undefined)
    await new Promise((r) => setTimeout(r, 20));
  await s.host.kill();
  expect(await up).toBeInstanceOf(HostError);
  // The POST is carried out after the host died: a key nobody recorded.
  while (s.emu.store.liveKeys().length === 0) await new Promise((r) => setTimeout(r, 50));
}

test("killed mid-create: the next up takes the key over (one listing, a regenerate), no orphan", async () => {
  const args = owned("web", { name: "Web", metadata: { team: "core" } });
  await killMidCreate("web", args);
  const orphan = s.emu.store.liveKeys()[0];
  expect(orphan.metadata).toMatchObject({ "pulumi-limitly:owner": "proj/dev/web", team: "core" });
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
