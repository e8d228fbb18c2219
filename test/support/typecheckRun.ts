/**
 * The type-check of a jest run. Jest compiles each file on its own (tsconfig.jest.json), so the
 * sources, tests and examples are type-checked here once, by tsc, beside the suites: globalSetup starts
 * it and globalTeardown fails the run with tsc's errors. Both run in jest's parent process.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./scratch";

interface Typecheck {
  code: number | null;
  output: string;
}
const running = globalThis as { limitlyTypecheck?: Promise<Typecheck> };

/** Starts tsc on the repository's tsconfig.json (sources, tests, bench and examples). */
export function startTypecheck(): void {
  const tsc = spawn(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  tsc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  tsc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  running.limitlyTypecheck = new Promise((resolve) =>
    tsc.on("close", (code) => resolve({ code, output })).on("error", (e) => resolve({ code: -1, output: e.message })),
  );
}

/** Waits for the type-check; throws with tsc's output when it found errors. */
export async function finishTypecheck(): Promise<void> {
  const r = await running.limitlyTypecheck;
  if (r && r.code !== 0) throw new Error(`tsc -p tsconfig.json found type errors (exit ${r.code}):\n${r.output}`);
}
