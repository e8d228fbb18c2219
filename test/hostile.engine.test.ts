/**
 * Hostile input never crashes the host: random and hostile ApiKey inputs (wrong types, huge
 * strings, deep nesting, `__proto__` and built-in member names, the unknown-value sentinel in every
 * field, NaN/Infinity, null) sent through Pulumi's provider host. Each is accepted, or refused with
 * failures that name a property and say what is allowed; the host always answers and stays up.
 */
import fc from "fast-check";
import { apiKeySpecs } from "../src/provider/apiKeyInputs";
import { ProviderHost, UNKNOWN } from "./support/engine";
import { serializedProvider } from "./support/scratch";
import { ACCOUNT_KEY, API_KEY } from "./support/stack";

const URN = `urn:pulumi:dev::proj::${API_KEY}::hostile`;
const PROPS = Object.keys(apiKeySpecs);
const ODD_NAMES = ["toString", "constructor", "valueOf", "hasOwnProperty", "__proto__", "prototype", "colour"];

let host: ProviderHost;
let provider: string;
beforeAll(async () => {
  provider = serializedProvider(API_KEY);
  host = await ProviderHost.start();
  await host.configure({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": "http://127.0.0.1:9/functions/v1" });
});
afterAll(() => host?.stop());

/** Deeply nested metadata: `{ a: { a: … } }`. */
const nested = (depth: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

const hostileValue = fc.oneof(
  fc.constant(UNKNOWN),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(-0),
  fc.constant("x".repeat(200_000)),
  fc.constant(""),
  fc.constant("   "),
  fc.integer({ min: 1, max: 60 }).map(nested),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}')),
  fc.constant([1, 2, 3]),
  fc.boolean(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 4 }),
);

const hostileInputs = fc.record(Object.fromEntries([...PROPS, ...ODD_NAMES].map((p) => [p, hostileValue])), {
  requiredKeys: [],
});

const RUNS = Number(process.env.HOSTILE_RUNS ?? 1_000);

test(`${RUNS} hostile checks through the host (HOSTILE_RUNS): every answer accepts or names a property; the host stays up`, async () => {
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(hostileInputs, async (inputs) => {
      const r = await host.check(URN, {}, { ...inputs, __provider: provider });
      if (r.failures.length === 0) {
        expect(typeof r.inputs.name === "string" || r.inputs.name === UNKNOWN).toBe(true);
        return;
      }
      refused++;
      for (const f of r.failures) {
        expect(Object.hasOwn(inputs, f.property) || PROPS.includes(f.property)).toBe(true);
        expect(f.reason).toMatch(new RegExp(`^${f.property.replace(/[$]/g, "\\$")} (must be|is not a property)`));
        expect(f.reason.length).toBeLessThan(2_000);
      }
    }),
    { numRuns: RUNS, seed: 20261123 },
  );
  expect(refused).toBeGreaterThan(0);
  // Still up and answering.
  const ok = await host.check(URN, {}, { name: "fine", __provider: provider });
  expect(ok.failures).toEqual([]);
}, 300_000);

test.each(["toString", "constructor", "valueOf", "hasOwnProperty", "colour"])(
  "a property named %s is refused, naming it, not silently dropped",
  async (prop) => {
    const r = await host.check(URN, {}, { name: "x", [prop]: "y", __provider: provider });
    expect(r.failures).toEqual([
      { property: prop, reason: expect.stringMatching(new RegExp(`^${prop} is not a property of ApiKey`)) },
    ]);
  },
);

test("metadata nested 1,000 deep fits the 16 KiB cap: accepted whole; past the cap it is refused naming metadata", async () => {
  const r = await host.check(URN, {}, { name: "deep", metadata: nested(1_000), __provider: provider });
  expect(r.failures).toEqual([]);
  expect(r.inputs.metadata).toEqual(nested(1_000));
  const over = { deep: nested(1_000), pad: "x".repeat(12_000) };
  const big = await host.check(URN, {}, { name: "deeper", metadata: over, __provider: provider });
  expect(big.failures.map((f) => f.property)).toEqual(["metadata"]);
  expect((await host.check(URN, {}, { name: "fine", __provider: provider })).failures).toEqual([]);
});

test("the unknown-value sentinel in every field passes check (preview) and is kept as unknown", async () => {
  const inputs = Object.fromEntries(PROPS.map((p) => [p, UNKNOWN]));
  const r = await host.check(URN, {}, { ...inputs, __provider: provider });
  expect(r.failures).toEqual([]);
  for (const p of PROPS) expect(r.inputs[p]).toBe(UNKNOWN);
});
