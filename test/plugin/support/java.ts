/**
 * The Maven repository the Java programs build against, made as a user's is: Maven downloads
 * `com.pulumi:pulumi` and the plugins from Maven Central, and `mvn install` of sdk/java adds the
 * generated `io.github.pulumi-limitly:limitly`. It lives under .tmp, not in ~/.m2, so the suite
 * never changes the machine's own repository.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { docSnippet } from "../../support/docs";
import { REPO, WORK } from "../../support/scratch";
import { Program, locked, type ProgramOptions } from "../../cli/support/consumer";

/** The local Maven repository (shared by the combinations: downloads are made once per clone). */
export const MAVEN_REPO = join(WORK, "maven-repository");

/**
 * The environment every `mvn` (ours and the Java language host's) runs with. Debian's Maven 3.8
 * ends stdout with an ANSI reset even into a pipe, which spoils the JSON the host reads to learn
 * which plugins a program needs; `jansi.noreset` stops it.
 */
export const MAVEN_ENV = {
  // C1 only: Maven, and the program exec:java runs in its JVM, are short runs that C2 never pays back
  // (a third off each run here).
  MAVEN_OPTS: `-Dmaven.repo.local=${MAVEN_REPO} -Djansi.noreset=true -XX:TieredStopAtLevel=1 -XX:+UseSerialGC`,
};

/** The Java SDK's version: the package's, as gen-sdk writes it into sdk/java/pom.xml. */
export const JAVA_SDK_VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string })
  .version;

/** examples/java's pom, naming the SDK this checkout generates (the example names its release's). */
export const JAVA_POM = readFileSync(join(REPO, "examples/java/pom.xml"), "utf8").replace(
  /<limitly\.version>[^<]+<\/limitly\.version>/,
  `<limitly.version>${JAVA_SDK_VERSION}</limitly.version>`,
);

/**
 * The runnable jar `mvn package` makes of {@link JAVA_POM} (its dependencies in target/lib), relative to
 * the program's folder: the `runtime.options.binary` docs/installation-configuration.md shows users.
 */
export const JAVA_JAR = (
  load(docSnippet("docs/installation-configuration.md", "Java", "yaml")) as { runtime: { options: { binary: string } } }
).runtime.options.binary;

/** Runs `mvn -q -B <args>` in `cwd` on {@link MAVEN_REPO}; undefined when it passed, else the end of its output. */
export function mvn(cwd: string, args: string[]): string | undefined {
  const r = spawnSync("mvn", ["-q", "-B", "--no-transfer-progress", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...MAVEN_ENV },
    timeout: 15 * 60_000,
  });
  if (r.error) return `mvn could not run: ${r.error.message}`;
  const tail = (r.stdout + r.stderr).trim().split("\n").slice(-8).join("\n");
  return r.status === 0 ? undefined : `mvn ${args.join(" ")} exited ${r.status ?? r.signal}: ${tail}`;
}

/** A digest of every file under `dir`: names and contents, in a stable order. */
function contentDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (rel: string): void => {
    const abs = join(dir, rel);
    if (statSync(abs).isDirectory()) for (const f of readdirSync(abs).sort()) walk(join(rel, f));
    else {
      const bytes = readFileSync(abs);
      hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
    }
  };
  walk(".");
  return hash.digest("hex");
}

/**
 * Installs sdk/java into {@link MAVEN_REPO} from a copy (Maven builds in the source folder and would
 * leave target/ in the repository). Skipped when the repository holds the SDK's jar installed from
 * sdk/java as it is now: a digest of its content, kept in the repository itself (so that a
 * repository made anew installs anew) and written only after an install passed. Undefined when
 * done, else why not (no `mvn`, Maven Central refused, …).
 */
export function installJavaSdk(): string | undefined {
  return locked(`${MAVEN_REPO}.lock`, () => {
    const source = join(REPO, "sdk", "java");
    const digest = contentDigest(source);
    const stamp = join(MAVEN_REPO, ".limitly-sdk-java.sha256");
    const v = JAVA_SDK_VERSION;
    const jar = join(MAVEN_REPO, "io/github/pulumi-limitly/limitly", v, `limitly-${v}.jar`);
    if (existsSync(jar) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return undefined;
    rmSync(stamp, { force: true });
    const copy = join(WORK, "java-sdk");
    rmSync(copy, { recursive: true, force: true });
    cpSync(source, copy, { recursive: true });
    const failed = mvn(copy, ["install"]);
    if (failed) return `mvn install of sdk/java failed: ${failed}`;
    writeFileSync(stamp, digest);
    return undefined;
  });
}

/**
 * A Java program under {@link JAVA_POM}, run by the host through Maven: `mvn compile exec:java`, after
 * the same for its plugin scan, as a user's `pulumi up` of the example does.
 */
export function javaProgram(name: string, source: string, opts: Pick<ProgramOptions, "pluginOnPath"> = {}): Program {
  const prog = new Program(name, source, { ...opts, runtime: "java", files: { "pom.xml": JAVA_POM } });
  prog.env = { ...MAVEN_ENV };
  return prog;
}
