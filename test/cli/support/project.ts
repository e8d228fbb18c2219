/**
 * The user's project the real-CLI suites and the docs tests share, as `pulumi new typescript` makes it, with
 * the packed pulumi-limitly installed from its tarball. Apart from consumer.ts, which runs programs under the
 * CLI, so that what needs only the install (the docs' type-check, the Python virtualenv) does not look for one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COMBINATION, SDK_VERSION } from "../../support/matrix";
import { REPO, WORK, installProject, packedTarball } from "../../support/scratch";

/** The @pulumi/policy the policy suite's packs run on: the one this repository locks. */
export const POLICY_VERSION = (
  JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
).devDependencies["@pulumi/policy"];

/** The tsconfig.json that `pulumi new typescript` writes, unchanged. */
export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

export const ROOT = join(WORK, "cli", COMBINATION);
export const CONSUMER = join(ROOT, "consumer");

/** The process a lock folder names as its holder (its `pid` file), if it names one yet. */
function holder(lock: string): number | undefined {
  try {
    return Number(readFileSync(join(lock, "pid"), "utf8")) || undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs: an exited process its parent has not reaped yet (a zombie) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/**
 * Runs `fn` holding a lock folder, so that parallel jest workers install the consumer once. The
 * holder writes its pid into the folder (`.ci/run` does too, for the release it builds beside the
 * suites), so a lock whose holder is gone is taken at once and one whose holder lives is waited for
 * however long it takes; a lock naming no holder (killed between the two) is stale after ten minutes.
 */
export function locked<T>(lock: string, fn: () => T): T {
  mkdirSync(dirname(lock), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = holder(lock);
      if (pid === undefined ? Date.now() - t0 > 600_000 : !alive(pid)) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs the consumer project once per tarball (and combination); returns its folder. */
export function consumer(): string {
  return locked(`${CONSUMER}.lock`, installConsumer);
}

function installConsumer(): string {
  installProject(
    CONSUMER,
    packedTarball(),
    {
      name: "limitly-consumer",
      main: "index.ts",
      devDependencies: { "@types/node": "20.19.25", typescript: "5.9.3" },
      // @pulumi/policy for the policy packs of the policy suite, which share this install.
      dependencies: { "@pulumi/pulumi": SDK_VERSION, "@pulumi/policy": POLICY_VERSION },
    },
    { "tsconfig.json": JSON.stringify(TEMPLATE_TSCONFIG, null, 4) },
  );
  return CONSUMER;
}
