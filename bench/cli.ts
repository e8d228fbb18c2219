/**
 * Real-engine figures: `pulumi up`, `preview`, `refresh` and `destroy` of BENCH_CLI_N keys in one
 * stack, through the real CLI, against the shipped `limitly-emulator` in its own process at its
 * default limit (1,000 requests a minute); then the same `up` and `preview` of as many do-nothing
 * dynamic resources, so that the engine's own cost shows next to ours. Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { CLI } from "../test/cli/support/cli";
import { Program } from "../test/cli/support/consumer";
import { SCRATCH } from "../test/support/scratch";

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export const CREDENTIAL = "lk_acct_BENCH_cli_0123456789";

export interface Emulator {
  url: string;
  /** Status codes of the requests seen so far. */
  statuses: number[];
  process: ChildProcess;
}

/** The shipped emulator in its own process; `extra`: more of its arguments (`--state <file>`). */
export async function emulator(ratePerMinute: number, extra: string[] = []): Promise<Emulator> {
  const cli = join(SCRATCH, "node_modules/pulumi-limitly/dist/emulator/cli.js");
  const args = [cli, "--port", "0", "--api-key", CREDENTIAL, "--rate-limit", String(ratePerMinute), ...extra];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const statuses: number[] = [];
  let buffered = "";
  const url = await new Promise<string>((resolve) => {
    child.stdout!.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("http")) resolve(line.trim());
        const m = / (\d{3}|dropped) [\d.]+ms$/.exec(line);
        if (m) statuses.push(m[1] === "dropped" ? 0 : Number(m[1]));
      }
    });
  });
  return { url, statuses, process: child };
}

/**
 * The bench's programs (bench:profile runs them too): n keys, the same keys through the provider
 * plugin's TypeScript classes (pulumi-limitly/plugin), and n do-nothing dynamic resources.
 */
export const PROGRAMS = {
  keys: `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";
const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) new limitly.ApiKey(\`k\${i}\`, { name: \`bench key \${i}\` });
`,
  plugin: `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly/plugin";
const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) new limitly.ApiKey(\`k\${i}\`, { name: \`bench key \${i}\` });
`,
  nothing: `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "x", outs: {} };
  },
};
class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(provider, name, {}, {});
  }
}
const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) new Nothing(\`r\${i}\`);
`,
};

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [(performance.now() - t0) / 1000, r];
}

export interface CliBench {
  cli: string;
  n: number;
  ratePerMinute: number;
  up: { seconds: number; floorSeconds: number; ratio: number; calls: number; rateLimited: number; failed: boolean };
  preview: { seconds: number; calls: number };
  refresh: { seconds: number; calls: number };
  destroy: { seconds: number; calls: number; failed: boolean; liveLeft: number };
  /** Bytes of the stack's state file per key, after up. */
  stateBytesPerKey: number;
  /** The same keys through the provider plugin. */
  plugin: {
    up: { seconds: number; ratio: number; calls: number; failed: boolean };
    preview: { seconds: number; calls: number };
    destroy: { seconds: number; calls: number; failed: boolean };
    stateBytesPerKey: number;
  };
  doNothing: { upSeconds: number; previewSeconds: number };
  /** `up` and `destroy` of each program again with `PULUMI_SKIP_CHECKPOINTS=true`, in seconds. */
  skipCheckpoints: Record<"keys" | "plugin" | "doNothing", { up: number; destroy: number; failed: boolean }>;
  /** `up` and `destroy` with checkpoints skipped and no rate limit anywhere, in seconds. */
  noRateLimit: Record<"keys" | "plugin", { up: number; destroy: number; failed: boolean }>;
  /** Our up and preview over the do-nothing resource's; `unlimitedUp`: both skipping checkpoints, ours with no rate limit. */
  engineRatio: { up: number; preview: number; unlimitedUp: number; pluginUnlimitedUp: number };
}

export async function cliBench(n: number, ratePerMinute = 1000): Promise<CliBench | { skipped: string }> {
  if (!CLI.dir) return { skipped: CLI.reason ?? "no Pulumi CLI" };
  const emu = await emulator(ratePerMinute);
  try {
    const p = new Program("bench-keys", PROGRAMS.keys);
    await p.init("bench", CREDENTIAL, emu.url, {
      "bench-keys:n": String(n),
      "limitly:requestsPerMinute": String(ratePerMinute),
    });
    const calls = async (fn: () => Promise<{ code: number }>) => {
      const from = emu.statuses.length;
      const [seconds, r] = await timed(fn);
      const during = emu.statuses.slice(from);
      return {
        seconds,
        failed: r.code !== 0,
        calls: during.length,
        rateLimited: during.filter((s) => s === 429).length,
      };
    };
    /** The stack's state file, per key. */
    const stateBytes = (prog: Program, project: string) =>
      round(statSync(join(prog.backend, ".pulumi", "stacks", project, "bench.json")).size / n, 0);
    process.stderr.write(`pulumi up of ${n} keys…\n`);
    const up = await calls(() => p.pulumi(["up", "--yes", "--skip-preview"]));
    const stateBytesPerKey = stateBytes(p, "bench-keys");
    process.stderr.write("pulumi preview…\n");
    const preview = await calls(() => p.pulumi(["preview"]));
    process.stderr.write("pulumi refresh…\n");
    const refresh = await calls(() => p.pulumi(["refresh", "--yes", "--skip-preview"]));
    process.stderr.write("pulumi destroy…\n");
    const destroy = await calls(() => p.pulumi(["destroy", "--yes", "--skip-preview"]));
    const list = await fetch(`${emu.url}/keys?limit=1`, { headers: { authorization: `Bearer ${CREDENTIAL}` } });
    const liveLeft = ((await list.json()) as { count?: number; data: unknown[] }).count ?? -1;

    process.stderr.write(`the same ${n} keys through the provider plugin…\n`);
    const pp = new Program("bench-plugin", PROGRAMS.plugin, { plugin: true });
    await pp.init("bench", CREDENTIAL, emu.url, {
      "bench-plugin:n": String(n),
      "limitly:requestsPerMinute": String(ratePerMinute),
    });
    const pUp = await calls(() => pp.pulumi(["up", "--yes", "--skip-preview"]));
    const pState = stateBytes(pp, "bench-plugin");
    const pPreview = await calls(() => pp.pulumi(["preview"]));
    const pDestroy = await calls(() => pp.pulumi(["destroy", "--yes", "--skip-preview"]));

    process.stderr.write(`the same with ${n} do-nothing dynamic resources…\n`);
    const q = new Program("bench-nothing", PROGRAMS.nothing);
    await q.init("bench", CREDENTIAL, emu.url, { "bench-nothing:n": String(n) });
    const [nothingUp] = await timed(() => q.ok(["up", "--yes", "--skip-preview"]));
    const [nothingPreview] = await timed(() => q.ok(["preview"]));
    await q.ok(["destroy", "--yes", "--skip-preview"]);

    // Pulumi's switch for file and S3 backends: the state is written once at the end, not per step.
    process.stderr.write("the same up and destroy of all three with PULUMI_SKIP_CHECKPOINTS=true…\n");
    const skipping = async (prog: Program) => {
      prog.env.PULUMI_SKIP_CHECKPOINTS = "true";
      const upRun = await calls(() => prog.pulumi(["up", "--yes", "--skip-preview"]));
      const destroyRun = await calls(() => prog.pulumi(["destroy", "--yes", "--skip-preview"]));
      delete prog.env.PULUMI_SKIP_CHECKPOINTS;
      return {
        up: round(upRun.seconds),
        destroy: round(destroyRun.seconds),
        failed: upRun.failed || destroyRun.failed,
      };
    };
    const skipCheckpoints = { keys: await skipping(p), plugin: await skipping(pp), doNothing: await skipping(q) };

    // Without any rate limit (the emulator's and the provider's budget both off) what is left of an
    // up over the do-nothing resource's is CPU and the API's own round trips.
    process.stderr.write("the same up and destroy with no rate limit at all, checkpoints skipped…\n");
    const free = await emulator(0);
    const unlimited = async (prog: Program) => {
      const set = (url: string, rate: number) =>
        prog
          .ok(["config", "set", "limitly:baseUrl", url])
          .then(() => prog.ok(["config", "set", "limitly:requestsPerMinute", String(rate)]));
      await set(free.url, 0);
      try {
        return await skipping(prog);
      } finally {
        await set(emu.url, ratePerMinute);
      }
    };
    let noRateLimit: CliBench["noRateLimit"];
    try {
      noRateLimit = { keys: await unlimited(p), plugin: await unlimited(pp) };
    } finally {
      free.process.kill();
    }

    // The provider's budget lets a burst of rate/60 through at once; the rest is paced.
    const floorSeconds = Math.max(0, n - ratePerMinute / 60) / (ratePerMinute / 60);
    return {
      cli: CLI.dir,
      n,
      ratePerMinute,
      up: {
        seconds: round(up.seconds),
        floorSeconds: round(floorSeconds),
        ratio: round(floorSeconds / up.seconds, 3),
        calls: up.calls,
        rateLimited: up.rateLimited,
        failed: up.failed,
      },
      preview: { seconds: round(preview.seconds), calls: preview.calls },
      refresh: { seconds: round(refresh.seconds), calls: refresh.calls },
      destroy: { seconds: round(destroy.seconds), calls: destroy.calls, failed: destroy.failed, liveLeft },
      stateBytesPerKey,
      plugin: {
        up: {
          seconds: round(pUp.seconds),
          ratio: round(floorSeconds / pUp.seconds, 3),
          calls: pUp.calls,
          failed: pUp.failed,
        },
        preview: { seconds: round(pPreview.seconds), calls: pPreview.calls },
        destroy: { seconds: round(pDestroy.seconds), calls: pDestroy.calls, failed: pDestroy.failed },
        stateBytesPerKey: pState,
      },
      doNothing: { upSeconds: round(nothingUp), previewSeconds: round(nothingPreview) },
      skipCheckpoints,
      noRateLimit,
      engineRatio: {
        up: round(up.seconds / nothingUp),
        preview: round(preview.seconds / nothingPreview),
        unlimitedUp: round(noRateLimit.keys.up / skipCheckpoints.doNothing.up),
        pluginUnlimitedUp: round(noRateLimit.plugin.up / skipCheckpoints.doNothing.up),
      },
    };
  } finally {
    emu.process.kill();
  }
}
