#!/usr/bin/env node
// `npm run release` (after `npm run build`): writes release/ with everything a release publishes:
// the plugin's standalone executable per platform in pulumi-resource-limitly-v<version>-<os>-<arch>.tar.gz
// (with README.md and LICENSE), the Python wheel and sdist, the Go module's proxy layout (goproxy/),
// the Java SDK's jar and pom (maven/, in a Maven repository's layout),
// the npm tarball, a CycloneDX SBOM of the executable, TAGS (the tags a release pushes) and
// SHA256SUMS over all of it. Every archive is stamped with the commit's time, so two runs of one
// commit give the same plugin archives. Downloads and tools are cached under .tmp/.
"use strict";

const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { NODE_VERSION, TARGETS, nodeBinary } = require("./nodeBinaries");
const { bundle, seaBlob, hasRcodesign, executable } = require("./sea");
const { writeArchive } = require("./archive");
const { buildPython } = require("./python");
const { writeGoProxy } = require("./goProxy");
const { buildJava } = require("./java");
const { pluginSbom } = require("./sbom");
const { inputsHash, sourceEpoch, stampFile } = require("./stamp");
const { filesUnder } = require("../files");

const REPO = path.resolve(__dirname, "../..");
// LIMITLY_RELEASE_DIR: another folder than release/ (the reproducibility test builds a second copy).
const OUT = path.resolve(process.env.LIMITLY_RELEASE_DIR || path.join(REPO, "release"));
// LIMITLY_RELEASE_SKIP=python,java: leave those SDKs out (the reproducibility test does not compare
// them: the sdist and the jar carry build times; skipping them spares CI two builds).
// Only into another folder than release/, and the folder is not stamped as a current release.
const SKIP = new Set((process.env.LIMITLY_RELEASE_SKIP || "").split(",").filter(Boolean));
const refused = [...SKIP].some((part) => part !== "python" && part !== "java")
  ? `LIMITLY_RELEASE_SKIP is ${JSON.stringify(process.env.LIMITLY_RELEASE_SKIP)}: only python and java can be left out`
  : SKIP.size > 0 && !process.env.LIMITLY_RELEASE_DIR
    ? "LIMITLY_RELEASE_SKIP needs LIMITLY_RELEASE_DIR: release/ is always built whole"
    : undefined;
if (refused) {
  process.stderr.write(`release: ${refused}\n`);
  process.exit(2);
}
const WORK = `${path.join(REPO, ".tmp", "release-work")}-${path.basename(OUT)}`;
const CACHE = path.join(REPO, ".tmp", "release-cache");

/** The plugin archive's name for a target, as the Pulumi CLI requests it. */
const archiveName = (version, t) => `pulumi-resource-limitly-v${version}-${t.os}-${t.arch}.tar.gz`;

const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const say = (line) => process.stderr.write(`release: ${line}\n`);

async function main() {
  const t0 = Date.now();
  const lap = (what, since) => say(`${what} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  const version = pkg.version;
  const epoch = sourceEpoch(REPO);
  if (!fs.existsSync(path.join(REPO, "dist/plugin/main.js"))) throw new Error("no dist/: run `npm run build` first");
  const stamp = await inputsHash(REPO);
  fs.rmSync(stampFile(OUT), { force: true });
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  fs.mkdirSync(WORK, { recursive: true });

  let t = Date.now();
  const script = path.join(WORK, "main.js");
  const bundled = await bundle(REPO, script);
  // The blob (no code cache, no snapshot) serves every target; the host's own pinned node makes it.
  const hostOs = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
  const hostArch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const builder = TARGETS.find((x) => x.os === hostOs && x.arch === hostArch);
  if (!builder) throw new Error(`no pinned Node.js runs on this host (${process.platform}-${process.arch})`);
  const blob = seaBlob(await nodeBinary(builder, CACHE), script, WORK);
  lap(`bundled the plugin (${bundled.size} packages) into a single-executable blob on Node.js ${NODE_VERSION}`, t);

  const sign = hasRcodesign();
  if (!sign)
    say(
      "rcodesign is not installed: the darwin executables are NOT signed (not even ad hoc); macOS on arm64 refuses to run them until they are (`cargo install apple-codesign --no-default-features`, then run this again)",
    );
  for (const target of TARGETS) {
    t = Date.now();
    const dir = path.join(WORK, `${target.os}-${target.arch}`);
    fs.mkdirSync(dir);
    const exe = `pulumi-resource-limitly${target.os === "windows" ? ".exe" : ""}`;
    await executable(target, await nodeBinary(target, CACHE), blob, path.join(dir, exe), sign);
    writeArchive(
      path.join(OUT, archiveName(version, target)),
      [
        { name: exe, from: path.join(dir, exe), mode: 0o755 },
        { name: "README.md", from: path.join(REPO, "README.md"), mode: 0o644 },
        { name: "LICENSE", from: path.join(REPO, "LICENSE"), mode: 0o644 },
      ],
      new Date(epoch * 1000),
      WORK,
    );
    lap(
      `${archiveName(version, target)}${target.os === "darwin" ? (sign ? " (signed ad hoc)" : " (unsigned)") : ""}`,
      t,
    );
  }

  t = Date.now();
  if (SKIP.has("python")) say("Python: left out (LIMITLY_RELEASE_SKIP)");
  else lap(`Python: ${buildPython(REPO, OUT, WORK, CACHE, epoch).join(", ")}`, t);

  t = Date.now();
  const go = writeGoProxy(REPO, path.join(OUT, "goproxy"), version, epoch);
  lap(`Go: ${go.mod}@v${version} in goproxy/ (tag ${go.tag})`, t);

  t = Date.now();
  const java = SKIP.has("java") ? { skipped: "Java: left out (LIMITLY_RELEASE_SKIP)" } : buildJava(REPO, OUT, WORK);
  if (java.skipped) say(java.skipped);
  else lap(`Java: ${java.written.join(", ")}`, t);

  t = Date.now();
  const packed = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", OUT], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  lap(`npm: ${JSON.parse(packed.stdout)[0].filename}`, t);

  const sbom = `pulumi-resource-limitly-v${version}.cdx.json`;
  fs.writeFileSync(path.join(OUT, sbom), pluginSbom(REPO, pkg, bundled, NODE_VERSION, epoch));
  fs.writeFileSync(path.join(OUT, "TAGS"), `v${version}\n${go.tag}\n`);

  const sums = filesUnder(OUT)
    .sort()
    .map((f) => `${sha256(path.join(OUT, f))}  ${f.split(path.sep).join("/")}\n`)
    .join("");
  fs.writeFileSync(path.join(OUT, "SHA256SUMS"), sums);
  fs.rmSync(WORK, { recursive: true, force: true });
  // A partial build is never taken for a current release.
  if (SKIP.size === 0) fs.writeFileSync(stampFile(OUT), `${stamp}\n`);
  say(`wrote ${OUT} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  say(e.message);
  process.exit(1);
});
