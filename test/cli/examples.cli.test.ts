/**
 * Every program in examples/ runs `up` then `destroy` under the real CLI (the published types:
 * types.cli.test.ts).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/scratch";
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(240_000);

const EXAMPLES = join(REPO, "examples");

/** An example's files, as a user would copy them: the program, Pulumi.yaml and its stack files. */
function exampleFiles(name: string): Record<string, string> {
  const dir = join(EXAMPLES, name);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f === "index.ts" || /^Pulumi(\.[\w-]+)?\.yaml$/.test(f))
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

describeWithCli("the examples under the real pulumi CLI", () => {
  let account: Account;

  beforeAll(async () => {
    account = await startAccount("EXAMPLES");
  });
  afterAll(() => account?.close());

  /** Keys that examples/adopt expects to exist already, with its fixed ids. */
  async function seedAdoptable(): Promise<void> {
    const adopt = readFileSync(join(EXAMPLES, "adopt/Pulumi.dev.yaml"), "utf8");
    for (const [, id] of adopt.matchAll(/id: (key_\w+)/g)) {
      const k = await account.dashboard.apiKeys.create({ name: `existing ${id}` });
      const row = account.emu.store.keys.get(k.id)!;
      account.emu.store.keys.delete(k.id);
      account.emu.store.keys.set(id, { ...row, id });
    }
  }

  // The TypeScript examples; examples/python and examples/go run in the plugin suite.
  const examples = readdirSync(EXAMPLES)
    .filter((n) => existsSync(join(EXAMPLES, n, "index.ts")))
    .sort();

  test("there are examples to run", () => {
    expect(examples).toEqual(expect.arrayContaining(["account", "adopt", "per-environment", "rotation"]));
  });

  test.each(examples)("examples/%s: up creates what it declares, destroy leaves nothing live", async (name) => {
    if (name === "adopt") await seedAdoptable();
    const files = exampleFiles(name);
    const p = new Program(`example-${name}`, files["index.ts"], { files });
    await p.init("dev", account.credential, account.emu.url);
    const before = account.emu.calls.length;
    await p.ok(["up", "--yes"]);
    const created = account.emu.calls.slice(before).filter((c) => c.method === "POST" || c.method === "PUT");
    expect(created.length).toBeGreaterThan(0);
    await p.ok(["preview", "--expect-no-changes"]);
    const values = Object.values(await p.outputs()).flatMap((v) =>
      typeof v === "string" ? [v] : typeof v === "object" && v ? Object.values(v).map(String) : [],
    );
    await p.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys().map((k) => k.name)).toEqual([]);
    expect(account.emu.store.livePlans().map((x) => x.name)).toEqual([]);
    expect(account.emu.store.liveUsers().map((u) => u.name)).toEqual([]);
    const secrets = [account.credential, ...values.filter((v) => v.startsWith("lk_"))];
    expect(plaintextSecrets(secrets, [p.backend, p.dir], p.printed)).toEqual([]);
  });
});
