/**
 * The pulumi-limitly/policy pack under the real `pulumi preview --policy-pack`, from the packed
 * tarball: for each policy, a program that violates it and one that does not, at the enforcement
 * levels advisory (preview passes, the violation is printed) and mandatory (preview fails).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, type Result } from "./support/consumer";
import { writePolicyPack } from "./support/policyPack";

jest.setTimeout(240_000);

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const config = new pulumi.Config();
const specs = config.requireObject<Record<string, limitly.ApiKeyArgs>>("keys");
const keys = Object.entries(specs).map(([name, args]) => new limitly.ApiKey(name, args));
const leak = config.get("leak");
const rotating = config.getObject<limitly.RotatingApiKeyArgs>("rotating");
if (rotating) new limitly.RotatingApiKey("rotating", rotating);

export const values = pulumi.all(keys.map((k) => k.apiKey));
export const leaked = leak === "output" ? pulumi.unsecret(keys[0].apiKey) : "nothing";
export const secretCopy = keys[0].apiKey.apply((v) => \`copy:\${v}\`);
if (leak === "input")
  new limitly.ApiKey("holder", {
    name: "holder",
    userId: 1,
    planId: "plan_basic",
    rotateAfterDays: 30,
    metadata: { upstream: pulumi.unsecret(keys[0].apiKey) },
  });
`;

/** A key that every policy accepts. */
const GOOD = { name: "Good", userId: 7, planId: "plan_basic", rotateAfterDays: 30 };

describeWithCli("the key-hygiene policy pack under pulumi preview --policy-pack", () => {
  let account: Account;
  let prog: Program;
  let pack: string;

  /** Writes a pack config (`--policy-pack-config`) and returns its path. */
  const packConfig = (name: string, config: Record<string, unknown>) => {
    const file = join(prog.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  };
  const setKeys = (keys: Record<string, unknown>) => prog.ok(["config", "set", "--", "keys", JSON.stringify(keys)]);
  const preview = (config: Record<string, unknown>, name = "policy-config") =>
    prog.pulumi(["preview", "--policy-pack", pack, "--policy-pack-config", packConfig(name, config)]);
  const mandatory = (policy: string, settings: Record<string, unknown> = {}) => ({
    [policy]: { enforcementLevel: "mandatory", ...settings },
  });
  /** What preview printed about one policy: from its `[level]  name` line on. */
  const about = (r: Result, policy: string) => {
    const text = `${r.stdout}\n${r.stderr}`;
    const at = text.search(new RegExp(`\\[\\w+\\]\\s+${policy}\\s`));
    return at < 0 ? "" : text.slice(at);
  };

  beforeAll(async () => {
    account = await startAccount("POLICY");
    prog = new Program("policy", PROGRAM);
    pack = writePolicyPack(join(prog.dir, "policy"), join(prog.dir, "node_modules"));
    // A stack named like production, for the inactive-key policy's default pattern.
    await prog.init("prod-eu", account.credential, account.emu.url);
    await setKeys({ good: GOOD });
    await prog.ok(["up", "--yes", "--skip-preview"]);
  });
  afterAll(() => account?.close());

  test("a compliant program passes every policy at mandatory", async () => {
    const r = await preview({ all: "mandatory" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/limitly-key-hygiene@v1\.0\.0/);
    expect(r.stdout).not.toMatch(/\[(advisory|mandatory)\]\s+limitly-/);
  });

  describe("limitly-keys-must-rotate", () => {
    test("a key without rotateAfterDays: advisory prints it, mandatory fails the preview", async () => {
      await setKeys({ good: GOOD, lax: { ...GOOD, name: "Lax", rotateAfterDays: undefined } });
      const advisory = await preview({ all: "advisory" });
      expect(advisory.code).toBe(0);
      expect(about(advisory, "limitly-keys-must-rotate")).toMatch(
        /advisory[\s\S]*ApiKey "lax" has no rotateAfterDays: set it to at most 90 days/,
      );
      const strict = await preview(mandatory("limitly-keys-must-rotate"));
      expect(strict.code).not.toBe(0);
      expect(about(strict, "limitly-keys-must-rotate")).toMatch(/mandatory[\s\S]*ApiKey "lax" has no rotateAfterDays/);
    });

    test("maxDays is configurable: 60 days passes the default 90 and fails maxDays 30", async () => {
      await setKeys({ good: GOOD, slow: { ...GOOD, name: "Slow", rotateAfterDays: 60 } });
      expect((await preview(mandatory("limitly-keys-must-rotate"))).code).toBe(0);
      const strict = await preview(mandatory("limitly-keys-must-rotate", { maxDays: 30 }));
      expect(strict.code).not.toBe(0);
      expect(about(strict, "limitly-keys-must-rotate")).toMatch(
        /ApiKey "slow" rotates every 60 days: at most 30 are allowed/,
      );
    });
  });

  test("a RotatingApiKey is held to the same rules", async () => {
    await setKeys({ good: GOOD });
    await prog.ok(["config", "set", "--", "rotating", JSON.stringify({ name: "Rotating", userId: 7 })]);
    const strict = await preview({ all: "mandatory" });
    expect(strict.code).not.toBe(0);
    expect(about(strict, "limitly-keys-must-rotate")).toMatch(/RotatingApiKey "rotating" has no rotateAfterDays/);
    expect(about(strict, "limitly-keys-need-user-and-plan")).toMatch(/RotatingApiKey "rotating" has no planId/);
    await prog.ok(["config", "rm", "rotating"]);
  });

  describe("limitly-keys-need-user-and-plan", () => {
    test("a key without planId is flagged, at both levels; requirePlanId false lets it pass", async () => {
      await setKeys({ good: GOOD, loose: { ...GOOD, name: "Loose", planId: undefined } });
      const advisory = await preview({ all: "advisory" });
      expect(advisory.code).toBe(0);
      expect(about(advisory, "limitly-keys-need-user-and-plan")).toMatch(/ApiKey "loose" has no planId/);
      const strict = await preview(mandatory("limitly-keys-need-user-and-plan"));
      expect(strict.code).not.toBe(0);
      expect(about(strict, "limitly-keys-need-user-and-plan")).toMatch(/mandatory[\s\S]*ApiKey "loose" has no planId/);
      expect((await preview(mandatory("limitly-keys-need-user-and-plan", { requirePlanId: false }))).code).toBe(0);
    });
  });

  describe("limitly-no-inactive-keys-in-production", () => {
    test("an inactive key in stack prod-eu is flagged, at both levels; another pattern lets it pass", async () => {
      await setKeys({ good: GOOD, parked: { ...GOOD, name: "Parked", status: "inactive" } });
      const advisory = await preview({ all: "advisory" });
      expect(advisory.code).toBe(0);
      expect(about(advisory, "limitly-no-inactive-keys-in-production")).toMatch(
        /ApiKey "parked" is inactive in production stack "prod-eu"/,
      );
      const strict = await preview(mandatory("limitly-no-inactive-keys-in-production"));
      expect(strict.code).not.toBe(0);
      const staging = mandatory("limitly-no-inactive-keys-in-production", { productionStackPattern: "^production$" });
      expect((await preview(staging)).code).toBe(0);
    });
  });

  describe("limitly-key-values-secret", () => {
    test("a key value exported through pulumi.unsecret is flagged, at both levels; the secret outputs are not", async () => {
      await setKeys({ good: GOOD });
      await prog.ok(["config", "set", "leak", "output"]);
      const advisory = await preview({ all: "advisory" });
      expect(advisory.code).toBe(0);
      expect(about(advisory, "limitly-key-values-secret")).toMatch(
        /stack output "leaked" holds a Limitly key value in plaintext/,
      );
      // `values` and `secretCopy` hold the value too, as secrets: not flagged.
      expect(about(advisory, "limitly-key-values-secret")).not.toMatch(/"(values|secretCopy)/);
      const strict = await preview(mandatory("limitly-key-values-secret"));
      expect(strict.code).not.toBe(0);
      expect(about(strict, "limitly-key-values-secret")).toMatch(/mandatory[\s\S]*stack output "leaked"/);
    });

    test("a key value in another resource's input in plaintext is flagged; none at all passes", async () => {
      await prog.ok(["config", "set", "leak", "input"]);
      const strict = await preview(mandatory("limitly-key-values-secret"));
      expect(strict.code).not.toBe(0);
      expect(about(strict, "limitly-key-values-secret")).toMatch(
        /property "metadata.upstream" of ApiKey "holder" holds a Limitly key value in plaintext/,
      );
      await prog.ok(["config", "rm", "leak"]);
      expect((await preview(mandatory("limitly-key-values-secret"))).code).toBe(0);
    });
  });
});
