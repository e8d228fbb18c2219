/**
 * A policy pack folder as a user writes one for pulumi-limitly/policy, using the consumer's install.
 *
 * The user passes the folder to `--policy-pack`; the CLI then asks the Node.js language host to run
 * it (`RunPlugin`). The language host these machines can build (from sdk v3.68, see
 * scripts/pulumi-cli.js) predates `RunPlugin` and answers "not supported". So the suite passes an
 * executable in the folder instead, which the engine starts as the analyzer plugin directly: it
 * runs `@pulumi/pulumi/cmd/run-policy-pack` on the folder, as `pulumi-analyzer-policy` did before
 * language hosts ran packs. The pack itself (PulumiPolicy.yaml, index.js, package.json) is the same.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PACK_INDEX = `const { PolicyPack } = require("@pulumi/policy");
const { keyHygienePolicies } = require("pulumi-limitly/policy");
new PolicyPack("limitly-key-hygiene", { policies: keyHygienePolicies });
`;

const LAUNCHER = `#!/bin/sh
cd "$(dirname "$0")" || exit 1
exec node "$(node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack")')" "$1" .
`;

/** Writes the pack into `dir` (node_modules linked from `nodeModules`); returns what to pass to `--policy-pack`. */
export function writePolicyPack(dir: string, nodeModules: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: Limitly key hygiene\n");
  writeFileSync(join(dir, "index.js"), PACK_INDEX);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "limitly-key-hygiene", version: "1.0.0" }));
  symlinkSync(nodeModules, join(dir, "node_modules"), "dir");
  const launcher = join(dir, "analyzer");
  writeFileSync(launcher, LAUNCHER);
  chmodSync(launcher, 0o755);
  return launcher;
}
