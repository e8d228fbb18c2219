/**
 * How resources of this package register: the stacks the SDK formats during a constructor's
 * `super(...)` (src/resources/registration.ts), with real V8 call sites.
 */
import { quietStacks, recordedFrames } from "../src/resources/registration";

const site = (file: string | null): NodeJS.CallSite => ({ getFileName: () => file }) as unknown as NodeJS.CallSite;
const SDK = "/p/node_modules/@pulumi/pulumi";
const OURS = "/p/node_modules/pulumi-limitly/dist/resources";

test("recorded frames (dynamic resources): the five the SDK skips, then the user's and libraries', never ours, the runner's or Node's", () => {
  const frames = [
    ...[1, 2, 3, 4].map(() => site(`${SDK}/resource.js`)),
    site(`${SDK}/dynamic/index.js`),
    site(`${OURS}/limitlyResource.js`),
    site(`${OURS}/apiKey.js`),
    site("/p/node_modules/acme-infra/keys.js"),
    site(null),
    site("/p/index.ts"),
    site("node:internal/modules/cjs/loader"),
    site(`${SDK}/vendor/ts-node@7.0.1/index.js`),
    site(`${SDK}/cmd/run/run.js`),
  ];
  expect(recordedFrames(frames, [OURS]).map((f) => f.getFileName())).toEqual([
    ...[1, 2, 3, 4].map(() => `${SDK}/resource.js`),
    `${SDK}/dynamic/index.js`,
    "/p/node_modules/acme-infra/keys.js",
    "/p/index.ts",
  ]);
});

test("recorded frames (the plugin's generated classes): the generated constructor fills the SDK's fifth skipped frame", () => {
  const door = "/p/node_modules/pulumi-limitly/dist/plugin";
  const generated = "/p/node_modules/pulumi-limitly/dist/plugin-sdk";
  const frames = [
    ...[1, 2, 3, 4].map(() => site(`${SDK}/resource.js`)),
    site(`${generated}/plan.js`),
    site(`${door}/classes.js`),
    site("/p/index.ts"),
    site(`${SDK}/cmd/run/run.js`),
  ];
  expect(recordedFrames(frames, [door, generated]).map((f) => f.getFileName())).toEqual([
    ...[1, 2, 3, 4].map(() => `${SDK}/resource.js`),
    `${generated}/plan.js`,
    "/p/index.ts",
  ]);
});

describe("quietStacks", () => {
  const before = Error.prepareStackTrace;
  afterEach(() => expect(Error.prepareStackTrace).toBe(before));

  function registering<T>(fn: () => T): T {
    const restore = quietStacks();
    try {
      return fn();
    } finally {
      restore();
    }
  }

  test("a stack read during registration at the default limit is only its first line", () => {
    const stack = registering(() => new Error("promise").stack);
    expect(stack).toBe("Error: promise");
    expect(new Error("after").stack).toMatch(/^Error: after\n\s+at /);
  });

  test("the SDK's Infinity-limit stack keeps frames (this test file's), formatted as before", () => {
    const stack = registering(() => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = Infinity;
      try {
        return new Error("callsites").stack!;
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
    expect(stack).toContain("registration.test.ts");
    expect(stack).not.toContain("node:internal");
  });

  test("an error created during registration and read later has its whole stack", () => {
    const e = registering(() => new Error("later"));
    expect(e.stack).toMatch(/^Error: later\n\s+at .*registration\.test\.ts/);
  });

  test("a constructor that throws still puts the formatter back", () => {
    expect(() =>
      registering(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
  });

  test("PULUMI_DEBUG_PROMISE_LEAKS keeps every stack whole", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      expect(registering(() => new Error("promise").stack)).toMatch(/^Error: promise\n\s+at /);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
  });
});
