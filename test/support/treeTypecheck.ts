/**
 * The type-check of a jest run. Jest compiles each file on its own (tsconfig.jest.json), so the
 * sources, tests, bench and examples are type-checked here once, by tsc, beside the suites:
 * globalSetup starts it and globalTeardown fails the run with tsc's errors. `LIMITLY_SKIP_TYPECHECK=1`
 * leaves it out: `.ci/run` sets it, since its lint step ran the same tsc on the same tree.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./scratch";

interface Typecheck {
  code: number | null;
  output: string;
  seconds: number;
}
// globalSetup and globalTeardown run in jest's parent process, as separate modules: a global is
// the one thing they share.
const shared = globalThis as { limitlyTypecheck?: Promise<Typecheck> };

/** Starts tsc on tsconfig.jest.json (the tree, with the per-file compilation's constraints). */
export function startTypecheck(): void {
  if (process.env.LIMITLY_SKIP_TYPECHECK === "1") return;
  const t0 = Date.now();
  const tsc = spawn(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.jest.json"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  tsc.stdout.on("data", (d: Buffer) => (output += d.toString()));
  tsc.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const seconds = () => Math.round((Date.now() - t0) / 100) / 10;
  shared.limitlyTypecheck = new Promise((resolve) =>
    tsc
      .on("close", (code) => resolve({ code, output, seconds: seconds() }))
      .on("error", (e) => resolve({ code: -1, output: e.message, seconds: seconds() })),
  );
}

/** Waits for the type-check; throws with tsc's output when it found errors. */
export async function finishTypecheck(): Promise<void> {
  const r = await shared.limitlyTypecheck;
  if (!r) {
    process.stdout.write("[typecheck] skipped (LIMITLY_SKIP_TYPECHECK=1)\n");
    return;
  }
  process.stdout.write(`[typecheck] tsc -p tsconfig.jest.json: exit ${r.code} in ${r.seconds} s\n`);
  if (r.code !== 0) throw new Error(`tsc -p tsconfig.jest.json found type errors (exit ${r.code}):\n${r.output}`);
}
