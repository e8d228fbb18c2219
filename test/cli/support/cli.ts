/**
 * The real Pulumi CLI for the CLI suite, got the way `npm run -s pulumi-cli` gets it. When no CLI
 * can be had, the suite says so plainly and skips, so that a machine without one still runs the rest.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "../../support/scratch";

export interface CliFound {
  /** The folder holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs. */
  dir?: string;
  /** Why there is none. */
  reason?: string;
}

function find(): CliFound {
  // Synchronous on purpose: whether the suite runs must be known when its tests are declared.
  // A cold build from the Go module proxy takes minutes; the script takes a lock, so parallel
  // workers wait for one build.
  const r = spawnSync(process.execPath, [join(REPO, "scripts/pulumi-cli.js")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 60 * 60_000,
  });
  const last = r.stdout.trim().split("\n").pop();
  if (r.status === 0 && last) return { dir: last };
  return { reason: `npm run -s pulumi-cli could not get a Pulumi CLI (exit ${r.status ?? r.signal})` };
}

export const CLI = find();

/** `describe` when a CLI is here; otherwise `describe.skip`, after saying why on stderr. */
// Through globalThis: the bench imports CLI from here outside jest, where there is no `describe`.
export const describeWithCli = (CLI.dir ? globalThis.describe : globalThis.describe?.skip) as jest.Describe;
if (!CLI.dir) process.stderr.write(`\n[cli suite] NOT RUN, no Pulumi CLI: ${CLI.reason}\n`);

/**
 * Makes sure the language host for `lang` is next to the CLI (scripts/pulumi-cli.js builds it the
 * first time); undefined when it is there, else why not.
 */
export function languageHost(lang: "yaml" | "python" | "go" | "java"): string | undefined {
  if (!CLI.dir) return CLI.reason;
  const script = join(REPO, "scripts/pulumi-cli.js");
  const r = spawnSync(
    process.execPath,
    [
      "-e",
      `require(${JSON.stringify(script)}).ensureLanguageHost(${JSON.stringify(lang)}).then((r) => { if (!r.ok) { process.stderr.write(r.reason + "\\n"); process.exit(1); } })`,
    ],
    { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"], timeout: 60 * 60_000 },
  );
  return r.status === 0 ? undefined : `the ${lang} language host could not be had: ${r.stderr.trim()}`;
}
