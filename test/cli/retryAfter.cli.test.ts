/**
 * A 429 whose `Retry-After` asks for a day, under the real `pulumi` CLI: the run waits a minute at
 * most (Limitly's limit is per minute) and completes, instead of holding every later request of the
 * provider for a day.
 */
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

// The capped wait is a minute; a day-long one would outlast this, and fail the test.
jest.setTimeout(240_000);

describeWithCli("a Retry-After of a day under the real pulumi CLI", () => {
  let account: Account;
  beforeAll(async () => {
    account = await startAccount("RETRYAFTER");
  });
  afterAll(() => account?.close());

  test("pulumi up of two keys completes, every key works, and the refused request was sent again", async () => {
    const p = new Program(
      "retry-after",
      `import * as limitly from "pulumi-limitly";
const a = new limitly.ApiKey("a", { name: "A" });
const b = new limitly.ApiKey("b", { name: "B" });
export const values = [a.apiKey, b.apiKey];
`,
    );
    // A deadline longer than the capped wait, so the refused call waits it out instead of failing.
    await p.init("dev", account.credential, account.emu.url, { "limitly:timeoutMs": "70000" });
    const from = account.emu.calls.length;
    // The run's first request, whichever it is (the account listing, or a create), is refused.
    account.emu.faults.add({ status: 429, retryAfter: 86_400 });
    await p.ok(["up", "--yes", "--skip-preview"]);

    expect(account.emu.faults.injected["429"]).toBe(1);
    const calls = account.emu.calls.slice(from);
    const refused = calls.findIndex((c) => c.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    // Sent again in this run and answered, not held back until after it.
    expect(
      calls.slice(refused + 1).some((c) => c.route === calls[refused].route && c.method === calls[refused].method),
    ).toBe(true);
    const { values } = (await p.outputs()) as { values: string[] };
    expect(await Promise.all(values.map((v) => account.validates(v)))).toEqual([true, true]);
    expect(
      account.emu.store
        .liveKeys()
        .map((k) => k.name)
        .sort(),
    ).toEqual(["A", "B"]);

    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...values], [p.backend, p.dir], p.printed)).toEqual([]);
  });
});
