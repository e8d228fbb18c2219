/**
 * Exactly-once creation through Pulumi's provider host: a create whose answer is lost neither
 * orphans a key nor mints a second one, and the value Pulumi records works.
 */
import { HostError } from "./support/engine";
import { API_KEY, callsDuring, startStack, type Stack, validates } from "./support/stack";

let s: Stack;
beforeEach(async () => {
  // A 1 s deadline makes the in-flight window (twice the deadline, at least 2 s) short.
  s = await startStack({ extraConfig: { "limitly:timeoutMs": "1000" } });
});
afterEach(async () => {
  await s.close();
});

/** Resolves once the emulator has carried out a request it held (a `latencyMs` fault) on that route. */
async function heldCallDone(method: string, route: string): Promise<void> {
  while (!s.emu.calls.some((c) => c.method === method && c.route === route && c.ms >= 1_000))
    await new Promise((r) => setTimeout(r, 50));
}

test("commit, then the answer is dropped: the key is found by its token and given a value Pulumi sees", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
  let r!: Awaited<ReturnType<typeof s.engine.up>>;
  const calls = await callsDuring(
    s.emu,
    async () => (r = await s.engine.up(API_KEY, "prod", { name: "Prod", metadata: { team: "core" } })),
  );
  expect(calls).toEqual(["POST /keys", "GET /keys", "POST /keys/:id/regenerate"]);
  const live = s.emu.store.liveKeys();
  expect(live).toHaveLength(1);
  expect(r.entry.id).toBe(live[0].id);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  // The token is hidden from the user's metadata output and from the next diff.
  expect(r.entry.outputs.metadata).toEqual({ team: "core" });
  expect((await s.engine.preview(API_KEY, "prod", { name: "Prod", metadata: { team: "core" } })).op).toBe("same");
});

test("a 500 that did not commit: a listing of one page finds no key, again after the in-flight window, then one more POST", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", status: 500 });
  const started = Date.now();
  const calls = await callsDuring(s.emu, () => s.engine.up(API_KEY, "prod", { name: "Prod" }));
  // One page is one answer, so one listing settles it each time; larger accounts need two that agree.
  expect(calls).toEqual(["POST /keys", "GET /keys", "GET /keys", "POST /keys"]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  expect(s.emu.store.liveKeys()).toHaveLength(1);
});

test("a slow commit (carried out after the client gave up) is found after the in-flight window: one key, a working value", async () => {
  // Held 1.5 s, past the 1 s deadline, then created: the first lookups run before it exists.
  s.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 1_500 });
  const r = await s.engine.up(API_KEY, "prod", { name: "Prod" });
  const live = s.emu.store.liveKeys();
  expect(live.map((k) => k.id)).toEqual([r.entry.id]);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  expect(s.emu.count("POST", "/keys")).toBe(1);
});

test("the in-flight window is counted from the POST's last send: a slow commit sent again after a 429 is found, not posted twice", async () => {
  // Refused once (429: come back in 0.6 s, within the 1 s deadline), then sent again and held 1.7 s:
  // past the deadline, but within the window (2 s) of that second send. Counted from before the 429's
  // wait, the window would end before the held POST is carried out, and a second key be posted.
  s.emu.faults.add({ method: "POST", path: "/keys", status: 429, retryAfter: 0.6 });
  s.emu.faults.add({ method: "POST", path: "/keys", latencyMs: 1_700 });
  const r = await s.engine.up(API_KEY, "prod", { name: "Prod" });
  await heldCallDone("POST", "/keys");
  expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([r.entry.id]);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
});

test("keys deleted between the pages of the lookup do not hide the created key", async () => {
  // 100 keys of someone else, then the create lands at the start of page 2; deleting 3 of page 1
  // before page 2 is served shifts it onto page 1, which was already read.
  for (let i = 0; i < 100; i++) await s.dashboard.apiKeys.create({ name: `other ${i}` });
  s.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
  let served = 0;
  s.emu.faults.add({
    method: "GET",
    path: "/keys",
    times: Infinity,
    before: (store, query) => {
      if (query.get("page") === "2" && served++ === 0)
        for (const k of store.liveKeys().slice(0, 3)) k.deleted_at = store.now();
    },
  });
  let r!: Awaited<ReturnType<typeof s.engine.up>>;
  const calls = await callsDuring(s.emu, async () => (r = await s.engine.up(API_KEY, "prod", { name: "Prod" })));
  const mine = s.emu.store.liveKeys().filter((k) => k.name === "Prod");
  expect(mine.map((k) => k.id)).toEqual([r.entry.id]);
  // The race happened (page 2 was served after the deletes), the first pass missed the key, and
  // the second pass found it: no second POST.
  expect(served).toBeGreaterThanOrEqual(1);
  expect(calls.filter((c) => c === "POST /keys")).toHaveLength(1);
  expect(calls.filter((c) => c === "GET /keys").length).toBeGreaterThanOrEqual(3);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
});

test("a connection reset before the server saw the POST is handled the same way", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", reset: true });
  await s.engine.up(API_KEY, "prod", { name: "Prod" });
  expect(s.emu.store.liveKeys()).toHaveLength(1);
});

test("when the lookup fails too, the error says how to find the key and nothing is recorded", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
  s.emu.faults.add({ method: "GET", path: "/keys", status: 503, times: Infinity });
  const e = await s.engine.up(API_KEY, "prod", { name: "Prod" }).then(
    () => undefined,
    (x: Error) => x,
  );
  expect(e).toBeInstanceOf(HostError);
  expect(e!.message).toMatch(/looking it up failed too/);
  expect(e!.message).toMatch(/pulumi-limitly:create-token/);
  expect(e!.message).toMatch(/adoptKeyId/);
  expect(s.engine.state.size).toBe(0);
});

test("when the key is found but no value can be issued, it is kept in the stack, marked, and the next up issues a value", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
  s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 500, times: Infinity });
  const e = await s.engine.up(API_KEY, "prod", { name: "Prod" }).then(
    () => undefined,
    (x: Error) => x,
  );
  expect(e).toBeInstanceOf(HostError);
  const live = s.emu.store.liveKeys();
  expect(live).toHaveLength(1);
  expect((e as HostError).initFailure?.id).toBe(live[0].id);
  const kept = s.engine.state.get(s.engine.urn(API_KEY, "prod"))!;
  expect(kept.id).toBe(live[0].id);
  expect(kept.outputs).toMatchObject({ apiKey: "", apiKeyLost: true });
  // The engine stores the properties as returned: they carry the provider that a delete needs.
  expect(kept.outputs.__provider).toEqual(kept.inputs.__provider);
  // Preview says a new value is coming; the next plain up (same inputs) issues it.
  s.emu.faults.clear();
  expect(await s.engine.preview(API_KEY, "prod", { name: "Prod" })).toEqual({
    op: "replace",
    replaces: ["apiKeyLost"],
  });
  const r = await s.engine.up(API_KEY, "prod", { name: "Prod" });
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  expect(r.entry.outputs.apiKeyLost).toBeUndefined();
  expect(s.emu.store.liveKeys().map((k) => k.id)).toEqual([r.entry.id]);
});

describe("in-place rotation (regenerate) whose answers are lost", () => {
  const spec = { name: "Batch", rotationStrategy: "regenerate", rotation: "1" };

  test("a lost answer is retried: the value Limitly holds is the one in the state", async () => {
    const first = await s.engine.up(API_KEY, "batch", spec);
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", commitThenDrop: true, times: 2 });
    const calls = await callsDuring(s.emu, () => s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" }));
    // Two lost, one answered; once the lost ones can no longer be carried out, one more: that value is the last.
    expect(calls).toEqual(Array(4).fill("POST /keys/:id/regenerate"));
    const now = s.engine.state.get(s.engine.urn(API_KEY, "batch"))!;
    expect(now.id).toBe(first.entry.id);
    expect(await validates(s.emu, now.outputs.apiKey)).toBe(true);
    expect(await validates(s.emu, first.entry.outputs.apiKey)).toBe(false);
  });

  test("a regenerate carried out late, after the client gave up, cannot replace the value stored", async () => {
    const first = await s.engine.up(API_KEY, "batch", spec);
    // The first attempt is held past the deadline and carried out after the retry's value was seen:
    // a third is sent once the first's window has passed.
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 1_500 });
    const calls = await callsDuring(s.emu, () => s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" }));
    expect(calls.filter((c) => c === "POST /keys/:id/regenerate")).toHaveLength(3);
    const now = s.engine.state.get(s.engine.urn(API_KEY, "batch"))!;
    expect(now.id).toBe(first.entry.id);
    expect(await validates(s.emu, now.outputs.apiKey)).toBe(true);
  });

  test("a regenerate sent again after a 429 and carried out late cannot replace the value stored", async () => {
    await s.engine.up(API_KEY, "batch", spec);
    // As for a create: the window of the held attempt runs from its own send, after the 429's wait.
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 429, retryAfter: 0.6 });
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 1_700 });
    const r = await s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" });
    await heldCallDone("POST", "/keys/:id/regenerate");
    expect(r.entry.outputs.apiKeyLost).toBeUndefined();
    expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  });

  test("every answer lost: the up fails saying so, the state holds no dead value, the next up issues one", async () => {
    const first = await s.engine.up(API_KEY, "batch", spec);
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", commitThenDrop: true, times: Infinity });
    const e = await s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" }).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(e).toBeInstanceOf(HostError);
    expect(e!.message).toMatch(/Limitly OUTCOME_UNKNOWN: .*the next `pulumi up` regenerates it/);
    // Limitly now holds a value nobody saw: the old one is dead, and the state does not pretend otherwise.
    expect(await validates(s.emu, first.entry.outputs.apiKey)).toBe(false);
    const marked = s.engine.state.get(s.engine.urn(API_KEY, "batch"))!;
    expect(marked.outputs).toMatchObject({ apiKey: "", apiKeyLost: true, rotation: "2" });
    expect(marked.outputs.__provider).toEqual(first.entry.inputs.__provider);

    s.emu.faults.clear();
    expect(await s.engine.preview(API_KEY, "batch", { ...spec, rotation: "2" })).toEqual({
      op: "update",
      replaces: [],
    });
    const calls = await callsDuring(s.emu, () => s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" }));
    // The repair waits out the lost attempts' window, then regenerates once.
    expect(calls).toEqual(["POST /keys/:id/regenerate"]);
    const healed = s.engine.state.get(s.engine.urn(API_KEY, "batch"))!;
    expect(healed.id).toBe(first.entry.id);
    expect(await validates(s.emu, healed.outputs.apiKey)).toBe(true);
    expect(healed.outputs.apiKeyLost).toBeUndefined();
  });

  test("lost regenerates that commit late, after the next up began, cannot replace the repair's value", async () => {
    await s.engine.up(API_KEY, "batch", spec);
    // Every attempt is held 1.5 s, past the 1 s deadline, and carried out afterwards.
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: 1_500, times: 5 });
    await expect(s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" })).rejects.toThrow(/regenerates it/);
    // At once, while the last attempts are still in flight: the repair's value must survive them.
    const r = await s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" });
    expect(r.entry.outputs.apiKeyLost).toBeUndefined();
    await new Promise((done) => setTimeout(done, 1_600));
    expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
  });

  test("a refresh keeps the mark, so a refresh between the failure and the next up changes nothing", async () => {
    await s.engine.up(API_KEY, "batch", spec);
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", commitThenDrop: true, times: Infinity });
    await expect(s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" })).rejects.toBeInstanceOf(HostError);
    s.emu.faults.clear();
    const refreshed = await s.engine.refresh(API_KEY, "batch");
    expect(refreshed).toMatchObject({ outputs: { apiKey: "", apiKeyLost: true } });
    expect((await s.engine.preview(API_KEY, "batch", { ...spec, rotation: "2" })).op).toBe("update");
  });

  test("a definite refusal (400) is not a lost answer: the old value stays, unmarked", async () => {
    const first = await s.engine.up(API_KEY, "batch", spec);
    s.emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", status: 400, times: 1 });
    await expect(s.engine.up(API_KEY, "batch", { ...spec, rotation: "2" })).rejects.toThrow(/400/);
    const kept = s.engine.state.get(s.engine.urn(API_KEY, "batch"))!;
    expect(kept.outputs.apiKey).toBe(first.entry.outputs.apiKey);
    expect(kept.outputs.apiKeyLost).toBeUndefined();
    expect(await validates(s.emu, first.entry.outputs.apiKey)).toBe(true);
  });
});
