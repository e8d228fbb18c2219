/**
 * `PULUMI_SKIP_CHECKPOINTS=true` (Pulumi's switch for file and S3 backends: the state is written at
 * the end of a run, not after every step) with this provider, at scale, under the real CLI: a
 * `pulumi up` of 200 keys killed half-way loses every step of the run from the state; after
 * `pulumi cancel`, the next `up` takes over the keys the killed run created (by their owner tags,
 * regenerating each, since its value was never seen) instead of creating them again. The plan and
 * the user the keys belong to carry no owner tag (Limitly stores no metadata for them): they are
 * created again, and the first copies stay in the account, unused, as the README says.
 */
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

describeWithCli(`skipping checkpoints: a pulumi up of ${N} keys killed half-way`, () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    account = await startAccount("SKIPCHECKPOINTS");
    prog = new Program("skip-checkpoints", PROGRAM);
    prog.env.PULUMI_SKIP_CHECKPOINTS = "true";
    await prog.init("dev", account.credential, account.emu.url, { "skip-checkpoints:n": String(N) });
  });
  afterAll(() => account?.close());

  test("cancel, up again: every key exists once, in the state, and works; the plan and user are created again, their first copies unused", async () => {
    const creates = () => account.emu.calls.filter((c) => c.method === "POST" && c.route === "/keys").length;
    let kill!: () => void;
    const run = prog.pulumi(["up", "--yes", "--skip-preview"], { killer: (k) => (kill = k) });
    while (creates() < N / 2) await new Promise((r) => setTimeout(r, 50));
    kill();
    expect((await run).code).not.toBe(0);
    const leftBehind = account.emu.store.liveKeys().length;
    expect(leftBehind).toBeGreaterThanOrEqual(N / 2);
    expect(leftBehind).toBeLessThan(N);
    // Nothing of the killed run reached the state, though its plan and user exist.
    const killed = await prog.exported();
    expect((killed.deployment.resources ?? []).filter((r) => r.type.includes("limitly:"))).toEqual([]);
    const [firstPlan] = account.emu.store.livePlans().map((p) => p.id);
    const [firstUser] = account.emu.store.liveUsers().map((u) => u.user_id);
    expect(firstPlan).toBeDefined();
    expect(firstUser).toBeDefined();

    await prog.ok(["cancel", "--yes"]);
    const before = account.emu.calls.length;
    await prog.ok(["up", "--yes", "--skip-preview"]);
    const second = account.emu.calls.slice(before);
    // The keys left behind were taken over (one regenerate each), only the rest created.
    expect(second.filter((c) => c.route === "/keys/:id/regenerate")).toHaveLength(leftBehind);
    expect(second.filter((c) => c.method === "POST" && c.route === "/keys")).toHaveLength(N - leftBehind);

    const live = account.emu.store.liveKeys();
    expect(live).toHaveLength(N); // 0 duplicates
    const state = await prog.exported();
    const held = new Set(state.deployment.resources.filter((r) => r.type.endsWith(":ApiKey")).map((r) => r.id));
    expect(live.filter((k) => !held.has(k.id)).map((k) => k.id)).toEqual([]); // 0 orphans
    // The plan and the user were created again; every key belongs to the ones the stack holds, and
    // the killed run's copies are unused.
    const heldPlan = state.deployment.resources.find((r) => r.type.endsWith(":Plan"))!.id!;
    const heldUser = Number(state.deployment.resources.find((r) => r.type.endsWith(":User"))!.id);
    expect(heldPlan).not.toBe(firstPlan);
    expect(heldUser).not.toBe(firstUser);
    expect(new Set(live.map((k) => k.plan_id))).toEqual(new Set([heldPlan]));
    expect(new Set(live.map((k) => Number(k.user_id)))).toEqual(new Set([heldUser]));
    const { values, ids } = (await prog.outputs()) as { values: string[]; ids: string[] };
    expect(new Set(ids).size).toBe(N);
    const working = await Promise.all(values.map((v) => account.validates(v)));
    expect(working.filter((ok) => !ok)).toHaveLength(0);

    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans().map((p) => p.id)).toEqual([firstPlan]);
    expect(account.emu.store.liveUsers().map((u) => u.user_id)).toEqual([firstUser]);
    expect(plaintextSecrets([account.credential, ...values], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
