/**
 * A policy pack folder as a user writes one for pulumi-limitly/policy, using the consumer's install.
 * The suite passes the folder to `--policy-pack`, as users do: the CLI asks the Node.js language
 * host (Pulumi's own v3.259.0, built by scripts/pulumi-cli.js) to run it (`RunPlugin`), which runs
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's own node_modules.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PACK_INDEX = `const { PolicyPack } = require("@pulumi/policy");
const { keyHygienePolicies } = require("pulumi-limitly/policy");
new PolicyPack("limitly-key-hygiene", { policies: keyHygienePolicies });
`;

/** Writes the pack into `dir` (node_modules linked from `nodeModules`); returns what to pass to `--policy-pack`. */
export function writePolicyPack(dir: string, nodeModules: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: Limitly key hygiene\n");
  writeFileSync(join(dir, "index.js"), PACK_INDEX);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "limitly-key-hygiene", version: "1.0.0" }));
  symlinkSync(nodeModules, join(dir, "node_modules"), "dir");
  return dir;
}
