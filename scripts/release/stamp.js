// What a release is built from, as one hash: the commit time its archives are stamped with, the
// bundled plugin (from dist/), the SDKs, README.md, LICENSE and package.json. The release script records it beside release/ so that the test suites
// rebuild release/ only when one of them changed.
"use strict";

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { filesUnder } = require("../files");
const { bundle } = require("./sea");

/** Every file under `dir`, as a path from the repository. */
const files = (dir) => filesUnder(dir).map((f) => path.join(dir, f));

/** The commit's time (seconds), or SOURCE_DATE_EPOCH when set, so that the stamps do not depend on the clock. */
function sourceEpoch(repo) {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = spawnSync("git", ["log", "-1", "--format=%ct"], { cwd: repo, encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : 0;
}

/** The hash of the release's inputs in `repo`. */
async function inputsHash(repo) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "limitly-stamp-"));
  try {
    await bundle(repo, path.join(tmp, "main.js"));
    const hash = crypto.createHash("sha256").update(String(sourceEpoch(repo)));
    hash.update("bundle").update(fs.readFileSync(path.join(tmp, "main.js")));
    const inputs = [
      ...["README.md", "LICENSE", "package.json"].map((f) => path.join(repo, f)),
      ...files(path.join(repo, "sdk")),
      // The release's own recipe (pinned Node.js, its integrities, the Python build's requirements).
      ...files(path.join(repo, "scripts", "release")),
      require.resolve("../files"),
    ];
    for (const f of inputs) hash.update(path.relative(repo, f)).update(fs.readFileSync(f));
    return hash.digest("hex");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Where the release script records the stamp of a release folder. */
const stampFile = (out) => `${out}.stamp`;

module.exports = { inputsHash, sourceEpoch, stampFile };
