/**
 * `npm run soak`: the seeded fault run of the test suite, over many seeds and two fault rates,
 * through Pulumi's provider host. Each run ends with a census (duplicates, orphans, lost values,
 * missing keys); the last line printed is one JSON object with the totals, and the exit code is 1
 * when any run found a defect. `SOAK_SEEDS` (default 30), `SOAK_RATES` (default 0.25,0.5) and
 * `SOAK_PARALLEL` (runs at once, default 3: a run mostly waits) change it.
 */
import { FAULT_RUN_TIMEOUT_MS, faultRun, type FaultRunReport } from "../test/support/faultRun";
import { declare, installScratch, pack } from "../test/support/scratch";
import { startStack } from "../test/support/stack";

const SEEDS = Number(process.env.SOAK_SEEDS ?? 30);
const RATES = (process.env.SOAK_RATES ?? "0.25,0.5").split(",").map(Number);
const PARALLEL = Math.max(1, Number(process.env.SOAK_PARALLEL ?? 3));
const FIRST_SEED = Number(process.env.SOAK_FIRST_SEED ?? 1);

interface Row {
  seed: number;
  rate: number;
  report?: FaultRunReport;
  crashed?: string;
}

async function one(seed: number, rate: number): Promise<Row> {
  const s = await startStack({
    emulator: { rateLimitPerMinute: 0 },
    extraConfig: { "limitly:requestsPerMinute": "60000", "limitly:timeoutMs": String(FAULT_RUN_TIMEOUT_MS) },
  });
  try {
    return {
      seed,
      rate,
      report: await faultRun(s, { seed, resources: 60, operations: 240, concurrency: 8, probability: rate }),
    };
  } catch (e) {
    return { seed, rate, crashed: (e as Error).message };
  } finally {
    await s.close();
  }
}

const defects = (r: Row) =>
  r.crashed ? 1 : r.report!.duplicates + r.report!.orphans + r.report!.lost + r.report!.missing;

async function main() {
  process.stderr.write("packing and installing into the scratch project…\n");
  installScratch(pack());
  declare();
  const jobs = RATES.flatMap((rate) => Array.from({ length: SEEDS }, (_, i) => ({ seed: FIRST_SEED + i, rate })));
  const rows: Row[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const row = await one(job.seed, job.rate);
      rows.push(row);
      const r = row.report;
      process.stdout.write(
        `rate ${job.rate} seed ${job.seed}: ` +
          (r
            ? `${r.operations} ops, ${r.failed} failed cleanly, ${Object.values(r.injected).reduce((a, b) => a + b, 0)} faults; ` +
              `duplicates ${r.duplicates}, orphans ${r.orphans}, lost ${r.lost}, missing ${r.missing}, marked ${r.marked}`
            : `CRASHED: ${row.crashed}`) +
          `${defects(row) ? "  <-- DEFECT" : ""}\n`,
      );
      if (r && defects(row)) {
        for (const d of r.details) process.stdout.write(`    defect: ${d}\n`);
        for (const e of r.errors) process.stdout.write(`    failed: ${e.slice(0, 400)}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const sum = (f: (r: FaultRunReport) => number) => rows.reduce((n, r) => n + (r.report ? f(r.report) : 0), 0);
  const table = RATES.map((rate) => {
    const mine = rows.filter((r) => r.rate === rate);
    return `rate ${rate}: ${mine.length} runs, ${mine.filter((r) => defects(r) > 0).length} with a defect`;
  });
  process.stdout.write(`${table.join("\n")}\n${Math.round((Date.now() - started) / 1000)} s\n`);
  const totals = {
    runs: rows.length,
    seeds: SEEDS,
    rates: RATES,
    operations: sum((r) => r.operations),
    duplicates: sum((r) => r.duplicates),
    orphans: sum((r) => r.orphans),
    lost: sum((r) => r.lost),
    missing: sum((r) => r.missing),
    crashed: rows.filter((r) => r.crashed).length,
    failedCleanly: sum((r) => r.failed),
  };
  process.stdout.write(`${JSON.stringify(totals)}\n`);
  process.exitCode = rows.some((r) => defects(r) > 0) ? 1 : 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
