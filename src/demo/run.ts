/**
 * `npm run demo`: the whole story against a local emulator and a throwaway local backend, through
 * the real Pulumi CLI (found or got as `npm run -s pulumi-cli` does) driven by the Automation API:
 * up, a preview with no changes, a rotation, a change made behind Pulumi's back and
 * `preview --refresh` showing it, destroy.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { LimitlyClient } from "../client/client";
import { startEmulator } from "../emulator/server";
import { NO_CLI_MESSAGE, MIN_CLI, ensureCli } from "./cliCheck";

type Summary = Record<string, number | undefined>;
const say = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (changes: Summary | undefined) =>
  Object.entries(changes ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ") || "no changes";

async function main(): Promise<number> {
  const cli = await ensureCli();
  if (!cli.dir) {
    const old = cli.old
      ? `Pulumi CLI ${cli.old} is older than ${MIN_CLI}, which dynamic providers' configure needs.\n`
      : "";
    process.stderr.write(`${old}${NO_CLI_MESSAGE}\nWhat each place answered:\n${cli.reason}\n`);
    return 1;
  }
  const version = cli.version!;
  // The language host and the dynamic-provider plugin are looked up on PATH, next to the CLI.
  process.env.PATH = [cli.dir, process.env.PATH].join(delimiter);
  // Loaded only now: the Automation API is heavy and the no-CLI path must answer at once.
  const { LocalWorkspace, PulumiCommand } = await import("@pulumi/pulumi/automation");
  const pulumiCommand = await PulumiCommand.get({ root: dirname(cli.dir) });

  const repo = resolve(__dirname, "../..");
  const temp = mkdtempSync(join(tmpdir(), "pulumi-limitly-demo-"));
  const work = join(temp, "per-environment");
  // A file:// backend must exist before `pulumi stack select` opens it.
  mkdirSync(join(temp, "state"));
  cpSync(join(repo, "examples/per-environment"), work, { recursive: true });
  // The program and Pulumi's provider host resolve pulumi-limitly and @pulumi/pulumi from here.
  symlinkSync(join(repo, "node_modules"), join(work, "node_modules"), "dir");
  const accountKey = `lk_demo_${Date.now().toString(36)}`;
  const emu = await startEmulator({ apiKeys: [accountKey] });
  const dashboard = new LimitlyClient({ apiKey: accountKey, baseUrl: emu.url });
  say(`Limitly emulator: ${emu.url}`);
  say(`Pulumi CLI ${version} (${cli.dir}), local backend in ${temp}`);
  try {
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", workDir: work },
      {
        pulumiCommand,
        envVars: {
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          PULUMI_BACKEND_URL: `file://${join(temp, "state")}`,
          PULUMI_CONFIG_PASSPHRASE: "pulumi-limitly-demo",
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
      },
    );
    await stack.setConfig("limitly:apiKey", { value: accountKey, secret: true });
    await stack.setConfig("limitly:baseUrl", { value: emu.url });

    say("\n1. pulumi up");
    const up = await stack.up();
    say(
      `   ${fmt(up.summary.resourceChanges)}; key ids: ${JSON.stringify(up.outputs.keyIds.value)}; values secret: ${up.outputs.keyValues.secret}`,
    );

    say("\n2. pulumi preview (nothing changed)");
    const same = await stack.preview();
    say(`   ${fmt(same.changeSummary)}`);

    say("\n3. rotation: keyRotation 2026-11 -> 2026-12, pulumi up");
    await stack.setConfig("per-environment:keyRotation", { value: "2026-12" });
    const rotated = await stack.up();
    say(`   ${fmt(rotated.summary.resourceChanges)}; new key ids: ${JSON.stringify(rotated.outputs.keyIds.value)}`);

    say("\n4. someone renames a key in the dashboard; pulumi preview --refresh");
    const someId = Object.values(rotated.outputs.keyIds.value as Record<string, string>)[0];
    await dashboard.apiKeys.update(someId, { name: "renamed behind Pulumi's back" });
    const drift = await stack.preview({ refresh: true });
    say(`   ${fmt(drift.changeSummary)} (the update puts the declared name back)`);

    say("\n5. pulumi destroy");
    const down = await stack.destroy();
    say(`   ${fmt(down.summary.resourceChanges)}; live keys left in Limitly: ${emu.store.liveKeys().length}`);
    await stack.workspace.removeStack("dev");
    return 0;
  } finally {
    await dashboard.close();
    await emu.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`demo failed: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
