/**
 * Refresh figures through the real CLI: `pulumi refresh` and `pulumi preview --refresh` of n keys
 * at the default budget (the emulator's and the provider's 1,000 requests a minute), for each door
 * (the dynamic resources and the provider plugin's TypeScript classes), with the account holding
 * only the stack's keys, then 10x and 100x as many foreign keys listed before them (other stacks'
 * and customers' older keys); next to a do-nothing dynamic resource whose `read` returns its props.
 * The stacks are made with no rate limit, then `up` again with the provider's defaults, as a user's
 * stack has them: a refresh configures the provider from what the state recorded at the last `up`,
 * not from the stack's config. Foreign keys are written into the emulator's state file between runs.
 * Figures are printed, never asserted.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Program } from "../test/cli/support/consumer";
import { ROOT } from "../test/cli/support/consumer";
import { Store, type KeyRow } from "../src/emulator/store";
import { CREDENTIAL, PROGRAMS, emulator, timed, type Emulator } from "./cli";

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A do-nothing dynamic resource whose `read` returns its props. */
const NOTHING_READ = `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "x", outs: {} };
  },
  async read(id: string, props?: Record<string, unknown>) {
    return { id, props };
  },
};
class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(provider, name, {}, {});
  }
}
const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) new Nothing(\`r\${i}\`);
`;

/** Seconds and API calls of one command. */
export interface Measured {
  seconds: number;
  /** Requests the emulator answered, its 429s included. */
  calls: number;
  /** Of those, the emulator's 429s: the provider's pacing keeps them few. */
  rateLimited: number;
  failed: boolean;
}

/** One door's figures, per account size (the stack's keys alone, 10x and 100x foreign). */
export type DoorFigures = Record<"alone" | "x10" | "x100", { refresh: Measured; previewRefresh: Measured }>;

export interface RefreshBench {
  n: number;
  dynamic: DoorFigures;
  plugin: DoorFigures;
  doNothing: { refreshSeconds: number; previewRefreshSeconds: number };
}

async function stop(e: Emulator): Promise<void> {
  if (e.process.exitCode !== null) return;
  await new Promise((resolve) => {
    e.process.once("exit", resolve);
    e.process.kill();
  });
}

/** Puts `count` foreign keys before every key in the emulator's state file (it must be stopped). */
function addForeignKeys(file: string, count: number): void {
  new Store(file); // replays the journal into the snapshot
  const snap = JSON.parse(readFileSync(file, "utf8")) as { keys: KeyRow[] };
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const foreign = Array.from(
    { length: count },
    (_, i): KeyRow => ({
      id: `key_foreign${snap.keys.length}_${i}`,
      name: `someone else's key ${i}`,
      status: "active",
      user_id: null,
      plan_id: null,
      metadata: {},
      created_at: at,
      updated_at: at,
      last_used_at: null,
      value_hash: "",
      deleted_at: null,
    }),
  );
  snap.keys = [...foreign, ...snap.keys];
  writeFileSync(file, JSON.stringify(snap));
}

async function door(name: "dynamic" | "plugin", n: number, dir: string): Promise<DoorFigures> {
  const file = join(dir, `${name}.json`);
  const project = `bench-refresh-${name}`;
  const prog = new Program(project, name === "plugin" ? PROGRAMS.plugin : PROGRAMS.keys, { plugin: name === "plugin" });
  const free = await emulator(0, ["--state", file, "--quiet"]);
  await prog.init("bench", CREDENTIAL, free.url, { [`${project}:n`]: String(n), "limitly:requestsPerMinute": "0" });
  process.stderr.write(`${name}: pulumi up of ${n} keys (no rate limit)…\n`);
  await prog.ok(["up", "--yes", "--skip-preview"]);
  // The refreshes run at the default budget: the provider's defaults recorded in the state by an
  // `up` (which changes no key), as a user's stack would have them.
  await prog.ok(["config", "rm", "limitly:requestsPerMinute"]);
  await prog.ok(["up", "--yes", "--skip-preview"]);
  await stop(free);
  // A refresh talks to the base URL the state recorded for the provider, not the stack's config:
  // every later emulator listens where the first one did.
  const port = new URL(free.url).port;

  const measure = async (): Promise<{ refresh: Measured; previewRefresh: Measured }> => {
    const emu = await emulator(1000, ["--state", file, "--port", port]);
    try {
      const run = async (args: string[]): Promise<Measured> => {
        const from = emu.statuses.length;
        const [seconds, r] = await timed(() => prog.pulumi(args));
        const seen = emu.statuses.slice(from);
        const m = {
          seconds: round(seconds),
          calls: seen.length,
          rateLimited: seen.filter((st) => st === 429).length,
          failed: r.code !== 0,
        };
        process.stderr.write(`  pulumi ${args.join(" ")}: ${JSON.stringify(m)}\n`);
        return m;
      };
      return {
        refresh: await run(["refresh", "--yes", "--skip-preview"]),
        previewRefresh: await run(["preview", "--refresh"]),
      };
    } finally {
      await stop(emu);
    }
  };
  process.stderr.write(`${name}: refresh and preview --refresh, the stack's keys alone…\n`);
  const alone = await measure();
  addForeignKeys(file, 10 * n);
  process.stderr.write(`${name}: … with ${10 * n} foreign keys…\n`);
  const x10 = await measure();
  addForeignKeys(file, 90 * n);
  process.stderr.write(`${name}: … with ${100 * n} foreign keys…\n`);
  const x100 = await measure();
  return { alone, x10, x100 };
}

export async function refreshBench(n: number): Promise<RefreshBench> {
  const dir = join(ROOT, "bench-refresh");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dynamic = await door("dynamic", n, dir);
  const plugin = await door("plugin", n, dir);

  process.stderr.write(`refresh of ${n} do-nothing dynamic resources…\n`);
  const q = new Program("bench-nothing-read", NOTHING_READ);
  const emu = await emulator(0, ["--quiet"]);
  try {
    await q.init("bench", CREDENTIAL, emu.url, { "bench-nothing-read:n": String(n) });
    await q.ok(["up", "--yes", "--skip-preview"]);
    const [refreshSeconds] = await timed(() => q.ok(["refresh", "--yes", "--skip-preview"]));
    const [previewRefreshSeconds] = await timed(() => q.ok(["preview", "--refresh"]));
    process.stderr.write(
      `  do-nothing: refresh ${round(refreshSeconds)} s, preview --refresh ${round(previewRefreshSeconds)} s\n`,
    );
    await q.ok(["destroy", "--yes", "--skip-preview"]);
    return {
      n,
      dynamic,
      plugin,
      doNothing: { refreshSeconds: round(refreshSeconds), previewRefreshSeconds: round(previewRefreshSeconds) },
    };
  } finally {
    await stop(emu);
  }
}

/** The bench table's rows. */
export function refreshRows(r: RefreshBench): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const floor = { refresh: r.doNothing.refreshSeconds, previewRefresh: r.doNothing.previewRefreshSeconds };
  rows.push([
    `do-nothing (read returns props): ${r.n}`,
    `refresh ${floor.refresh} s, preview --refresh ${floor.previewRefresh} s`,
    "",
  ]);
  for (const doorName of ["dynamic", "plugin"] as const) {
    for (const [size, label] of [
      ["alone", "keys alone"],
      ["x10", `+${10 * r.n} foreign`],
      ["x100", `+${100 * r.n} foreign`],
    ] as const) {
      const f = r[doorName][size];
      for (const op of ["refresh", "previewRefresh"] as const) {
        const m = f[op];
        const ratio = round(m.seconds / floor[op]);
        rows.push([
          `${doorName}: ${op === "refresh" ? "refresh" : "preview --refresh"}: ${r.n} keys, ${label}`,
          `${m.seconds} s (${ratio}x do-nothing), ${m.calls} API calls (${m.rateLimited} 429s)${m.failed ? ", FAILED" : ""}`,
          size === "alone" ? `≤ ${Math.ceil(r.n / 50)} calls, ≤ 1.3x` : `≤ ${r.n + 1} calls`,
        ]);
      }
    }
  }
  return rows;
}
