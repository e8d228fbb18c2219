/**
 * `npm run bench`: figures for the provider as Pulumi runs it. Prints a table, then one JSON
 * object as the last line. Knobs: BENCH_N (1000), BENCH_CONCURRENCY (16), BENCH_RATE (6000
 * requests per minute, the emulator's limit and the provider's budget for the host-level run: a
 * rate where the floor, not the harness's CPU, dominates), BENCH_SEED, BENCH_CLI_N (1000 keys
 * through the real CLI at the emulator's default 1,000 a minute; 0 skips it), BENCH_REFRESH_N (1000
 * keys refreshed through the real CLI by each door, alone and among 10x and 100x foreign keys; 0 skips it).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { FAULT_RUN_TIMEOUT_MS, faultRun } from "../test/support/faultRun";
import { Engine, ProviderHost } from "../test/support/engine";
import { SCRATCH, declare, installScratch, pack, serializedProvider } from "../test/support/scratch";
import { ACCOUNT_KEY, API_KEY, callsDuring, startStack, type Stack } from "../test/support/stack";
import { createMany } from "../test/support/throughput";
import { cliBench } from "./cli";
import { refreshBench, refreshRows } from "./refresh";
import { CLI } from "../test/cli/support/cli";
import { overhead } from "./clientOverhead";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const N = env("BENCH_N", 1000);
const CONCURRENCY = env("BENCH_CONCURRENCY", 16);
const RATE = env("BENCH_RATE", 6000);
const CLI_N = env("BENCH_CLI_N", 1000);
const REFRESH_N = env("BENCH_REFRESH_N", 1000);
const SEED = env("BENCH_SEED", 20261122);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function callsPerOp() {
  const s = await startStack();
  try {
    const spec = { name: "Bench", userId: 1, planId: "plan_basic", rotation: "1" };
    const count = async (fn: () => Promise<unknown>) => (await callsDuring(s.emu, fn)).length;
    const result = {
      create: await count(() => s.engine.up(API_KEY, "k", spec)),
      noopPreview: await count(() => s.engine.preview(API_KEY, "k", spec)),
      update: await count(() => s.engine.up(API_KEY, "k", { ...spec, name: "Bench 2" })),
      rotate: await count(() => s.engine.up(API_KEY, "k", { ...spec, name: "Bench 2", rotation: "2" })),
      rotateRegenerate: await count(() =>
        s.engine.up(API_KEY, "k", { ...spec, name: "Bench 2", rotation: "3", rotationStrategy: "regenerate" }),
      ),
      refresh: await count(() => s.engine.refresh(API_KEY, "k")),
      delete: await count(() => s.engine.destroy(API_KEY, "k")),
      destroy: 0,
    };
    for (const n of ["a", "b", "c"]) await s.engine.up(API_KEY, n, { name: n });
    result.destroy = (await count(() => s.engine.destroyAll())) / 3;
    return result;
  } finally {
    await s.close();
  }
}

/**
 * The emulator runs in its own process (the shipped `limitly-emulator`), as the service never shares
 * a thread with the engine. After a warm-up of N creates (JIT), three runs of N creates are timed,
 * each after the budget window has refilled, and the median is reported.
 */
async function throughput() {
  const cli = join(SCRATCH, "node_modules/pulumi-limitly/dist/emulator/cli.js");
  const args = [cli, "--port", "0", "--api-key", ACCOUNT_KEY, "--rate-limit", String(RATE), "--quiet"];
  const emulator = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) =>
    emulator.stdout!.once("data", (d: Buffer) => resolve(d.toString().split("\n")[0].trim())),
  );
  const host = await ProviderHost.start();
  try {
    await host.configure({
      "limitly:apiKey": ACCOUNT_KEY,
      "limitly:baseUrl": url,
      "limitly:requestsPerMinute": String(RATE),
    });
    // createMany needs only the engine; the emulator's call log lives in the other process.
    const s = { host, engine: new Engine(host), emu: { calls: [] } } as unknown as Stack;
    await createMany(s, N, CONCURRENCY, "warm");
    const runs = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, Math.min(60_000, (N / RATE) * 60_000)));
      runs.push(await createMany(s, N, CONCURRENCY, `run${i}-`));
    }
    const seconds = median(runs.map((r) => r.seconds));
    // The budget lets a burst of RATE/60 through at once; the rest is paced at RATE/60 a second.
    const floorSeconds = Math.max(0, N - RATE / 60) / (RATE / 60);
    return {
      n: N,
      concurrency: CONCURRENCY,
      ratePerMinute: RATE,
      seconds: round(seconds),
      floorSeconds: round(floorSeconds),
      ratio: round(floorSeconds / seconds),
      failures: runs.reduce((a, r) => a + r.failures, 0),
      runs: runs.map((r) => round(r.seconds)),
    };
  } finally {
    await host.stop();
    emulator.kill();
  }
}

async function faults() {
  const s = await startStack({
    emulator: { rateLimitPerMinute: 0 },
    extraConfig: { "limitly:requestsPerMinute": "60000", "limitly:timeoutMs": String(FAULT_RUN_TIMEOUT_MS) },
  });
  try {
    const r = await faultRun(s, { seed: SEED, resources: 60, operations: 240, concurrency: 8, probability: 0.25 });
    return {
      seed: SEED,
      operations: r.operations,
      failedOperations: r.failed,
      injected: Object.values(r.injected).reduce((a, b) => a + b, 0),
      duplicates: r.duplicates,
      orphans: r.orphans,
      lost: r.lost,
    };
  } finally {
    await s.close();
  }
}

async function main() {
  process.stderr.write("packing and installing into the scratch project…\n");
  installScratch(pack());
  declare();
  const providerBytes = Buffer.byteLength(serializedProvider(API_KEY));
  process.stderr.write("counting API calls per operation…\n");
  const calls = await callsPerOp();
  process.stderr.write(`creating ${N} keys at concurrency ${CONCURRENCY}…\n`);
  const tp = await throughput();
  process.stderr.write("measuring client overhead…\n");
  const oh = await overhead();
  process.stderr.write("running one seeded fault run…\n");
  const fr = await faults();
  const cli = CLI_N > 0 ? await cliBench(CLI_N) : { skipped: "BENCH_CLI_N=0" };
  const refresh = REFRESH_N > 0 && CLI.dir ? await refreshBench(REFRESH_N) : undefined;

  const rows: [string, string, string][] = [
    ["serialized provider", `${providerBytes} bytes`, "≤ 2048"],
    ...Object.entries(calls).map(
      ([k, v]) =>
        [
          `API calls: ${k}`,
          String(v),
          { create: "1", noopPreview: "0", update: "1", rotate: "2", refresh: "1", delete: "1" }[k] ?? "",
        ] as [string, string, string],
    ),
    [
      `throughput: ${tp.n} creates @${tp.concurrency}`,
      `median ${tp.seconds} s of ${tp.runs.join(" / ")} (floor ${tp.floorSeconds} s, ratio ${tp.ratio}, failures ${tp.failures})`,
      "ratio ≥ 0.9, 0 failures",
    ],
    ["client create vs raw undici POST", `${oh.clientMs} ms vs ${oh.rawMs} ms (ratio ${oh.ratio})`, "≤ 1.3"],
    [
      `fault run, seed ${fr.seed}`,
      `${fr.operations} ops, ${fr.injected} faults: ${fr.duplicates} dup, ${fr.orphans} orphan, ${fr.lost} lost`,
      "0 / 0 / 0",
    ],
    ...cliRows(cli),
    ...(refresh ? refreshRows(refresh) : [["refresh through the real CLI", "skipped", ""] as [string, string, string]]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`${"figure".padEnd(w0)}  ${"measured".padEnd(w1)}  goal`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  console.log(
    JSON.stringify({
      providerBytes,
      callsPerOp: calls,
      throughput: {
        n: tp.n,
        concurrency: tp.concurrency,
        ratePerMinute: tp.ratePerMinute,
        seconds: tp.seconds,
        floorSeconds: tp.floorSeconds,
        ratio: tp.ratio,
        failures: tp.failures,
      },
      overhead: oh,
      faults: { operations: fr.operations, duplicates: fr.duplicates, orphans: fr.orphans, lost: fr.lost },
      cli,
      refresh,
    }),
  );
}

function cliRows(c: Awaited<ReturnType<typeof cliBench>>): [string, string, string][] {
  if ("skipped" in c) return [["real CLI", `skipped: ${c.skipped}`, ""]];
  return [
    [
      `pulumi up: ${c.n} keys @${c.ratePerMinute}/min`,
      `${c.up.seconds} s (floor ${c.up.floorSeconds} s, ratio ${c.up.ratio}, ${c.up.rateLimited} 429s, ${c.up.failed ? "FAILED" : "0 failures"})`,
      "0 failures",
    ],
    [`pulumi preview: ${c.n} unchanged`, `${c.preview.seconds} s, ${c.preview.calls} API calls`, "0 calls"],
    [
      `pulumi refresh: ${c.n}`,
      `${c.refresh.seconds} s, ${c.refresh.calls} API calls`,
      `≤ ${Math.ceil(c.n / 50)} calls`,
    ],
    [
      `pulumi destroy: ${c.n}`,
      `${c.destroy.seconds} s, ${c.destroy.failed ? "FAILED" : "0 failures"}, ${c.destroy.liveLeft} keys left`,
      "0 left",
    ],
    [`state per key: dynamic resource`, `${c.stateBytesPerKey} bytes`, ""],
    [
      `plugin: pulumi up: ${c.n} keys`,
      `${c.plugin.up.seconds} s (floor ${c.up.floorSeconds} s, ratio ${c.plugin.up.ratio}, ${c.plugin.up.failed ? "FAILED" : "0 failures"})`,
      "0 failures",
    ],
    [
      `plugin: pulumi preview: ${c.n} unchanged`,
      `${c.plugin.preview.seconds} s, ${c.plugin.preview.calls} API calls`,
      "0 calls",
    ],
    [
      `plugin: pulumi destroy: ${c.n}`,
      `${c.plugin.destroy.seconds} s, ${c.plugin.destroy.failed ? "FAILED" : "0 failures"}`,
      "0 failures",
    ],
    [`state per key: plugin`, `${c.plugin.stateBytesPerKey} bytes`, ""],
    ...(["keys", "plugin", "doNothing"] as const).map((k): [string, string, string] => [
      `skipping checkpoints: ${k === "keys" ? "dynamic resource" : k === "plugin" ? "plugin" : "do-nothing"}`,
      `up ${c.skipCheckpoints[k].up} s${k === "doNothing" ? "" : ` (ratio ${Math.round((c.up.floorSeconds / c.skipCheckpoints[k].up) * 1000) / 1000})`}, destroy ${c.skipCheckpoints[k].destroy} s${c.skipCheckpoints[k].failed ? ", FAILED" : ""}`,
      k === "doNothing" ? "" : "up ratio ≥ 0.9",
    ]),
    ...(["keys", "plugin"] as const).map((k): [string, string, string] => [
      `no rate limit, skipping checkpoints: ${k === "keys" ? "dynamic resource" : "plugin"}`,
      `up ${c.noRateLimit[k].up} s (${k === "keys" ? c.engineRatio.unlimitedUp : c.engineRatio.pluginUnlimitedUp}× do-nothing's ${c.skipCheckpoints.doNothing.up} s), destroy ${c.noRateLimit[k].destroy} s${c.noRateLimit[k].failed ? ", FAILED" : ""}`,
      "up ≤ 1.3× do-nothing",
    ]),
    [
      `do-nothing resource x${c.n}`,
      `up ${c.doNothing.upSeconds} s, preview ${c.doNothing.previewSeconds} s; ours/theirs up ${c.engineRatio.up}, preview ${c.engineRatio.preview}`,
      "preview ≤ 1.3",
    ],
  ];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
