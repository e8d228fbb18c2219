/**
 * `pulumi preview --refresh` and `pulumi refresh` of a stack of keys, a plan and users, with drift
 * made behind Pulumi's back, under the real CLI: the same steps for each door (the dynamic resources
 * and the provider plugin). The drift shown and recorded is what reading each resource by id shows;
 * the calls are a page of the account per 100 keys, not a GET per key.
 */
import { startAccount, type Account } from "./account";
import { Program, steps, type ProgramOptions, type StateResource } from "./consumer";

/** Keys in the stack: more than a page, so a refresh reads the account's listing page by page. */
export const KEYS = 120;

/** The resources of the program: `KEYS` keys k0…, plan `pro`, users `u1` (on the plan) and `u2`. */
export interface RefreshSuite {
  label: string;
  /** The program's source, and how it runs. */
  program: string;
  options: ProgramOptions;
}

const calls = (list: string[], call: string) => list.filter((c) => c === call).length;

export function refreshSuite(suite: RefreshSuite): void {
  let account: Account;
  let prog: Program;
  const byName = async () => {
    const state = await prog.exported();
    const named = (r: StateResource) => [r.urn.split("::").pop()!, r] as const;
    return new Map(state.deployment.resources.map(named));
  };

  beforeAll(async () => {
    account = await startAccount(suite.label);
    // Other stacks' keys before and after this stack's: the listing holds more than the stack.
    for (let i = 0; i < 30; i++) await account.dashboard.apiKeys.create({ name: `foreign-${i}` });
    prog = new Program(`refresh-${suite.label.toLowerCase()}`, suite.program, suite.options);
    await prog.init("dev", account.credential, account.emu.url, { "limitly:requestsPerMinute": "0" });
    await prog.ok(["up", "--yes", "--skip-preview"]);
    for (let i = 0; i < 30; i++) await account.dashboard.apiKeys.create({ name: `foreign-late-${i}` });

    // Drift: a key renamed, one deactivated, one deleted; the plan changed; a user deleted.
    const r = await byName();
    const id = (name: string) => r.get(name)!.id!;
    await account.dashboard.apiKeys.update(id("k1"), { name: "renamed in the dashboard" });
    await account.dashboard.apiKeys.update(id("k2"), { status: "inactive" });
    await account.dashboard.apiKeys.delete(id("k3"));
    await account.dashboard.plans.update(id("pro"), { maxRequests: 7 });
    await account.dashboard.users.delete(id("u2"));
  });
  afterAll(() => account?.close());

  /** Reads the refresh makes: one per key, plan and user; and the most calls they may cost. */
  const reads = KEYS + 3;
  const expectFewCalls = (made: string[]) => {
    // Per-id reads cost a GET per key; from the listing, a page per 100 keys, plus the deleted
    // key's own GET and the one-object probe that proves an object gone (gone.ts), per kind.
    expect(calls(made, "GET /keys/:id")).toBeLessThan(KEYS / 4);
    expect(calls(made, "GET /keys")).toBeGreaterThanOrEqual(2);
    expect(made.length).toBeLessThanOrEqual(reads + 3);
    expect(made.length).toBeLessThan(KEYS / 2);
    expect(made.filter((c) => !c.startsWith("GET "))).toEqual([]);
  };

  test("preview --refresh shows the drift (the deleted key and user planned as creates) in a few calls", async () => {
    let out = "";
    const made = await account.callsDuring(async () => {
      out = (await prog.ok(["preview", "--refresh", "--json"])).stdout;
    });
    expectFewCalls(made);
    const planned = steps(out).filter(([op]) => op !== "same" && op !== "refresh");
    expect(planned).toEqual(
      expect.arrayContaining([
        ["create", "k3"],
        ["create", "u2"],
        ["update", "k1"],
        ["update", "k2"],
        ["update", "pro"],
      ]),
    );
    // Nothing else differs: every other key read from the listing matches the program.
    expect(planned.filter(([, name]) => !["k1", "k2", "k3", "u2", "pro"].includes(name))).toEqual([]);
    expect((await byName()).has("k3")).toBe(true); // a preview records nothing
  });

  test("refresh records the drift: changed fields, the deactivated key, deleted objects leave the state", async () => {
    const made = await account.callsDuring(() => prog.ok(["refresh", "--yes", "--skip-preview"]));
    expectFewCalls(made);
    const r = await byName();
    expect(r.get("k1")!.outputs).toMatchObject({ name: "renamed in the dashboard" });
    expect(r.get("k2")!.outputs).toMatchObject({ status: "inactive" });
    expect(r.has("k3")).toBe(false);
    expect(r.get("pro")!.outputs).toMatchObject({ maxRequests: 7 });
    expect(r.has("u2")).toBe(false);
    expect(r.get("u1")!.outputs).toMatchObject({ name: "U1" });
    // Every key's value is still the one `up` recorded: a listing never carries one.
    expect(r.get("k0")!.outputs!.apiKey).toMatchObject({ ciphertext: expect.any(String) });
  });
}
