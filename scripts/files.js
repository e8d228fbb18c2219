// The files under a folder, as paths relative to it, sorted; through symlinks; none when it is
// missing. One walk for the build's stamp, the release (its stamp and SHA256SUMS) and gen-sdk's check.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

function walk(dir, base) {
  return fs.readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return fs.statSync(p).isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir) {
  return fs.existsSync(dir) ? walk(dir, dir).sort() : [];
}

module.exports = { filesUnder };
