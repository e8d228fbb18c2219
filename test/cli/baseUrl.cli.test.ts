/**
 * A mistyped base URL under the real `pulumi` CLI (the dynamic resources): every object answers 404
 * there, which must never read as "deleted". `pulumi refresh` and `pulumi destroy` fail saying why,
 * naming the base URL and never the credential; the keys keep working and nothing leaves the stack.
 */
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, type StateResource } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(300_000);

describeWithCli("a mistyped limitly:baseUrl under the real pulumi CLI", () => {
  let account: Account;
  beforeAll(async () => {
    account = await startAccount("BASEURL");
  });
  afterAll(() => account?.close());
  const callsDuring = (fn: () => Promise<unknown>) => account.callsDuring(fn);

  test("refresh and destroy fail naming the base URL; the key stays live and nothing leaves the state", async () => {
    const p = new Program(
      "wrong-base-url",
      `import * as limitly from "pulumi-limitly";
const plan = new limitly.Plan("pro", { name: "Pro", maxRequests: 100, requestPeriod: "month" });
const user = new limitly.User("acme", { name: "Acme", planId: plan.id });
const key = new limitly.ApiKey("web", { name: "Web", planId: plan.id, userId: user.userId });
export const value = key.apiKey;
`,
    );
    await p.init("dev", account.credential, account.emu.url);
    await p.ok(["up", "--yes", "--skip-preview"]);
    const value = String((await p.outputs()).value);
    const held = (r: StateResource[]) =>
      r
        .filter((x) => x.type.includes("limitly:") && !x.type.endsWith(":StackIdentity"))
        .map((x) => `${x.urn} ${x.id}`)
        .sort();
    const before = held((await p.exported()).deployment.resources);
    expect(before).toHaveLength(3);

    const wrong = account.emu.url.replace("/functions/v1", "/function/v1");
    await p.ok(["config", "set", "limitly:baseUrl", wrong]);
    // The stack's default provider keeps the config it was last run with: an up (no API call, nothing
    // changed) records the new one, which refresh and destroy then use, as they would on a user's machine.
    expect(await callsDuring(() => p.ok(["up", "--yes"]))).toEqual([]);
    const refresh = await p.pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout + refresh.stderr).toContain(wrong);
    expect(refresh.stdout + refresh.stderr).toMatch(/does not lead to a Limitly account's API/);
    expect(held((await p.exported()).deployment.resources)).toEqual(before);

    const destroy = await p.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.code).not.toBe(0);
    expect(destroy.stdout + destroy.stderr).toContain(wrong);
    expect(held((await p.exported()).deployment.resources)).toEqual(before);
    expect(await account.validates(value)).toBe(true);
    expect(account.emu.store.livePlans()).toHaveLength(1);
    expect(account.emu.store.liveUsers()).toHaveLength(1);
    process.stdout.write(`\n[pulumi destroy with a mistyped base URL prints]\n${destroy.stdout.trim()}\n`);

    // Put right, the same stack refreshes clean and destroys everything.
    await p.ok(["config", "set", "limitly:baseUrl", account.emu.url]);
    await p.ok(["up", "--yes", "--skip-preview"]);
    await p.ok(["refresh", "--yes", "--skip-preview"]);
    expect(held((await p.exported()).deployment.resources)).toEqual(before);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(plaintextSecrets([account.credential, value], [p.backend, p.dir], p.printed)).toEqual([]);
  });
});
