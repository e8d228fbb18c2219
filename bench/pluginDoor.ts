/**
 * `npm run bench:plugin-door`: the provider plugin's TypeScript door against a do-nothing dynamic
 * resource, the two rows the bench compares for it: `preview` of BENCH_PLUGIN_N (1000) unchanged keys,
 * and `up` of them with checkpoints skipped and no rate limit anywhere. Each measured RUNS (3) times;
 * the median is printed with every run. Figures, never asserted.
 */
import { CLI } from "../test/cli/support/cli";
import { Program } from "../test/cli/support/consumer";
import { installScratch, pack } from "../test/support/scratch";
import { CREDENTIAL, PROGRAMS, emulator, timed } from "./cli";

const N = Number(process.env.BENCH_PLUGIN_N ?? 1000);
const RUNS = Number(process.env.BENCH_PLUGIN_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  if (!CLI.dir) throw new Error(CLI.reason ?? "no Pulumi CLI");
  installScratch(pack());
  const emu = await emulator(0);
  try {
    const programs = {
      plugin: ["bench-door-plugin", new Program("bench-door-plugin", PROGRAMS.plugin, { plugin: true })],
      doNothing: ["bench-door-nothing", new Program("bench-door-nothing", PROGRAMS.nothing)],
    } as const;
    const figures: Record<string, { up: number[]; preview: number[] }> = {};
    for (const [name, [project, p]] of Object.entries(programs)) {
      await p.init("bench", CREDENTIAL, emu.url, { [`${project}:n`]: String(N), "limitly:requestsPerMinute": "0" });
      p.env.PULUMI_SKIP_CHECKPOINTS = "true";
      const f = (figures[name] = { up: [] as number[], preview: [] as number[] });
      for (let i = 0; i < RUNS; i++) {
        f.up.push((await timed(() => p.ok(["up", "--yes", "--skip-preview"])))[0]);
        f.preview.push((await timed(() => p.ok(["preview"])))[0]);
        await p.ok(["destroy", "--yes", "--skip-preview"]);
      }
    }
    const row = (what: "up" | "preview") => {
      const ours = median(figures.plugin[what]);
      const nothing = median(figures.doNothing[what]);
      return `${what}: plugin door ${round(ours)} s [${figures.plugin[what].map(round).join(", ")}], do-nothing ${round(nothing)} s [${figures.doNothing[what].map(round).join(", ")}], ratio ${round(ours / nothing)}`;
    };
    process.stdout.write(
      `${N} keys, ${RUNS} runs each, checkpoints skipped, no rate limit\n${row("preview")}\n${row("up")}\n`,
    );
  } finally {
    emu.process.kill();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
