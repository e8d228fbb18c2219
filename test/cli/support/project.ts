/**
 * The user's project the real-CLI suites and the docs tests share, as `pulumi new typescript` makes it, with
 * the packed pulumi-limitly installed from its tarball. Apart from consumer.ts, which runs programs under the
 * CLI, so that what needs only the install (the docs' type-check, the Python virtualenv) does not look for one.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
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

/** Runs `fn` holding a lock folder, so that parallel jest workers install the consumer once. */
export function locked<T>(lock: string, fn: () => T): T {
  mkdirSync(dirname(lock), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // A lock left by a killed run is stale after ten minutes; an install takes well under one.
      if (Date.now() - t0 > 600_000) rmSync(lock, { recursive: true, force: true });
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
