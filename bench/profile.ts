/**
 * `npm run bench:profile`: where the CPU of a big stack goes. BENCH_PROFILE_N (1000) keys as dynamic
 * resources, as many through the provider plugin, and as many do-nothing dynamic resources are
 * brought up through the real CLI (checkpoints skipped, no rate limit: the figures are about CPU,
 * not pacing), then previewed unchanged, without and with `--refresh`. Every run profiles each Node process the engine starts
 * (the program, the dynamic provider host, the plugin) with `bench/cpuProfiler.ts`. Prints, per
 * process, the CPU time and where it went by package and by function, and the state per resource
 * by field. Figures, not assertions; the profiles are kept under .tmp/profile.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { PROGRAMS } from "./cli";
import { CLI } from "../test/cli/support/cli";
import { Program } from "../test/cli/support/consumer";
import { startAccount } from "../test/cli/support/account";
import { WORK, installScratch, pack } from "../test/support/scratch";

const N = process.env.BENCH_PROFILE_N ? Number(process.env.BENCH_PROFILE_N) : 1000;
const OUT = join(WORK, "profile");
/** BENCH_PROFILE_PROGRAMS (e.g. `keys,nothing`): profile only these of bench/cli.ts's programs. */
const ONLY = process.env.BENCH_PROFILE_PROGRAMS?.split(",");
const unknown = ONLY?.filter((name) => !(name in PROGRAMS));
if (unknown?.length)
  throw new Error(`BENCH_PROFILE_PROGRAMS names no program ${unknown.join(", ")}: ${Object.keys(PROGRAMS).join(", ")}`);
const TITLES = { up: "up creating", preview: "preview of unchanged", previewRefresh: "preview --refresh of unchanged" };
const TOP = 25;

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which process a profile came from, by the scripts it ran. */
function processOf(p: CpuProfile): string {
  const urls = p.nodes.map((n) => n.callFrame.url);
  if (urls.some((u) => u.includes("cmd/dynamic-provider"))) return "provider host";
  if (urls.some((u) => u.includes("pulumi-limitly/dist/plugin/"))) return "provider plugin";
  if (urls.some((u) => u.includes("cmd/run"))) return "program";
  return "other";
}

/** Groups a script by what shipped it: node itself, a package, or the user's program. */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return "node";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (!m) return "program";
  if (m[1] === "@pulumi/pulumi") return `@pulumi/pulumi/${m[2].split("/")[0]}`;
  return m[1];
}

interface Summary {
  process: string;
  ms: number;
  byPackage: [string, number][];
  byFunction: [string, number][];
}

/** Adds up the pieces one process wrote. */
function summarize(files: string[]): Summary {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let kind = "other";
  for (const file of files) {
    const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    if (kind === "other") kind = processOf(p);
    const self = new Map<number, number>();
    for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + p.timeDeltas[i]);
    for (const n of p.nodes) {
      const us = self.get(n.id) ?? 0;
      if (n.callFrame.functionName === "(idle)" || us === 0) continue;
      total += us;
      const pkg = packageOf(n.callFrame.url, n.callFrame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const where = n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\//, "");
      const key = `${n.callFrame.functionName || "(anonymous)"} ${where}:${n.callFrame.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    }
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([a, b]): [string, number] => [a, Math.round(b / 100) / 10]);
  return {
    process: kind,
    ms: Math.round(total / 1000),
    byPackage: top(byPackage, 12),
    byFunction: top(byFunction, TOP),
  };
}

/**
 * The bytes each field of the stack's last resource takes in the state file, as the engine writes
 * it (JSON indented by four spaces, a resource four levels deep).
 */
function stateParts(file: string): [string, number][] {
  const resources = (JSON.parse(readFileSync(file, "utf8")) as { checkpoint: { latest: { resources: object[] } } })
    .checkpoint.latest.resources;
  const last = resources[resources.length - 1] as Record<string, unknown>;
  const bytes = (v: unknown, depth: number) =>
    JSON.stringify(v, null, 4)
      .split("\n")
      .reduce((n, line) => n + line.length + 1 + depth * 4, 0);
  const parts: [string, number][] = [];
  for (const [k, v] of Object.entries(last)) {
    if ((k === "inputs" || k === "outputs") && v && typeof v === "object")
      for (const [ik, iv] of Object.entries(v)) parts.push([`${k}.${ik}`, bytes({ [ik]: iv }, 4) - bytes({}, 4)]);
    else parts.push([k, bytes({ [k]: v }, 3) - bytes({}, 3)]);
  }
  return parts.sort((a, b) => b[1] - a[1]);
}

async function profiled(
  prog: Program,
  label: string,
  args: string[],
): Promise<{ seconds: number; profiles: Summary[] }> {
  const dir = join(OUT, label);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  await prog.ok(args, {
    env: { NODE_OPTIONS: `--require ${join(__dirname, "cpuProfiler.js")}`, LIMITLY_CPU_PROFILE_DIR: dir },
  });
  const seconds = Math.round(performance.now() - t0) / 1000;
  const byPid = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const pid = f.split("-")[0];
    byPid.set(pid, [...(byPid.get(pid) ?? []), join(dir, f)]);
  }
  const profiles = [...byPid.values()]
    .map(summarize)
    .filter((s) => s.process !== "other")
    .sort((a, b) => a.process.localeCompare(b.process));
  return { seconds, profiles };
}

async function main() {
  if (!CLI.dir) throw new Error(`no Pulumi CLI: ${CLI.reason}`);
  installScratch(pack());
  const account = await startAccount("BENCHPROFILE");
  const results: Record<string, unknown> = {};
  try {
    for (const [name, source] of Object.entries(PROGRAMS).filter(
      ([name]) => ONLY === undefined || ONLY.includes(name),
    )) {
      const prog = new Program(`profile-${name}`, source, { plugin: name === "plugin" });
      await prog.init("bench", account.credential, account.emu.url, {
        [`profile-${name}:n`]: String(N),
        "limitly:requestsPerMinute": "0",
      });
      prog.env.PULUMI_SKIP_CHECKPOINTS = "true";
      process.stderr.write(`${name}: profiled up of ${N}, then preview and preview --refresh with nothing changed…\n`);
      const up = await profiled(prog, `${name}-up`, ["up", "--yes", "--skip-preview"]);
      const stateFile = join(prog.backend, ".pulumi", "stacks", `profile-${name}`, "bench.json");
      const state = statSync(stateFile).size;
      const parts = stateParts(stateFile);
      const preview = await profiled(prog, `${name}-preview`, ["preview"]);
      const previewRefresh = await profiled(prog, `${name}-preview-refresh`, ["preview", "--refresh"]);
      await prog.ok(["destroy", "--yes", "--skip-preview"]);
      results[name] = { stateBytesPerResource: Math.round(state / N), stateParts: parts, preview, previewRefresh, up };
      for (const [step, r] of Object.entries({ up, preview, previewRefresh })) {
        console.log(`\n## ${name}: ${TITLES[step as keyof typeof TITLES]} ${N}, ${r.seconds} s`);
        for (const s of r.profiles) {
          console.log(`### ${s.process}: ${s.ms} ms of CPU (${Math.round((s.ms / N) * 100) / 100} ms per resource)`);
          for (const [pkg, ms] of s.byPackage) console.log(`  ${String(ms).padStart(9)} ms  ${pkg}`);
          console.log("  top functions (self time):");
          for (const [fn, ms] of s.byFunction) console.log(`  ${String(ms).padStart(9)} ms  ${fn}`);
        }
      }
      console.log(`\n${name}: state ${Math.round(state / N)} bytes per resource; the last resource's, by field:`);
      for (const [field, bytes] of parts) console.log(`  ${String(bytes).padStart(6)}  ${field}`);
    }
  } finally {
    await account.close();
  }
  console.log(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
