/**
 * The Maven repository the Java programs build against, made as a user's is: Maven downloads
 * `com.pulumi:pulumi` and the plugins from Maven Central, and `mvn install` of sdk/java adds the
 * generated `io.github.pulumi-limitly:limitly`. It lives under .tmp, not in ~/.m2, so the suite
 * never changes the machine's own repository.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO, WORK } from "../../support/scratch";
import { locked } from "../../cli/support/consumer";

/** The local Maven repository (shared by the combinations: downloads are made once per clone). */
export const MAVEN_REPO = join(WORK, "maven-repository");

/**
 * The environment every `mvn` (ours and the Java language host's) runs with. Debian's Maven 3.8
 * ends stdout with an ANSI reset even into a pipe, which spoils the JSON the host reads to learn
 * which plugins a program needs; `jansi.noreset` stops it.
 */
export const MAVEN_ENV = { MAVEN_OPTS: `-Dmaven.repo.local=${MAVEN_REPO} -Djansi.noreset=true` };

/** The Java SDK's version: the package's, as gen-sdk writes it into sdk/java/pom.xml. */
export const JAVA_SDK_VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string })
  .version;

/**
 * Installs sdk/java into {@link MAVEN_REPO}, every run (the SDK may have been regenerated), from a
 * copy: Maven builds in the source folder and would leave target/ in the repository. Undefined when
 * done, else why not (no `mvn`, Maven Central refused, …).
 */
export function installJavaSdk(): string | undefined {
  return locked(`${MAVEN_REPO}.lock`, () => {
    const copy = join(WORK, "java-sdk");
    rmSync(copy, { recursive: true, force: true });
    cpSync(join(REPO, "sdk", "java"), copy, { recursive: true });
    const r = spawnSync("mvn", ["-q", "-B", "--no-transfer-progress", "install"], {
      cwd: copy,
      encoding: "utf8",
      env: { ...process.env, ...MAVEN_ENV },
      timeout: 15 * 60_000,
    });
    if (r.error) return `mvn could not run: ${r.error.message}`;
    return r.status === 0
      ? undefined
      : `mvn install of sdk/java failed: ${(r.stdout + r.stderr).trim().split("\n").slice(-8).join("\n")}`;
  });
}
