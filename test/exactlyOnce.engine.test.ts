/**
 * Exactly-once creation through Pulumi's provider host: a create whose answer is lost neither
 * orphans a key nor mints a second one, and the value Pulumi records works.
 */
import { HostError } from "./support/engine";
import { API_KEY, callsDuring, startStack, type Stack, validates } from "./support/stack";

let s: Stack;
beforeEach(async () => {
  s = await startStack();
});
afterEach(async () => {
  await s.close();
});

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

test("a 500 that did not commit: the lookup finds nothing, and one more POST creates one key", async () => {
  s.emu.faults.add({ method: "POST", path: "/keys", status: 500 });
  const calls = await callsDuring(s.emu, () => s.engine.up(API_KEY, "prod", { name: "Prod" }));
  expect(calls).toEqual(["POST /keys", "GET /keys", "POST /keys"]);
  expect(s.emu.store.liveKeys()).toHaveLength(1);
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

test("when the key is found but no value can be issued, it is kept in the stack, not orphaned", async () => {
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
  expect(s.engine.state.get(s.engine.urn(API_KEY, "prod"))?.id).toBe(live[0].id);
  // The next rotation issues a value; the key is never lost.
  s.emu.faults.clear();
  const r = await s.engine.up(API_KEY, "prod", { name: "Prod", rotation: "1", rotationStrategy: "regenerate" });
  expect(r.entry.id).toBe(live[0].id);
  expect(await validates(s.emu, r.entry.outputs.apiKey)).toBe(true);
});
