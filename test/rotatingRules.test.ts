/** RotatingApiKey's retirement rules and grace durations, as pure functions of the state and the clock. */
import { durationMs, humanDuration } from "../src/provider/duration";
import { diffRotatingApiKey, planRotatingChange, retirementDue } from "../src/provider/rotatingDiff";

const H = 3_600_000;
const R = Date.parse("2026-11-01T00:00:00.000Z");
const at = (ms: number) => new Date(ms).toISOString();
const olds = (extra: Record<string, unknown> = {}) => ({
  name: "k",
  status: "active",
  keyId: "key_b",
  rotatedAt: at(R),
  previousKeyId: "key_a",
  gracePeriod: "24h",
  ...extra,
});

describe("durations", () => {
  test.each([
    ["90m", 90 * 60_000],
    ["36h", 36 * H],
    ["7d", 7 * 24 * H],
    ["1d12h", 36 * H],
    [" 2h30m ", 2.5 * H],
  ])("%s is %d ms", (text, ms) => expect(durationMs(text)).toBe(ms));

  test.each([["48"], [""], ["0m"], ["1w"], ["h"], ["367d"], ["2h1d"], [48], [null]])("%p is refused", (v) =>
    expect(durationMs(v)).toBeUndefined(),
  );

  test("humanDuration reads as people write", () => {
    expect(humanDuration(26 * H + 5 * 60_000)).toBe("1d 2h");
    expect(humanDuration(25 * 60_000)).toBe("25m");
    expect(humanDuration(10_000)).toBe("less than a minute");
  });
});

describe("when the previous key is retired", () => {
  test("nothing to retire without a previous key", () => {
    expect(retirementDue(olds({ previousKeyId: undefined }), {}, R + 100 * H)).toBeUndefined();
  });

  test("at the grace end, by the new inputs' gracePeriod", () => {
    expect(retirementDue(olds(), { gracePeriod: "24h" }, R + 24 * H - 1)).toBeUndefined();
    expect(retirementDue(olds(), { gracePeriod: "24h" }, R + 24 * H)).toEqual({ reason: "grace" });
    expect(retirementDue(olds(), { gracePeriod: "48h" }, R + 24 * H)).toBeUndefined();
  });

  test("a use after the rotation within the last 24 h makes the grace-end retirement a warning", () => {
    const used = (ms: number) => olds({ previousLastUsedAt: at(ms) });
    expect(retirementDue(used(R + 23 * H), {}, R + 24 * H)).toEqual({ reason: "grace", stillUsedAt: at(R + 23 * H) });
    // Used only before the rotation: that traffic is not evidence of a consumer left behind.
    expect(retirementDue(used(R - H), {}, R + 24 * H)).toEqual({ reason: "grace" });
    expect(retirementDue(used(R + H), { gracePeriod: "48h" }, R + 48 * H)).toEqual({ reason: "grace" });
  });

  test("retireWhenUnusedFor: idle that long since the last use (or the rotation) retires before the grace ends", () => {
    const rule = { gracePeriod: "7d", retireWhenUnusedFor: "3h" };
    expect(retirementDue(olds(), rule, R + 3 * H - 1)).toBeUndefined();
    expect(retirementDue(olds(), rule, R + 3 * H)).toEqual({ reason: "unused" });
    const used = olds({ previousLastUsedAt: at(R + 5 * H) });
    expect(retirementDue(used, rule, R + 8 * H - 1)).toBeUndefined();
    expect(retirementDue(used, rule, R + 8 * H)).toEqual({ reason: "unused" });
  });

  test("a rotation in the same update takes the retirement's place", () => {
    const plan = planRotatingChange(olds({ rotation: "1" }), { name: "k", rotation: "2" }, R + 100 * H);
    expect(plan.rotateBecause).toBe("rotation");
    expect(plan.retire).toBeUndefined();
  });

  test("changing gracePeriod or retireWhenUnusedFor is an update without any API change", () => {
    const plan = planRotatingChange(olds(), { name: "k", status: "active", gracePeriod: "48h" }, R);
    expect(plan.changed).toEqual(["gracePeriod"]);
    expect(plan.apiChanges).toEqual({});
  });
});

describe("the diff answer", () => {
  const diff = (o: Record<string, unknown>, n: Record<string, unknown>, now: number) =>
    diffRotatingApiKey(planRotatingChange(o, n, now), o, n);
  const news = { name: "k", status: "active", gracePeriod: "24h" };

  test("a retirement is no input difference: the previous key goes, in place", () => {
    expect(diff(olds(), news, R + 24 * H)).toMatchObject({
      changes: true,
      replaces: [],
      diffs: ["previousKeyId"],
      detailedDiff: { previousKeyId: { kind: "delete", replace: false, inputDiff: false } },
    });
    expect(diff(olds(), news, R + 24 * H - 1).changes).toBe(false);
  });

  test("a rotation is the rotation marker's update, never a replacement", () => {
    const d = diff(olds({ rotation: "1" }), { ...news, rotation: "2" }, R);
    expect(d).toMatchObject({ replaces: [], diffs: ["rotation"] });
    expect(d.detailedDiff).toEqual({ rotation: { kind: "update", replace: false, inputDiff: true } });
  });

  test("a scheduled rotation that is due is no input difference", () => {
    const scheduled = { ...news, rotateAfterDays: 1 };
    const d = diff(olds({ rotateAfterDays: 1, previousKeyId: undefined }), scheduled, R + 24 * H);
    expect(d.detailedDiff).toEqual({ rotateAfterDays: { kind: "update", replace: false, inputDiff: false } });
  });

  test("a grace change is an input difference of its own", () => {
    expect(diff(olds(), { ...news, gracePeriod: "48h" }, R).detailedDiff).toEqual({
      gracePeriod: { kind: "update", replace: false, inputDiff: true },
    });
  });
});
