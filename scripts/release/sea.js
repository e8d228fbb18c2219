// The plugin as one executable per target: dist/plugin/main.js (the npm bin, as tsc built it)
// bundled by esbuild into one CommonJS file, made into a Node single-executable blob once (without
// code cache or snapshot, so the one blob serves every platform), and injected into each target's
// pinned node binary with postject. macOS binaries lose Node's signature on injection: they are
// signed ad hoc with rcodesign when it is installed, and the script says so when it is not.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");
const { inject } = require("postject");

const SENTINEL = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** Bundles the npm bin into `out`; returns the packages it holds (name → version) for the SBOM. */
async function bundle(repo, out) {
  const result = await esbuild.build({
    entryPoints: [path.join(repo, "dist/plugin/main.js")],
    outfile: out,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    metafile: true,
    legalComments: "eof",
    logLevel: "warning",
  });
  const packages = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const at = input.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const parts = input.slice(at + "node_modules/".length).split("/");
    const name = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    const dir = path.join(repo, input.slice(0, at), "node_modules", name);
    packages.set(name, JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version);
  }
  return packages;
}

/**
 * Makes the single-executable blob of `script` (a file in `work`) with `node` (the pinned version the
 * binaries share). The blob records the script's path as given: a bare name, run from `work`, so
 * that the blob does not depend on where it was built.
 */
function seaBlob(node, script, work) {
  const config = path.join(work, "sea-config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      main: path.relative(work, script),
      output: "sea-prep.blob",
      disableExperimentalSEAWarning: true,
      useCodeCache: false,
      useSnapshot: false,
    }),
  );
  const r = spawnSync(path.resolve(node), ["--experimental-sea-config", "sea-config.json"], {
    cwd: work,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`node --experimental-sea-config failed: ${r.stderr}`);
  return fs.readFileSync(path.join(work, "sea-prep.blob"));
}

/** Whether rcodesign (crate apple-codesign) is on PATH. */
function hasRcodesign() {
  return spawnSync("rcodesign", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * Writes the executable for `target` to `out`: a copy of its node binary with `blob` injected, and
 * for macOS an ad-hoc signature when `sign` (never the hardened runtime: node needs JIT entitlements).
 */
async function executable(target, node, blob, out, sign) {
  fs.copyFileSync(node, out);
  fs.chmodSync(out, 0o755);
  if (target.os === "darwin") spawnSync("codesign", ["--remove-signature", out]); // only where macOS's codesign exists
  await inject(out, "NODE_SEA_BLOB", blob, {
    sentinelFuse: SENTINEL,
    machoSegmentName: target.os === "darwin" ? "NODE_SEA" : undefined,
  });
  if (target.os === "darwin" && sign) {
    const r = spawnSync("rcodesign", ["sign", out], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`rcodesign sign ${out} failed: ${r.stderr}`);
  }
}

module.exports = { bundle, seaBlob, hasRcodesign, executable };
