#!/usr/bin/env node
// `npm run build`: dist/ from src/ and the generated sdk/nodejs, by tsc. Each jest run packs the
// package (npm pack runs `prepare`, this build) and CI builds before the release and before each of
// its jest runs: so the build is skipped when dist/ was built from exactly these inputs (their hash
// in dist/.inputs). Otherwise dist/ is removed first, so no output of a deleted source survives.
// `--force` builds regardless.
"use strict";

const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
const DIST = path.join(REPO, "dist");
const STAMP = path.join(DIST, ".inputs");

function files(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** What the build reads: the sources, the compiler's settings and version, the dependencies' lock. */
function inputsHash() {
  const inputs = [
    ...files(path.join(REPO, "src")),
    ...files(path.join(REPO, "sdk", "nodejs")),
    ...["tsconfig.json", "tsconfig.build.json", "tsconfig.sdk.json", "package.json", "package-lock.json"].map((f) =>
      path.join(REPO, f),
    ),
    __filename,
    path.join(REPO, "node_modules", "typescript", "package.json"),
  ].sort();
  const hash = crypto.createHash("sha256");
  for (const f of inputs) hash.update(path.relative(REPO, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return hash.digest("hex");
}

/** Runs tsc on a project; on errors (already printed by tsc) exits with its status, leaving no stamp. */
function tsc(project) {
  try {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], {
      cwd: REPO,
      stdio: "inherit",
    });
  } catch (e) {
    process.exit(e.status ?? 1);
  }
}

const hash = inputsHash();
const current = fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === hash;
if (current && !process.argv.includes("--force")) {
  process.stderr.write("build: dist/ is current (built from these inputs)\n");
} else {
  fs.rmSync(DIST, { recursive: true, force: true });
  tsc("tsconfig.build.json");
  tsc("tsconfig.sdk.json");
  fs.copyFileSync(path.join(REPO, "sdk/nodejs/package.json"), path.join(DIST, "plugin-sdk/package.json"));
  fs.writeFileSync(STAMP, hash);
}
require("./link-self");
