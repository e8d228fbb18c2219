// The Go SDK as a module proxy serves it (https://go.dev/ref/mod#goproxy-protocol), so that a user
// (and the tests, through GOPROXY) can `go get` it at the release's version without a `replace`:
// <module>/@v/list, <version>.info, .mod and .zip, the zip's entries under `<module>@<version>/`.
// The zip is written by Python's zipfile with fixed timestamps, sorted, so it is reproducible.
// A release pushes the tag `sdk/go/limitly/v<version>` (a module in a subfolder of the repository).
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ZIP = `
import sys, os, zipfile
src, prefix, out = sys.argv[1], sys.argv[2], sys.argv[3]
names = sorted(os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for n in names:
        info = zipfile.ZipInfo(prefix + n.replace(os.sep, "/"), (1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(src, n), "rb") as f:
            z.writestr(info, f.read())
`;

/** The module path, from the SDK's go.mod. */
function goModulePath(sdkDir) {
  return /^module\s+(\S+)/m.exec(fs.readFileSync(path.join(sdkDir, "go.mod"), "utf8"))[1];
}

/** Writes the layout under `proxyDir`; returns the module path, the tag and the files written (relative). */
function writeGoProxy(repo, proxyDir, version, epoch) {
  const sdk = path.join(repo, "sdk", "go", "limitly");
  const mod = goModulePath(sdk);
  const v = `v${version}`;
  const dir = path.join(proxyDir, mod, "@v");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "list"), `${v}\n`);
  fs.writeFileSync(
    path.join(dir, `${v}.info`),
    `${JSON.stringify({ Version: v, Time: new Date(epoch * 1000).toISOString().replace(/\.000Z$/, "Z") })}\n`,
  );
  fs.copyFileSync(path.join(sdk, "go.mod"), path.join(dir, `${v}.mod`));
  const r = spawnSync("python3", ["-c", ZIP, sdk, `${mod}@${v}/`, path.join(dir, `${v}.zip`)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`writing the Go module zip failed: ${r.stderr}`);
  const files = ["list", `${v}.info`, `${v}.mod`, `${v}.zip`].map((f) =>
    path.relative(path.dirname(proxyDir), path.join(dir, f)),
  );
  // The module's folder in its repository (github.com/<org>/<repo>/<folder>) prefixes its tags.
  const tag = `${mod.split("/").slice(3).join("/")}/${v}`;
  return { mod, tag, files };
}

module.exports = { writeGoProxy };
