/**
 * `PULUMI_SKIP_CHECKPOINTS=true` (Pulumi's switch for file and S3 backends: the state is written at
 * the end of a run, not after every step) with this provider, at scale, under the real CLI. A
 * `pulumi up` of 200 more keys, killed half-way, loses every step of the run from the state; after
 * `pulumi cancel`, the next `up` takes over the keys the killed run created (by their owner tags,
 * which name the stack identity its earlier run recorded; regenerating each, since its value was
 * never seen) instead of creating them again. A stack's *first* run killed so recorded no identity:
 * its keys cannot be proven to be the stack's, so they are never taken; the next run creates its
 * own, `limitly keys orphans` lists the strays apart, and the plan and user (no owner tag: Limitly
 * stores no metadata for them) are created again, the first copies left unused, as docs/large-stacks.md says.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(300_000);

const N = 200;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";

const n = new pulumi.Config().requireNumber("n");
const plan = new limitly.Plan("plan", { name: "Bulk", maxRequests: 1000, requestPeriod: "month" });
const user = new limitly.User("user", { name: "Bulk user", planId: plan.id });
const keys = Array.from(
  { length: n },
  (_, i) => new limitly.ApiKey(\`k\${i}\`, { name: \`key \${i}\`, planId: plan.id, userId: user.id }),
);
export const values = pulumi.all(keys.map((k) => k.apiKey));
export const ids = pulumi.all(keys.map((k) => k.id));
`;

describeWithCli(`skipping checkpoints: a pulumi up of keys killed half-way`, () => {
  let account: Account;
  const programs: Program[] = [];
  const values: string[] = [];

  beforeAll(async () => {
    account = await startAccount("SKIPCHECKPOINTS");
  });
  afterAll(() => account?.close());

  const program = async (name: string, n: number) => {
    const p = new Program(name, PROGRAM);
    programs.push(p);
    p.env.PULUMI_SKIP_CHECKPOINTS = "true";
    await p.init("dev", account.credential, account.emu.url, { [`${name}:n`]: String(n) });
    return p;
  };
  const creates = () => account.emu.calls.filter((c) => c.method === "POST" && c.route === "/keys").length;
  /** Runs `up`, killing the whole run once `after` more keys were created. */
  const killedUp = async (p: Program, after: number) => {
    const from = creates();
    let kill!: () => void;
    const run = p.pulumi(["up", "--yes", "--skip-preview"], { killer: (k) => (kill = k) });
    while (creates() - from < after) await new Promise((r) => setTimeout(r, 50));
    kill();
    expect((await run).code).not.toBe(0);
  };
  /** What `limitly keys orphans` says of the stack, as its JSON. */
  const orphans = async (p: Program) => {
    const file = join(p.dir, "stack.json");
    writeFileSync(file, (await p.ok(["stack", "export"])).stdout);
    // Not spawnSync: the emulator answering it runs in this process.
    const r = await promisify(execFile)(
      process.execPath,
      [
        join(p.dir, "node_modules", "pulumi-limitly", "dist", "cli", "limitly.js"),
        "keys",
        "orphans",
        "--stack-state",
        file,
        "--json",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, LIMITLY_API_KEY: account.credential, LIMITLY_BASE_URL: account.emu.url },
      },
    );
    return (JSON.parse(r.stdout) as { orphans: { id: string; whose: string }[] }).orphans;
  };

  test("a deployed stack: cancel, up again: every key exists once, in the state, and works", async () => {
    const p = await program("skip-deployed", 10);
    await p.ok(["up", "--yes", "--skip-preview"]);
    await p.ok(["config", "set", "skip-deployed:n", String(N)]);
    await killedUp(p, (N - 10) / 2);
    const leftBehind = account.emu.store.liveKeys().length - 10;
    expect(leftBehind).toBeGreaterThanOrEqual((N - 10) / 2);
    expect(leftBehind).toBeLessThan(N - 10);
    // Nothing of the killed run reached the state: it still holds the first run's 10 keys.
    const killed = await p.exported();
    expect(killed.deployment.resources.filter((r) => r.type.endsWith(":ApiKey"))).toHaveLength(10);

    await p.ok(["cancel", "--yes"]);
    const before = account.emu.calls.length;
    await p.ok(["up", "--yes", "--skip-preview"]);
    const second = account.emu.calls.slice(before);
    // The keys left behind were taken over (one regenerate each), only the rest created.
    expect(second.filter((c) => c.route === "/keys/:id/regenerate")).toHaveLength(leftBehind);
    expect(second.filter((c) => c.method === "POST" && c.route === "/keys")).toHaveLength(N - 10 - leftBehind);

    const live = account.emu.store.liveKeys();
    expect(live).toHaveLength(N); // 0 duplicates
    const state = await p.exported();
    const held = new Set(state.deployment.resources.filter((r) => r.type.endsWith(":ApiKey")).map((r) => r.id));
    expect(live.filter((k) => !held.has(k.id)).map((k) => k.id)).toEqual([]); // 0 orphans
    expect(await orphans(p)).toEqual([]);
    const out = (await p.outputs()) as { values: string[]; ids: string[] };
    values.push(...out.values);
    expect(new Set(out.ids).size).toBe(N);
    const working = await Promise.all(out.values.map((v) => account.validates(v)));
    expect(working.filter((ok) => !ok)).toHaveLength(0);

    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
  });

  test("a first run killed: its keys are never taken, orphans lists them apart; the plan and user are created again", async () => {
    const n = 20;
    const plansBefore = new Set(account.emu.store.livePlans().map((x) => x.id));
    const usersBefore = new Set(account.emu.store.liveUsers().map((x) => x.user_id));
    const p = await program("skip-first", n);
    await killedUp(p, n / 2);
    const strays = account.emu.store.liveKeys().map((k) => k.id);
    expect(strays.length).toBeGreaterThanOrEqual(n / 2);
    const [firstPlan] = account.emu.store
      .livePlans()
      .filter((x) => !plansBefore.has(x.id))
      .map((x) => x.id);
    const [firstUser] = account.emu.store
      .liveUsers()
      .filter((x) => !usersBefore.has(x.user_id))
      .map((x) => x.user_id);
    expect(firstPlan).toBeDefined();
    expect(firstUser).toBeDefined();
    expect((await p.exported()).deployment.resources ?? []).toEqual([]);

    await p.ok(["cancel", "--yes"]);
    const before = account.emu.calls.length;
    await p.ok(["up", "--yes", "--skip-preview"]);
    const second = account.emu.calls.slice(before);
    expect(second.filter((c) => c.route === "/keys/:id/regenerate")).toEqual([]);
    expect(second.filter((c) => c.method === "POST" && c.route === "/keys")).toHaveLength(n);
    const out = (await p.outputs()) as { values: string[]; ids: string[] };
    values.push(...out.values);
    expect(out.ids.filter((id) => strays.includes(id))).toEqual([]);
    const working = await Promise.all(out.values.map((v) => account.validates(v)));
    expect(working.filter((ok) => !ok)).toHaveLength(0);
    // The strays are listed as this stack's names without proof, for a person to delete.
    const listed = await orphans(p);
    expect(listed.map((o) => o.id).sort()).toEqual([...strays].sort());
    expect(new Set(listed.map((o) => o.whose))).toEqual(new Set(["same names, unproven"]));

    // Every key belongs to the plan and user the stack holds; the killed run's copies are unused.
    const state = await p.exported();
    const heldPlan = state.deployment.resources.find((r) => r.type.endsWith(":Plan"))!.id!;
    expect(heldPlan).not.toBe(firstPlan);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(
      account.emu.store
        .liveKeys()
        .map((k) => k.id)
        .sort(),
    ).toEqual([...strays].sort());
    expect(account.emu.store.livePlans().map((x) => x.id)).toEqual([firstPlan]);
    expect(account.emu.store.liveUsers().map((u) => u.user_id)).toEqual([firstUser]);
  });

  test("no credential or key value in plaintext in any state, file or output", () => {
    for (const p of programs)
      expect(plaintextSecrets([account.credential, ...values], [p.backend, p.dir], p.printed)).toEqual([]);
  });
});
