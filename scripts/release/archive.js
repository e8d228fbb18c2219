// Reproducible .tar.gz archives: the same files in the same order, each with the same mode, a fixed
// mtime and no owner, uid or host details (node-tar's portable mode), gzipped with no name or
// timestamp in the header and a fixed OS byte, so that two builds of one commit hash the same.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const tar = require("tar");

/** The gzip header's OS byte: 3 (Unix) on every host, so that a Windows build gives the same bytes. */
const GZIP_OS_UNIX = 3;

/**
 * Writes `out` (.tar.gz) holding `entries` at its root, in the order given: `{ name, from, mode }`.
 * `mtime` (a Date) stamps every entry.
 */
function writeArchive(out, entries, mtime, work) {
  const stage = fs.mkdtempSync(path.join(work, "archive-"));
  try {
    for (const e of entries) {
      fs.copyFileSync(e.from, path.join(stage, e.name));
      fs.chmodSync(path.join(stage, e.name), e.mode);
    }
    const tarFile = path.join(stage, ".archive.tar");
    tar.c(
      { file: tarFile, cwd: stage, sync: true, portable: true, mtime, noDirRecurse: true },
      entries.map((e) => e.name),
    );
    const gz = zlib.gzipSync(fs.readFileSync(tarFile));
    gz[9] = GZIP_OS_UNIX;
    fs.writeFileSync(out, gz);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { writeArchive };
