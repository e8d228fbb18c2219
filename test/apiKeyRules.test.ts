/** check and diff rules of ApiKey, in-process (pure functions), with properties over random inputs. */
import fc from "fast-check";
import { checkApiKey, CREATE_TOKEN_KEY } from "../src/provider/apiKeyInputs";
import { diffApiKey, planApiKeyChange } from "../src/provider/apiKeyDiff";
import { UNKNOWN } from "../src/provider/unknown";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const DAY = 86_400_000;

/** Outputs as create would record them for checked inputs. */
function outputsFor(inputs: Record<string, unknown>, createdAt = new Date(NOW - DAY).toISOString()) {
  return { ...inputs, apiKey: "lk_user_x", createdAt, rotatedAt: createdAt, metadata: inputs.metadata ?? {} };
}

describe("check", () => {
  test("fills in defaults and normalizes numeric user ids", () => {
    const { inputs, failures } = checkApiKey({ name: " Prod ", userId: "42", __provider: "p" });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      name: "Prod",
      userId: 42,
      status: "active",
      rotationStrategy: "replace",
      __provider: "p",
    });
  });

  test("keeps string ids that are not numbers", () => {
    expect(checkApiKey({ name: "a", userId: "user_123" }).inputs.userId).toBe("user_123");
  });

  test("reports every failing property at once", () => {
    const { failures } = checkApiKey({ name: 3, status: "on", metadata: null, extra: 1 });
    expect(failures.map((f) => f.property).sort()).toEqual(["extra", "metadata", "name", "status"]);
  });

  test.each(["toString", "constructor", "valueOf", "hasOwnProperty", "__proto__"])(
    "a property named %s is refused like any unknown property, not taken for a built-in",
    (prop) => {
      const news = JSON.parse(`{"name":"a","${prop}":1}`) as Record<string, unknown>;
      const { failures } = checkApiKey(news);
      expect(failures).toEqual([{ property: prop, reason: expect.stringContaining("is not a property of ApiKey") }]);
    },
  );

  test("the provider's create token is reserved in metadata", () => {
    const { failures } = checkApiKey({ name: "a", metadata: { [CREATE_TOKEN_KEY]: "x" } });
    expect(failures[0].property).toBe("metadata");
    expect(failures[0].reason).toContain(CREATE_TOKEN_KEY);
  });

  test("a failure never echoes a key-like value", () => {
    const { failures } = checkApiKey({ name: "a", status: "lk_user_abcdef123456" });
    expect(failures[0].reason).not.toContain("lk_user_abcdef123456");
  });

  test("property: never throws on any JSON input, and every failure names a property with a reason", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom(
              "name",
              "userId",
              "planId",
              "status",
              "metadata",
              "rotation",
              "rotationStrategy",
              "rotateAfterDays",
              "adoptKeyId",
              "other",
            ),
            fc.jsonValue(),
          ),
        ),
        (news) => {
          const r = checkApiKey(news);
          for (const f of r.failures) {
            expect(typeof f.property).toBe("string");
            expect(f.reason.length).toBeGreaterThan(10);
            if (f.property) expect(f.reason.startsWith(f.property)).toBe(true);
          }
          if (news && typeof news === "object" && !Array.isArray(news)) {
            for (const p of Object.keys(news)) {
              const bad = r.failures.some((f) => f.property === p);
              const kept = p in r.inputs;
              // Every given property is either accepted into the inputs or named in a failure.
              if ((news as Record<string, unknown>)[p] !== undefined) expect(bad || kept).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("diff", () => {
  const base = checkApiKey({
    name: "Prod",
    userId: 42,
    planId: "plan_basic",
    metadata: { team: "core", env: { a: 1, b: 2 } },
    rotation: "2026-11",
  }).inputs;

  /** The parts of a diff answer that say what changes. */
  const changesOf = (d: ReturnType<typeof diffApiKey>) => ({
    changes: d.changes,
    replaces: d.replaces,
    diffs: d.diffs,
    detailedDiff: d.detailedDiff,
  });
  const inputUpdate = { kind: "update", replace: false, inputDiff: true };

  test("identical inputs: no change", () => {
    expect(diffApiKey(outputsFor(base), base, NOW)).toMatchObject({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
      detailedDiff: {},
    });
  });

  test.each([
    ["name", { name: "Other" }],
    ["userId", { userId: 7 }],
    ["planId", { planId: "plan_pro" }],
    ["status", { status: "inactive" }],
    ["metadata", { metadata: { team: "edge" } }],
    ["rotationStrategy", { rotationStrategy: "regenerate" }],
    ["rotateAfterDays", { rotateAfterDays: 90 }],
  ])("%s is an in-place update, reported as that property's input difference", (field, change) => {
    const news = { ...base, ...change };
    const d = diffApiKey(outputsFor(base), news, NOW);
    expect(d).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false, diffs: [field] });
    expect(Object.values(d.detailedDiff).length).toBeGreaterThan(0);
    for (const [path, c] of Object.entries(d.detailedDiff)) {
      expect(path.startsWith(field)).toBe(true);
      expect(c).toMatchObject({ replace: false, inputDiff: true });
    }
  });

  test("metadata changes key by key, as paths inside it", () => {
    const news = { ...base, metadata: { team: "edge", "a.b": 1 } };
    expect(diffApiKey(outputsFor(base), news, NOW).detailedDiff).toEqual({
      "metadata.team": inputUpdate,
      "metadata.env": { kind: "delete", replace: false, inputDiff: true },
      'metadata["a.b"]': { kind: "add", replace: false, inputDiff: true },
    });
  });

  test("status left unset means active: an inactive key is updated", () => {
    const { status: _s, ...unset } = base;
    expect(diffApiKey(outputsFor({ ...base, status: "inactive" }), unset, NOW).detailedDiff).toEqual({
      status: inputUpdate,
    });
  });

  test("rotation change replaces under replace, updates under regenerate", () => {
    expect(changesOf(diffApiKey(outputsFor(base), { ...base, rotation: "2026-12" }, NOW))).toEqual({
      changes: true,
      replaces: ["rotation"],
      diffs: ["rotation"],
      detailedDiff: { rotation: { kind: "update", replace: true, inputDiff: true } },
    });
    const regen = diffApiKey(outputsFor(base), { ...base, rotation: "2026-12", rotationStrategy: "regenerate" }, NOW);
    expect(changesOf(regen)).toEqual({
      changes: true,
      replaces: [],
      diffs: ["rotation", "rotationStrategy"],
      detailedDiff: { rotation: inputUpdate, rotationStrategy: inputUpdate },
    });
  });

  test("a lost value is no input difference: its mark goes, by replacing the key (or regenerating it)", () => {
    const lost = { ...outputsFor(base), apiKey: "", apiKeyLost: true };
    expect(changesOf(diffApiKey(lost, base, NOW))).toEqual({
      changes: true,
      replaces: ["apiKeyLost"],
      diffs: ["apiKeyLost"],
      detailedDiff: { apiKeyLost: { kind: "delete", replace: true, inputDiff: false } },
    });
    const regen = { ...base, rotationStrategy: "regenerate" };
    expect(diffApiKey({ ...lost, rotationStrategy: "regenerate" }, regen, NOW).detailedDiff).toEqual({
      apiKeyLost: { kind: "delete", replace: false, inputDiff: false },
    });
  });

  test("ignoreChanges drops an input difference under its paths, never a change due without one", () => {
    const news = { ...base, name: "Other", metadata: { team: "edge", env: { a: 1, b: 2 } } };
    const d = diffApiKey(outputsFor(base), news, NOW, { ignoreChanges: ["name", "metadata.team"] });
    expect(changesOf(d)).toEqual({ changes: false, replaces: [], diffs: [], detailedDiff: {} });
    const lost = { ...outputsFor(base), apiKeyLost: true };
    expect(diffApiKey(lost, base, NOW, { ignoreChanges: ["*"] }).replaces).toEqual(["apiKeyLost"]);
  });

  test("the dynamic door's replaceOnChanges (a hidden input) replaces on a change under its paths", () => {
    const news = (change: object, replaceOnChanges: string[]) => ({
      ...base,
      ...change,
      __replaceOnChanges: replaceOnChanges,
    });
    const renamed = diffApiKey(outputsFor(base), news({ name: "Other" }, ["name"]), NOW);
    expect(changesOf(renamed)).toMatchObject({ replaces: ["name"], detailedDiff: { name: { replace: true } } });
    const team = news({ metadata: { team: "edge", env: { a: 1, b: 2 } } }, ["metadata.team"]);
    expect(diffApiKey(outputsFor(base), team, NOW).replaces).toEqual(["metadata"]);
    const env = news({ metadata: { team: "core", env: { a: 1 } } }, ["metadata.team"]);
    expect(diffApiKey(outputsFor(base), env, NOW).replaces).toEqual([]);
    expect(diffApiKey(outputsFor(base), news({ planId: "plan_pro" }, ["*"]), NOW).replaces).toEqual(["planId"]);
    expect(diffApiKey(outputsFor(base), news({}, ["name"]), NOW).changes).toBe(false);
  });

  test('rotation 1 and "1" are the same marker; removing it rotates nothing', () => {
    const outs = outputsFor({ ...base, rotation: 1 });
    expect(diffApiKey(outs, { ...base, rotation: "1" }, NOW).changes).toBe(false);
    const { rotation: _r, ...without } = base;
    expect(changesOf(diffApiKey(outs, without, NOW))).toEqual({
      changes: true,
      replaces: [],
      diffs: ["rotation"],
      detailedDiff: { rotation: { kind: "delete", replace: false, inputDiff: true } },
    });
  });

  test("a property the program stops setting is left alone (not managed)", () => {
    const { planId: _p, ...without } = base;
    expect(planApiKeyChange(outputsFor(base), without, NOW).apiChanges).toEqual({});
  });

  test("update sends only what changed", () => {
    expect(planApiKeyChange(outputsFor(base), { ...base, name: "N", metadata: { team: "x" } }, NOW).apiChanges).toEqual(
      { name: "N", metadata: { team: "x" } },
    );
  });

  test("the create token in live metadata is not a difference", () => {
    const outs = { ...outputsFor(base), metadata: { ...(base.metadata as object), [CREATE_TOKEN_KEY]: "t" } };
    expect(diffApiKey(outs, base, NOW).changes).toBe(false);
  });

  test("unknown values are changes; an unknown rotation is a replacement", () => {
    expect(diffApiKey(outputsFor(base), { ...base, name: UNKNOWN }, NOW).changes).toBe(true);
    expect(diffApiKey(outputsFor(base), { ...base, rotation: UNKNOWN }, NOW).replaces).toEqual(["rotation"]);
  });

  describe("scheduled rotation (rotateAfterDays) with an injected clock", () => {
    const scheduled = { ...base, rotateAfterDays: 30 };
    const createdAt = new Date(NOW - 10 * DAY).toISOString();

    test("not due: no change", () => {
      expect(diffApiKey(outputsFor(scheduled, createdAt), scheduled, NOW).changes).toBe(false);
    });

    test("due exactly at the age: replace (or regenerate in place), reported as no input difference", () => {
      const due = NOW + 20 * DAY;
      expect(changesOf(diffApiKey(outputsFor(scheduled, createdAt), scheduled, due))).toEqual({
        changes: true,
        replaces: ["rotateAfterDays"],
        diffs: ["rotateAfterDays"],
        detailedDiff: { rotateAfterDays: { kind: "update", replace: true, inputDiff: false } },
      });
      const regen = { ...scheduled, rotationStrategy: "regenerate" };
      expect(changesOf(diffApiKey(outputsFor(regen, createdAt), regen, due))).toEqual({
        changes: true,
        replaces: [],
        diffs: ["rotateAfterDays"],
        detailedDiff: { rotateAfterDays: { kind: "update", replace: false, inputDiff: false } },
      });
      expect(diffApiKey(outputsFor(scheduled, createdAt), scheduled, due - 1).changes).toBe(false);
    });

    test("age counts from the last regenerate, not the creation", () => {
      const regen = { ...scheduled, rotationStrategy: "regenerate" };
      const outs = { ...outputsFor(regen, createdAt), rotatedAt: new Date(NOW + 19 * DAY).toISOString() };
      expect(diffApiKey(outs, regen, NOW + 20 * DAY).changes).toBe(false);
    });
  });

  const metadataArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 6 });
  const inputsArb = fc.record(
    {
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
      userId: fc.oneof(
        fc.integer({ min: 1, max: 1e9 }),
        fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim().length > 0),
      ),
      planId: fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim().length > 0),
      status: fc.constantFrom("active", "inactive"),
      metadata: metadataArb,
      rotation: fc.oneof(fc.string(), fc.integer()),
      rotationStrategy: fc.constantFrom("replace", "regenerate"),
    },
    { requiredKeys: ["name"] },
  );

  function shuffleKeys(v: unknown, seed: number): unknown {
    if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, seed));
    if (v && typeof v === "object") {
      const entries = Object.entries(v);
      const rotated = entries
        .slice(seed % (entries.length || 1))
        .concat(entries.slice(0, seed % (entries.length || 1)))
        .reverse();
      return Object.fromEntries(rotated.map(([k, x]) => [k, shuffleKeys(x, seed + 1)]));
    }
    return v;
  }

  test("property: identical inputs never differ, whatever the metadata key order", () => {
    fc.assert(
      fc.property(inputsArb, fc.nat(), (raw, seed) => {
        const checked = checkApiKey(raw);
        fc.pre(checked.failures.length === 0);
        const reordered = checkApiKey({ ...raw, metadata: shuffleKeys(raw.metadata, seed) }).inputs;
        expect(changesOf(diffApiKey(outputsFor(checked.inputs), reordered, NOW))).toEqual({
          changes: false,
          replaces: [],
          diffs: [],
          detailedDiff: {},
        });
      }),
      { numRuns: 300 },
    );
  });

  test("property: changing anything but rotation never replaces", () => {
    fc.assert(
      fc.property(inputsArb, inputsArb, (a, b) => {
        const olds = checkApiKey(a);
        const news = checkApiKey({ ...b, rotation: a.rotation });
        fc.pre(olds.failures.length === 0 && news.failures.length === 0);
        expect(diffApiKey(outputsFor(olds.inputs), news.inputs, NOW).replaces).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
