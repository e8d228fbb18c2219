// The Java SDK's jar and pom, in a Maven repository's layout (maven/<group path>/<artifact>/<version>/),
// so that a release host can deploy the folder as it is and a user can name it as a repository. Built by
// `mvn package` from a copy of sdk/java (Maven would leave target/ in the repository), with a Maven
// repository of its own under .tmp: CI builds the release beside the test suites, and Maven 3.8's local
// repository is not safe for two builds at once. Where `mvn` is missing the release says so and goes on.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** The SDK's coordinates, read from the pom gen-sdk writes. */
function coordinates(pom) {
  const tag = (name) =>
    new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom.replace(/<parent>[\s\S]*?<\/parent>/, ""))?.[1];
  return { group: tag("groupId"), artifact: tag("artifactId"), version: tag("version") };
}

/** Builds into `outDir`/maven; returns the release-relative paths written, or why nothing was. */
function buildJava(repo, outDir, work) {
  if (spawnSync("mvn", ["--version"]).status !== 0)
    return { skipped: "no mvn on PATH: the Java jar and pom are NOT in this release" };
  const src = path.join(work, "java-sdk");
  fs.rmSync(src, { recursive: true, force: true });
  fs.cpSync(path.join(repo, "sdk", "java"), src, { recursive: true });
  const pom = fs.readFileSync(path.join(src, "pom.xml"), "utf8");
  const { group, artifact, version } = coordinates(pom);
  const r = spawnSync("mvn", ["-q", "-B", "--no-transfer-progress", "package"], {
    cwd: src,
    encoding: "utf8",
    env: {
      ...process.env,
      MAVEN_OPTS: `-Dmaven.repo.local=${path.join(repo, ".tmp", "release-maven-repository")} -Djansi.noreset=true`,
    },
  });
  if (r.status !== 0) throw new Error(`mvn package of sdk/java failed:\n${(r.stdout + r.stderr).trim()}`);
  const rel = path.join("maven", ...group.split("."), artifact, version);
  fs.mkdirSync(path.join(outDir, rel), { recursive: true });
  const jar = path.join(rel, `${artifact}-${version}.jar`);
  const pomOut = path.join(rel, `${artifact}-${version}.pom`);
  fs.copyFileSync(path.join(src, "target", `${artifact}-${version}.jar`), path.join(outDir, jar));
  fs.writeFileSync(path.join(outDir, pomOut), pom);
  fs.rmSync(src, { recursive: true, force: true });
  return { written: [jar, pomOut] };
}

module.exports = { buildJava };
