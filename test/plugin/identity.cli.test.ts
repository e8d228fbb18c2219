/**
 * A key's identity is its whole URN in its own stack, through the provider plugin (the classes of
 * `pulumi-limitly/plugin` in a TypeScript program) under the real `pulumi` CLI: two same-named keys
 * in two components are two keys, a key moved under a component gets its own, and the identity the
 * provider records in its state survives later runs. The account ends with exactly the live keys
 * the state names, and every value works.
 */
import { startAccount, type Account } from "../cli/support/account";
import { describeWithCli } from "../cli/support/cli";
import { Program } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";

jest.setTimeout(240_000);

/**
 * Keys named "web" inside components `apps` (each of its own component type: Pulumi's URNs name the
 * parent's type chain, not its name), and one at the top when `top`.
 */
const program = (apps: string[], top: boolean) => `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly/plugin";
class App extends pulumi.ComponentResource {
  readonly key: limitly.ApiKey;
  constructor(name: string) {
    super(\`acme:index:\${name}\`, name);
    this.key = new limitly.ApiKey("web", { name: \`Web of \${name}\` }, { parent: this });
    this.registerOutputs({});
  }
}
const keys: Record<string, limitly.ApiKey> = {};
for (const name of ${JSON.stringify(apps)}) keys[name] = new App(name).key;
${top ? `keys.top = new limitly.ApiKey("web", { name: "Web" });` : ""}
export const ids = Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, k.id]));
export const values = pulumi.secret(pulumi.all(Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, k.apiKey]))));
`;

describeWithCli("the plugin: a key's identity is its whole URN in its own stack", () => {
  let account: Account;
  let prog: Program;
  const issued: string[] = [];

  beforeAll(async () => {
    account = await startAccount("PLUGINIDENTITY");
    prog = new Program("plugin-identity", program([], true), { plugin: true });
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  const live = () =>
    account.emu.store
      .liveKeys()
      .map((k) => k.id)
      .sort();
  const state = async () => (await prog.exported()).deployment.resources;
  const held = async () =>
    (await state())
      .filter((r) => r.type === "limitly:index:ApiKey")
      .map((r) => r.id!)
      .sort();
  const identity = async () =>
    (await state()).find((r) => r.type === "pulumi:providers:limitly")!.inputs!.__stackIdentity as string;
  const outputs = async () => {
    const o = (await prog.outputs()) as { ids: Record<string, string>; values: Record<string, string> };
    issued.push(...Object.values(o.values));
    return o;
  };

  test("a key moved under a component gets a key of its own; the old URN's is deleted", async () => {
    await prog.ok(["up", "--yes"]);
    const before = await outputs();
    const recorded = await identity();
    expect(recorded).toMatch(/^[0-9a-f-]{36}$/);
    prog.write(program(["a"], false));
    await prog.ok(["up", "--yes"]);
    const after = await outputs();
    expect(after.ids.a).not.toBe(before.ids.top);
    expect(live()).toEqual(await held());
    expect(live()).toEqual([after.ids.a]);
    expect(await account.validates(after.values.a)).toBe(true);
    // The provider's state keeps the identity it recorded at the first run.
    expect(await identity()).toBe(recorded);
  });

  test("two same-named keys in two components are two keys, each with a working value", async () => {
    prog.write(program(["a", "b"], false));
    await prog.ok(["up", "--yes"]);
    const o = await outputs();
    expect(o.ids.a).not.toBe(o.ids.b);
    expect(live()).toEqual(await held());
    expect(live()).toEqual([o.ids.a, o.ids.b].sort());
    for (const v of Object.values(o.values)) expect(await account.validates(v)).toBe(true);
    await prog.ok(["preview", "--expect-no-changes"]);
  });

  test("destroy leaves no key, and no credential or value is in plaintext anywhere", async () => {
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(live()).toEqual([]);
    expect(plaintextSecrets([account.credential, ...issued], [prog.backend, prog.dir], prog.printed)).toEqual([]);
  });
});
