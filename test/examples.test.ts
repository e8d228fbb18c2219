/** Every example runs under mocks with its own stack files and declares what it says it does. */
import { join } from "node:path";
import { runProgram, type MockRun } from "./support/mockProgram";

const EXAMPLES = join(__dirname, "../examples");
const API_KEY = "pulumi-nodejs:dynamic/limitly:ApiKey";
const STACK_IDENTITY = "pulumi-nodejs:dynamic/limitly:StackIdentity";

/**
 * What a program declared itself: every registration but the one StackIdentity its first key
 * declares (checked here: exactly one per program that declares a key).
 */
function declared(run: MockRun): MockRun["registrations"] {
  const ours = run.registrations.filter((r) => r.type !== STACK_IDENTITY);
  const keys = ours.filter((r) => /:(Rotating)?ApiKey$/.test(r.type)).length;
  expect(run.registrations.filter((r) => r.type === STACK_IDENTITY)).toHaveLength(keys ? 1 : 0);
  return ours;
}

describe("per-environment", () => {
  test.each([
    ["dev", ["dev-web", "dev-mobile"], 101, "plan_free"],
    ["staging", ["staging-web", "staging-mobile"], 201, "plan_basic"],
    ["prod", ["prod-web", "prod-mobile", "prod-partner"], 301, "plan_pro"],
  ])("stack %s declares its keys from structured config", async (stack, names, firstUser, plan) => {
    const run = await runProgram(join(EXAMPLES, "per-environment"), stack);
    // Registration order is asynchronous; the set of resources is what the program declares.
    expect(
      declared(run)
        .map((r) => r.name)
        .sort(),
    ).toEqual([...names].sort());
    for (const r of declared(run)) {
      expect(r.type).toBe(API_KEY);
      expect(r.additionalSecretOutputs).toContain("apiKey");
      expect(r.inputs).toMatchObject({ rotation: "2026-11", metadata: { environment: stack, managedBy: "pulumi" } });
      expect(r.inputs.__provider).toContain('require("pulumi-limitly/provider")');
    }
    expect(declared(run).find((r) => r.name === `${stack}-web`)!.inputs).toMatchObject({
      name: `web (${stack})`,
      userId: firstUser,
      planId: plan,
      status: "active",
    });
    expect(run.exports.keyIds.secret).toBe(false);
    expect(run.exports.keyIds.value).toEqual(
      Object.fromEntries(names.map((n) => [n.slice(stack.length + 1), `${n}_id`])),
    );
    expect(run.exports.keyValues.secret).toBe(true);
    expect(Object.keys(run.exports.keyValues.value as object)).toEqual(names.map((n) => n.slice(stack.length + 1)));
  });

  test("dev's mobile key is declared inactive", async () => {
    const run = await runProgram(join(EXAMPLES, "per-environment"), "dev");
    expect(declared(run).find((r) => r.name === "dev-mobile")!.inputs.status).toBe("inactive");
  });
});

test("rotation: both strategies from one committed config value, plus a scheduled key", async () => {
  const run = await runProgram(join(EXAMPLES, "rotation"), "dev");
  const by = Object.fromEntries(declared(run).map((r) => [r.name, r.inputs]));
  expect(by.partner).toMatchObject({ rotation: "2026-11", rotationStrategy: "replace" });
  expect(by.batch).toMatchObject({ rotation: "2026-11", rotationStrategy: "regenerate" });
  expect(by.ci).toMatchObject({ rotateAfterDays: 30 });
  for (const r of declared(run)) expect(r.additionalSecretOutputs).toContain("apiKey");
  const bumped = await runProgram(join(EXAMPLES, "rotation"), "dev", { "rotation:keyRotation": "2026-12" });
  expect(declared(bumped).find((r) => r.name === "partner")!.inputs.rotation).toBe("2026-12");
});

test("adopt: every existing key is declared with adoptKeyId", async () => {
  const run = await runProgram(join(EXAMPLES, "adopt"), "dev");
  expect(
    declared(run)
      .map((r) => [r.name, r.inputs.adoptKeyId, r.inputs.name])
      .sort(),
  ).toEqual([
    ["legacy-mobile-app", "key_0a1b2c3d4e5f6a7b", "Legacy mobile app"],
    ["zapier-integration", "key_1b2c3d4e5f6a7b8c", "Zapier integration"],
  ]);
  expect(run.exports.adoptedIds.value).toEqual(["legacy-mobile-app_id", "zapier-integration_id"]);
});

test("account: plan, user and key wired by reference", async () => {
  const run = await runProgram(join(EXAMPLES, "account"), "dev");
  const by = Object.fromEntries(declared(run).map((r) => [r.name, r]));
  expect(by.pro.type).toBe("pulumi-nodejs:dynamic/limitly:Plan");
  expect(by.pro.inputs).toMatchObject({ name: "Pro", maxRequests: 100000, requestPeriod: "month" });
  expect(by.acme.type).toBe("pulumi-nodejs:dynamic/limitly:User");
  expect(by.acme.inputs).toMatchObject({ name: "Acme Corp", email: "ops@acme.example", planId: "pro_id" });
  expect(by["acme-prod"].inputs).toMatchObject({ userId: 7, planId: "pro_id" });
  expect(by["acme-prod"].additionalSecretOutputs).toContain("apiKey");
});
