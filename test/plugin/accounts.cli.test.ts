/**
 * Several Limitly accounts in one TypeScript program, through the plugin-backed classes of
 * `pulumi-limitly/plugin` and two explicit providers, under the real `pulumi` CLI from the packed
 * tarball, against two emulators with different credentials.
 */
import { startAccount, type Account } from "../cli/support/account";
import { describeWithCli } from "../cli/support/cli";
import { Program } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { docSnippet } from "../support/docs";

jest.setTimeout(180_000);

/** The "Several accounts" program of docs/installation-configuration.md: what users copy is what runs here. */
const PROGRAM = docSnippet("docs/installation-configuration.md", "Several accounts", "ts");

describeWithCli("several accounts: two explicit providers of the plugin in one TypeScript program", () => {
  let staging: Account;
  let production: Account;
  let prog: Program;
  const issued: string[] = [];

  beforeAll(async () => {
    [staging, production] = await Promise.all([startAccount("STAGING"), startAccount("PRODUCTION")]);
    prog = new Program("plugin-accounts", PROGRAM, { plugin: true });
    await prog.ok(["stack", "init", "dev"]);
    await prog.ok(["config", "set", "--secret", "stagingKey", staging.credential]);
    await prog.ok(["config", "set", "--secret", "productionKey", production.credential]);
    await prog.ok(["config", "set", "stagingUrl", staging.emu.url]);
    await prog.ok(["config", "set", "productionUrl", production.emu.url]);
  });
  afterAll(async () => {
    await staging?.close();
    await production?.close();
  });

  test("up puts each key in its own account; both values work there and only there", async () => {
    await prog.ok(["up", "--yes"]);
    const o = (await prog.outputs()) as { ids: Record<string, string>; values: Record<string, string> };
    issued.push(...Object.values(o.values));
    expect(staging.emu.store.liveKeys().map((k) => k.id)).toEqual([o.ids.staging]);
    expect(staging.emu.store.livePlans().map((p) => p.name)).toEqual(["Staging"]);
    expect(production.emu.store.liveKeys().map((k) => k.id)).toEqual([o.ids.production]);
    expect(production.emu.store.livePlans()).toEqual([]);
    expect(await staging.validates(o.values.staging)).toBe(true);
    expect(await production.validates(o.values.production)).toBe(true);
    expect(await staging.validates(o.values.production)).toBe(false);
    expect(await production.validates(o.values.staging)).toBe(false);
  });

  test("neither credential, nor any key value, appears in plaintext in the state, the files or the output", async () => {
    const state = await prog.exported();
    const providers = state.deployment.resources.filter((r) => r.type === "pulumi:providers:limitly");
    expect(providers.map((p) => p.urn.split("::").pop()).sort()).toEqual(["production", "staging"]);
    for (const p of providers) expect((p.inputs!.apiKey as Record<string, string>).ciphertext).toMatch(/^v1:/);
    const secrets = [staging.credential, production.credential, ...issued];
    expect(plaintextSecrets(secrets, [prog.backend, prog.dir], prog.printed)).toEqual([]);
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("each resource's recorded stack is the program's own line, not the generated classes' nor Pulumi's runner", async () => {
    // pulumi-limitly/plugin registers like the dynamic resources (src/plugin/classes.ts).
    const state = await prog.exported();
    const ours = state.deployment.resources.filter((r) => /^(limitly:index:|pulumi:providers:limitly$)/.test(r.type));
    expect(ours).toHaveLength(5);
    for (const r of ours) {
      const name = r.urn.split("::").pop()!;
      const line = PROGRAM.split("\n").findIndex((l) => l.includes(`("${name}"`)) + 1;
      const frames = (r.stackTrace ?? []).map((f) => f.sourcePosition).filter(Boolean);
      expect({ name, frames }).toEqual({
        name,
        frames: [expect.stringMatching(new RegExp(`^project:///index\\.ts#${line},\\d+$`))],
      });
    }
  });

  test("a wrong credential on one provider fails naming that provider, not the other", async () => {
    await prog.ok(["config", "set", "--secret", "productionKey", "lk_acct_not_this_one_000000"]);
    await production.dashboard.apiKeys.update(production.emu.store.liveKeys()[0].id, { name: "drifted" });
    const r = await prog.pulumi(["up", "--refresh", "--yes"]);
    const text = r.stdout + r.stderr;
    expect(r.code).not.toBe(0);
    expect(text).toMatch(/limitly provider "production": Limitly INVALID_API_KEY/);
    expect(text).not.toMatch(/limitly provider "staging"/);
    expect(text).not.toContain("lk_acct_not_this_one_000000");
    // The staging account is untouched by the failure.
    expect(staging.emu.store.liveKeys()).toHaveLength(1);
    // The failed run recorded the provider's new settings, and refresh and destroy use the settings
    // in the state: with the right credential back, an up records them, then a refresh sees the drift.
    await prog.ok(["config", "set", "--secret", "productionKey", production.credential]);
    await prog.ok(["up", "--yes", "--skip-preview"]);
    await prog.ok(["up", "--refresh", "--yes"]);
    expect(production.emu.store.liveKeys()[0].name).toBe("Production web");
  });

  test("destroy empties both accounts", async () => {
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(staging.emu.store.liveKeys()).toEqual([]);
    expect(staging.emu.store.livePlans()).toEqual([]);
    expect(production.emu.store.liveKeys()).toEqual([]);
    const secrets = [staging.credential, production.credential, ...issued];
    expect(plaintextSecrets(secrets, [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
