/**
 * Cancellation in the provider plugin, over gRPC against the emulator, which holds a request for
 * as long as a test needs (a latency fault): the engine's Cancel, a create's own timeout, and
 * SIGINT to the plugin's process each stop the calls in flight, and each call still answers; a
 * create cut short after Limitly named its key answers a partial failure holding the key.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { PluginDriver, PluginError, secret, urnOf } from "../support/pluginDriver";

const CREDENTIAL = "lk_acct_CANCEL_7c2e9a41";
const KEY = urnOf("ApiKey", "web");
/** How long the emulator holds a request: far longer than stopping it takes. */
const HOLD_MS = 15_000;

let emu: Emulator;
let plugin: PluginDriver;

const settings = () => ({ apiKey: secret(CREDENTIAL), baseUrl: emu.url, requestsPerMinute: 0, timeoutMs: 60_000 });

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [CREDENTIAL] });
});
afterEach(async () => {
  await plugin?.close();
  await emu.close();
});

/** Resolves once the emulator holds a request (a latency fault was picked for it). */
async function held(): Promise<void> {
  while (!(emu.faults.injected.latency >= 1)) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Starts a create of a key; resolves with its error, or fails the test if it succeeds. */
async function creating(timeout = 0): Promise<PluginError> {
  const { inputs } = await plugin.check(KEY, {}, { name: "Web" });
  return plugin.create(KEY, inputs, { timeout }).then(
    () => {
      throw new Error("the create finished: it was not stopped");
    },
    (e: PluginError) => e,
  );
}

describe("in-process", () => {
  beforeEach(async () => {
    plugin = await PluginDriver.start();
    await plugin.configure(settings());
  });

  test("Cancel stops a create while Limitly holds it: it answers CANCELLED first, and later calls stop at once", async () => {
    emu.faults.add({ method: "POST", path: "/keys", latencyMs: HOLD_MS });
    const failed = creating();
    await held();
    await plugin.cancel();
    const e = await failed;
    expect(e.message).toMatch(/Limitly CANCELLED: .*cancelled \(the engine cancelled it/);
    // Limitly has not answered the POST yet: the create did not wait for it.
    expect(emu.count("POST", "/keys")).toBe(0);
    const later = await plugin.read(KEY, "key_0123456789", {}).catch((x: PluginError) => x);
    expect(later).toBeInstanceOf(PluginError);
    expect((later as PluginError).message).toMatch(/CANCELLED/);
  });

  test("a create cut short after Limitly named the key answers a partial failure holding it", async () => {
    // The create's answer is lost; the key is found by its token, and issuing its value is held.
    emu.faults.add({ method: "POST", path: "/keys", commitThenDrop: true });
    emu.faults.add({ method: "POST", path: "/keys/:id/regenerate", latencyMs: HOLD_MS });
    const failed = creating();
    await held();
    await plugin.cancel();
    const e = await failed;
    const [key] = emu.store.liveKeys();
    expect(e.initFailure).toMatchObject({ id: key.id, properties: { name: "Web", apiKeyLost: true } });
    expect(e.message).toMatch(/CANCELLED|VALUE_LOST/);
  });

  test("a create's own timeout stops it", async () => {
    emu.faults.add({ method: "POST", path: "/keys", latencyMs: HOLD_MS });
    const e = await creating(1);
    expect(e.message).toMatch(/Limitly CANCELLED: .*creating web did not finish within its timeout of 1 s/);
    expect(emu.count("POST", "/keys")).toBe(0);
  });
});

test("SIGINT to the plugin's process stops the calls in flight, lets them answer, then the process exits", async () => {
  plugin = await PluginDriver.spawn();
  await plugin.configure(settings());
  emu.faults.add({ method: "POST", path: "/keys", latencyMs: HOLD_MS });
  const failed = creating();
  await held();
  const exited = new Promise<number | null>((resolve) => plugin.child!.once("exit", (code) => resolve(code)));
  plugin.child!.kill("SIGINT");
  const e = await failed;
  expect(e.message).toMatch(/Limitly CANCELLED: .*pulumi-resource-limitly received SIGINT/);
  expect(await exited).toBe(0);
  expect(emu.count("POST", "/keys")).toBe(0);
});
