/**
 * The demo's way to the Pulumi CLI: the same finder as `npm run -s pulumi-cli` (scripts/pulumi-cli.js),
 * so that the demo, the CLI suite and CI all use one CLI, got one way.
 */
import { join } from "node:path";

/** What scripts/pulumi-cli.js exports. */
interface PulumiCliScript {
  CLI_VERSION: string;
  MIN_CLI: string;
  atLeast(version: string, min?: string): boolean;
  ensure(
    sources?: string[],
  ): Promise<{ dir?: string; version?: string; source?: string; reason?: string; old?: string }>;
}

// Outside src on purpose: it must run before anything is built. src/demo and dist/demo are both two levels down.
const script = require(join(__dirname, "../../scripts/pulumi-cli.js")) as PulumiCliScript;

export const MIN_CLI = script.MIN_CLI;
export const CLI_VERSION = script.CLI_VERSION;
export const atLeast = script.atLeast;
export const ensureCli = script.ensure;

export const NO_CLI_MESSAGE =
  `npm run demo drives real \`pulumi up/preview/destroy\` and needs the Pulumi CLI ${MIN_CLI} or newer.\n` +
  "It looked in $PULUMI_HOME/versions, on PATH, through the npm installer `pulumi` (which downloads from get.pulumi.com) " +
  "and, where `go` is installed, by building it from the Go module proxy (`npm run -s pulumi-cli`).\n" +
  "Install it: https://www.pulumi.com/docs/iac/download-install/ (for example `curl -fsSL https://get.pulumi.com | sh`, " +
  "or `brew install pulumi/tap/pulumi`), then run `npm run demo` again.\n" +
  "Without the CLI, `npm test` still proves the provider: it installs the packed package and drives Pulumi's own provider host over gRPC.";
