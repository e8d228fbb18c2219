#!/usr/bin/env node
// `npm run build`: dist/ from src/ and the generated sdk/nodejs, by tsc. Each jest run packs the
// package (npm pack runs `prepare`, this build) and CI builds before the release and before each of
// its jest runs: so the build is skipped when dist/ was built from exactly these inputs and holds
// exactly what that build wrote (both hashes in dist/.inputs). Otherwise dist/ is removed first, so
// no output of a deleted source survives.
// `--force` builds regardless.
"use strict";

const { execFileSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { filesUnder } = require("./files");

const REPO = path.resolve(__dirname, "..");
const DIST = path.join(REPO, "dist");
const STAMP = path.join(DIST, ".inputs");

/** Every file under `dir`, as a path from the repository. */
const files = (dir) => filesUnder(dir).map((f) => path.join(dir, f));

/** One hash over files, by their paths relative to the repository and their bytes. */
function digest(list) {
  const hash = crypto.createHash("sha256");
  for (const f of [...list].sort())
    hash.update(path.relative(REPO, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return hash.digest("hex");
}

/** What the build reads: the sources, the compiler's settings and version, the dependencies' lock. */
function inputsHash() {
  return digest([
    ...files(path.join(REPO, "src")),
    ...files(path.join(REPO, "sdk", "nodejs")),
    ...["tsconfig.json", "tsconfig.build.json", "tsconfig.sdk.json", "package.json", "package-lock.json"].map((f) =>
      path.join(REPO, f),
    ),
    __filename,
    require.resolve("./files"),
    path.join(REPO, "node_modules", "typescript", "package.json"),
  ]);
}

/** What the build wrote (so a dist/ changed since, by hand or by a direct tsc run, is built again). */
const outputsHash = () => digest(files(DIST).filter((f) => f !== STAMP));

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

const inputs = inputsHash();
const current = fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === `${inputs}\n${outputsHash()}`;
if (current && !process.argv.includes("--force")) {
  process.stderr.write("build: dist/ is current (built from these inputs)\n");
} else {
  fs.rmSync(DIST, { recursive: true, force: true });
  tsc("tsconfig.build.json");
  tsc("tsconfig.sdk.json");
  fs.copyFileSync(path.join(REPO, "sdk/nodejs/package.json"), path.join(DIST, "plugin-sdk/package.json"));
  fs.writeFileSync(STAMP, `${inputs}\n${outputsHash()}`);
}
require("./link-self");
