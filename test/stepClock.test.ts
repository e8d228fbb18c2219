/**
 * One clock reading per step: a scheduled rotation that falls due between the engine's Diff and
 * its Update of the same resource does not happen in that update, which was announced without it.
 * The hooks run in-process against the emulator over real HTTP, with the clock pinned through
 * `PULUMI_LIMITLY_NOW` and moved between the two calls, as time passes between them for the engine.
 */
import { startEmulator, type Emulator } from "../src/emulator";
import { attach } from "../src/provider";
import { validates } from "./support/stack";

type Props = Record<string, unknown>;
interface Hooked {
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[] }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
}

const KEY = "lk_acct_step_clock_0001";
const DAY = 86_400_000;
const T0 = Date.parse("2026-11-01T00:00:00.000Z");
let emu: Emulator;

beforeEach(async () => {
  emu = await startEmulator({ apiKeys: [KEY], rateLimitPerMinute: 0 });
});
afterEach(async () => {
  delete process.env.PULUMI_LIMITLY_NOW;
  await emu.close();
});

function provider(kind: string): Hooked {
  const self: Record<string, unknown> = {};
  const config: Record<string, string> = {
    "limitly:apiKey": KEY,
    "limitly:baseUrl": emu.url,
    "limitly:requestsPerMinute": "0",
  };
  attach(self, kind, { config: { get: (k: string) => config[k] } });
  return self as unknown as Hooked;
}

const at = (ms: number) => (process.env.PULUMI_LIMITLY_NOW = new Date(ms).toISOString());
const works = (value: unknown) => validates(emu, String(value));

test("ApiKey (replace): rotateAfterDays crossed between Diff and Update does not regenerate the key in place", async () => {
  const p = provider("ApiKey");
  const inputs = { name: "web", rotateAfterDays: 30, rotationStrategy: "replace", status: "active" };
  const { id, outs } = await p.create(inputs);
  const olds = { ...outs, rotatedAt: new Date(T0).toISOString() };
  const news = { ...inputs, name: "web v2" };

  at(T0 + 30 * DAY - 60_000);
  const diff = await p.diff(id, olds, news);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  at(T0 + 30 * DAY + 60_000);
  const { outs: after } = await p.update(id, olds, news);

  expect(emu.calls.filter((c) => c.route === "/keys/:id/regenerate")).toHaveLength(0);
  expect(after.apiKey).toBe(outs.apiKey);
  expect(await works(outs.apiKey)).toBe(true);
  expect(after.name).toBe("web v2");
});

test("RotatingApiKey: a rotation falling due between Diff and Update does not rotate, and the previous key lives", async () => {
  const p = provider("RotatingApiKey");
  const inputs = { name: "partner", rotation: "1", rotateAfterDays: 30, gracePeriod: "7d" };
  const first = await p.create(inputs);
  at(T0);
  const rotated = await p.update(first.id, first.outs, { ...inputs, rotation: "2" });
  const olds = rotated.outs;
  expect(olds.previousKeyId).toBe(String(first.outs.keyId));
  const news = { ...inputs, rotation: "2", name: "partner v2" };

  // Day 6: the previous key is inside its 7-day grace; the diff announces a rename only.
  at(T0 + 6 * DAY);
  expect(await p.diff(first.id, olds, news)).toMatchObject({ changes: true, replaces: [] });
  // The update runs when the 30 days have passed for the clock: it must still be a rename only.
  at(T0 + 30 * DAY + 60_000);
  const { outs: after } = await p.update(first.id, olds, news);

  expect(after.keyId).toBe(olds.keyId);
  expect(after.previousKeyId).toBe(olds.previousKeyId);
  expect(await works(olds.apiKey)).toBe(true);
  expect(await works(olds.previousApiKey)).toBe(true);
  expect(after.name).toBe("partner v2");
});
