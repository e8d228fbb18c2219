/** Finds the Pulumi CLI and its version, so the demo can fail fast and clearly without it. */
import { execFile } from "node:child_process";

export const MIN_CLI = "3.139.0";

export const NO_CLI_MESSAGE =
  `npm run demo drives real \`pulumi up/preview/destroy\` and needs the Pulumi CLI ${MIN_CLI} or newer on PATH.\n` +
  "Install it: https://www.pulumi.com/docs/iac/download-install/ (for example `curl -fsSL https://get.pulumi.com | sh`, " +
  "or `brew install pulumi/tap/pulumi`), then run `npm run demo` again.\n" +
  "Without the CLI, `npm test` proves the provider: it installs the packed package and drives Pulumi's own provider host over gRPC.";

/** `3.139.0` ≤ version? */
export function atLeast(version: string, min = MIN_CLI): boolean {
  const a = version.replace(/^v/, "").split(/[.-]/).map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  }
  return true;
}

/** The CLI's version, or undefined when there is no `pulumi` on PATH (or it does not answer in 10 s). */
export function pulumiVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("pulumi", ["version"], { timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}
