/**
 * A key's identity is its whole URN in its own stack, under the real `pulumi` CLI with the dynamic
 * resources: a program refactored (a key moved under a component, with or without an alias, a
 * `--target` run), two look-alike stacks (same project and stack names on two backends) on one
 * account, and a key someone copied with its metadata. In each, the account ends with exactly the
 * live keys the states name, and every value the stacks hold works.
 */
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program } from "./support/consumer";
import { plaintextSecrets } from "./support/secrets";

jest.setTimeout(240_000);

const TOP = `import * as limitly from "pulumi-limitly";
const key = new limitly.ApiKey("web", { name: "Web" });
export const id = key.id;
export const value = key.apiKey;
`;

/** The same key declared inside a component; `alias` names where it used to be. */
const COMPONENT = (alias: boolean) => `import * as pulumi from "@pulumi/pulumi";
import * as limitly from "pulumi-limitly";
class App extends pulumi.ComponentResource {
  readonly key: limitly.ApiKey;
  constructor(name: string) {
    super("acme:index:App", name);
    this.key = new limitly.ApiKey("web", { name: "Web" }, { parent: this${
      alias ? ", aliases: [{ parent: pulumi.rootStackResource }]" : ""
    } });
    this.registerOutputs({});
  }
}
const app = new App("app");
export const id = app.key.id;
export const value = app.key.apiKey;
`;

describeWithCli("a key's identity is its whole URN in its own stack", () => {
  let account: Account;
  const programs: Program[] = [];
  const issued: string[] = [];

  beforeAll(async () => {
    account = await startAccount("IDENTITY");
  });
  afterAll(() => account?.close());

  const program = async (name: string, source: string, project?: string) => {
    const p = new Program(name, source, { project });
    programs.push(p);
    await p.init("dev", account.credential, account.emu.url);
    return p;
  };
  const live = () =>
    account.emu.store
      .liveKeys()
      .map((k) => k.id)
      .sort();
  /** The key ids a stack's state names. */
  const held = async (p: Program) =>
    (await p.exported()).deployment.resources.filter((r) => r.type.endsWith(":ApiKey")).map((r) => r.id!);
  const out = async (p: Program) => {
    const o = (await p.outputs()) as { id: string; value: string };
    issued.push(o.value);
    return o;
  };

  test("moved under a component without an alias: a new key for the new URN, the old one deleted, and the state names the one live key", async () => {
    const p = await program("moved", TOP);
    await p.ok(["up", "--yes", "--skip-preview"]);
    const before = await out(p);
    p.write(COMPONENT(false));
    await p.ok(["up", "--yes"]);
    const after = await out(p);
    expect(after.id).not.toBe(before.id);
    expect(live()).toEqual(await held(p));
    expect(live()).toEqual([after.id]);
    expect(await account.validates(after.value)).toBe(true);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(live()).toEqual([]);
  });

  test("moved under a component with an alias: the same key, untouched", async () => {
    const p = await program("aliased", TOP);
    await p.ok(["up", "--yes", "--skip-preview"]);
    const before = await out(p);
    p.write(COMPONENT(true));
    const calls = await account.callsDuring(() => p.ok(["up", "--yes"]));
    expect(calls.filter((c) => c.startsWith("POST") || c.startsWith("DELETE"))).toEqual([]);
    const after = await out(p);
    expect(after).toEqual(before);
    expect(live()).toEqual([before.id]);
    expect(await account.validates(after.value)).toBe(true);
    await p.ok(["preview", "--expect-no-changes"]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
  });

  test("a --target run creating the moved key leaves the old URN's key alone; the next full up retires it", async () => {
    const p = await program("targeted", TOP);
    await p.ok(["up", "--yes", "--skip-preview"]);
    const before = await out(p);
    p.write(COMPONENT(false));
    const moved = "urn:pulumi:dev::targeted::acme:index:App$pulumi-nodejs:dynamic/limitly:ApiKey::web";
    await p.ok(["up", "--yes", "--target", "urn:pulumi:dev::targeted::acme:index:App::app", "--target", moved]);
    // Both URNs are in the state now, each on its own key, and both values work.
    const ids = await held(p);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(live()).toEqual([...ids].sort());
    expect(await account.validates(before.value)).toBe(true);
    const after = await out(p);
    expect(await account.validates(after.value)).toBe(true);
    await p.ok(["up", "--yes"]);
    expect(live()).toEqual([after.id]);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
  });

  test("two look-alike stacks (same project and stack names, two backends) on one account each keep their own key", async () => {
    const a = await program("lookalike-a", TOP, "lookalike");
    const b = await program("lookalike-b", TOP, "lookalike");
    await a.ok(["up", "--yes", "--skip-preview"]);
    const keyA = await out(a);
    await b.ok(["up", "--yes", "--skip-preview"]);
    const keyB = await out(b);
    expect(keyB.id).not.toBe(keyA.id);
    expect(await account.validates(keyA.value)).toBe(true);
    expect(await account.validates(keyB.value)).toBe(true);
    await b.ok(["destroy", "--yes", "--skip-preview"]);
    expect(live()).toEqual([keyA.id]);
    expect(await account.validates(keyA.value)).toBe(true);
    await a.ok(["destroy", "--yes", "--skip-preview"]);
  });

  test("a key copied with its metadata keeps working through the original's rotation, and the user is told", async () => {
    const rotating = (r: string) => TOP.replace(`{ name: "Web" }`, `{ name: "Web", rotation: "${r}" }`);
    const p = await program("copied", rotating("1"));
    await p.ok(["up", "--yes", "--skip-preview"]);
    const original = await out(p);
    const copy = await account.dashboard.apiKeys.create({
      name: "Web (copy)",
      metadata: account.emu.store.keys.get(original.id)!.metadata as Record<string, unknown>,
    });
    issued.push(copy.apiKey!);
    p.write(rotating("2"));
    const r = await p.ok(["up", "--yes"]);
    expect(r.stdout + r.stderr).toContain(`${copy.id} (another key carries the same create token (a copy))`);
    const rotated = await out(p);
    expect([original.id, copy.id]).not.toContain(rotated.id);
    expect(await account.validates(copy.apiKey!)).toBe(true);
    expect(await account.validates(rotated.value)).toBe(true);
    expect(await account.validates(original.value)).toBe(false);
    await p.ok(["destroy", "--yes", "--skip-preview"]);
    expect(live()).toEqual([copy.id]);
    await account.dashboard.apiKeys.delete(copy.id);
  });

  test("no credential or key value in plaintext in any state, file or output", () => {
    for (const p of programs)
      expect(plaintextSecrets([account.credential, ...issued], [p.backend, p.dir], p.printed)).toEqual([]);
  });
});
