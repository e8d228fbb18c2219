/**
 * `npm run bench:policy`: what the key-hygiene policy pack costs a preview. One stack of
 * BENCH_POLICY_N keys (100) through the real CLI against the emulator; after one `up`, BENCH_RUNS (3)
 * `pulumi preview`s without the pack and as many with it (every policy at advisory, so all of them
 * run), alternating. Prints each run, then one JSON object as the last line. Figures, not assertions.
 */
import { join } from "node:path";
import { CLI } from "../test/cli/support/cli";
import { Program } from "../test/cli/support/consumer";
import { writePolicyPack } from "../test/cli/support/policyPack";
import { startAccount } from "../test/cli/support/account";
import { installScratch, pack } from "../test/support/scratch";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const N = env("BENCH_POLICY_N", 100);
const RUNS = env("BENCH_RUNS", 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const PROGRAM = `import * as limitly from "pulumi-limitly";
export const values = Array.from({ length: ${N} }, (_, i) =>
  new limitly.ApiKey(\`k\${i}\`, { name: \`k\${i}\`, userId: 7, planId: "plan_basic", rotateAfterDays: 30 }).apiKey,
);
`;

async function main() {
  if (!CLI.dir) throw new Error(`no Pulumi CLI: ${CLI.reason}`);
  installScratch(pack());
  const account = await startAccount("BENCHPOLICY");
  try {
    const prog = new Program("bench-policy", PROGRAM);
    const packDir = writePolicyPack(join(prog.dir, "policy"), join(prog.dir, "node_modules"));
    await prog.init("prod", account.credential, account.emu.url);
    await prog.ok(["up", "--yes"]);
    const timed = async (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const r = await prog.ok(args);
      return { s: Number(process.hrtime.bigint() - t0) / 1e9, stdout: r.stdout };
    };
    const without: number[] = [];
    const withPack: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push((await timed(["preview"])).s);
      const r = await timed(["preview", "--policy-pack", packDir]);
      if (!/limitly-key-hygiene@v1\.0\.0/.test(r.stdout)) throw new Error(`the pack did not run:\n${r.stdout}`);
      withPack.push(r.s);
      console.log(`run ${i + 1}: preview ${without[i].toFixed(2)} s, with the pack ${withPack[i].toFixed(2)} s`);
    }
    await prog.ok(["destroy", "--yes"]);
    const result = {
      keys: N,
      runs: RUNS,
      previewS: Number(median(without).toFixed(2)),
      previewWithPackS: Number(median(withPack).toFixed(2)),
      packCostS: Number((median(withPack) - median(without)).toFixed(2)),
    };
    console.log(JSON.stringify(result));
  } finally {
    await account.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
