// The Python SDK's wheel and sdist, built by a standard PEP 517 build (`python -m build`) from a copy
// of sdk/python, so that the build leaves nothing in the repository. The frontend and the build
// backend (pinned, from PyPI) live in a virtualenv of their own under .tmp, made once, and the build
// runs there without an isolated environment of its own (which would install setuptools every
// time). SOURCE_DATE_EPOCH stamps the wheel's entries.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** The PEP 517 frontend and the backend sdk/python's setup.py needs, pinned. */
const BUILD_REQUIREMENTS = ["build==1.3.0", "setuptools==84.2.1", "wheel==0.48.0"];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Builds into `outDir`; returns the names of the files written. */
function buildPython(repo, outDir, work, cache, epoch) {
  // In the cache, kept between runs: made once per change of BUILD_REQUIREMENTS.
  const venv = path.join(cache, "python-build-venv");
  const python = path.join(venv, "bin", "python");
  const ready = path.join(venv, ".requirements");
  if (!fs.existsSync(ready) || fs.readFileSync(ready, "utf8") !== BUILD_REQUIREMENTS.join("\n")) {
    fs.rmSync(venv, { recursive: true, force: true });
    run("python3", ["-m", "venv", venv]);
    run(python, ["-m", "pip", "install", "-q", ...BUILD_REQUIREMENTS]);
    fs.writeFileSync(ready, BUILD_REQUIREMENTS.join("\n"));
  }
  const src = path.join(work, "python-sdk");
  fs.rmSync(src, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "sdk", "python"), src, { recursive: true });
  const before = new Set(fs.readdirSync(outDir));
  run(python, ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", outDir, src], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
  });
  fs.rmSync(src, { recursive: true, force: true });
  return fs.readdirSync(outDir).filter((f) => !before.has(f));
}

module.exports = { buildPython };
