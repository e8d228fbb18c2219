/**
 * Pulumi's resource options on the dynamic resources, under the real `pulumi` CLI: their provider
 * host tells the engine only whether a diff has changes and which of them replace, so the engine
 * cannot apply `replaceOnChanges` itself; the resource class hands it to the core, which does.
 * `protect` and `ignoreChanges` act as Pulumi documents them.
 */
import { startAccount, type Account } from "./support/account";
import { describeWithCli } from "./support/cli";
import { Program, steps } from "./support/consumer";

jest.setTimeout(180_000);

/** The program: a plan with `options`, and a key on it that ignores changes to its metadata. */
const program = (plan: string, options: string, metadata = "") => `import * as limitly from "pulumi-limitly";
const pro = new limitly.Plan("pro", { name: "${plan}", maxRequests: 1000, requestPeriod: "month" }, { ${options} });
const web = new limitly.ApiKey("web", { name: "Web", planId: pro.id${metadata} }, { ignoreChanges: ["metadata"] });
export const plan = pro.id;
export const key = web.id;
`;

describeWithCli("resource options on the dynamic resources under the real pulumi CLI", () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    account = await startAccount("OPTIONS");
    prog = new Program("resource-options", program("Pro", `replaceOnChanges: ["name"]`));
    await prog.init("dev", account.credential, account.emu.url);
    await prog.ok(["up", "--yes", "--skip-preview"]);
  });
  afterAll(() => account?.close());

  test("replaceOnChanges on a plan's name: the rename replaces the plan, a new one first, the old one deleted", async () => {
    const before = await prog.outputs();
    prog.write(program("Pro 2026", `replaceOnChanges: ["name"]`));
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([
      ["replace", "pro"],
      ["update", "web"],
    ]);
    const calls = await account.callsDuring(() => prog.ok(["up", "--yes"]));
    expect(calls.indexOf("POST /plans")).toBeLessThan(calls.indexOf("DELETE /plans/:id"));
    const after = await prog.outputs();
    expect(after.plan).not.toBe(before.plan);
    expect(account.emu.store.livePlans().map((p) => p.name)).toEqual(["Pro 2026"]);
    expect(account.emu.store.keys.get(String(after.key))!.plan_id).toBe(after.plan);
  });

  test("without the option the same rename is an update in place", async () => {
    prog.write(program("Pro 2026", ""));
    await prog.ok(["preview", "--expect-no-changes"]);
    prog.write(program("Pro 2027", ""));
    const preview = await prog.ok(["preview", "--json"]);
    expect(steps(preview.stdout).filter(([op]) => op !== "same")).toEqual([["update", "pro"]]);
    expect(await account.callsDuring(() => prog.ok(["up", "--yes"]))).toEqual(["PUT /plans/:id"]);
  });

  test("protect refuses the replacement replaceOnChanges asks for, and changes nothing", async () => {
    prog.write(program("Pro 2027", `replaceOnChanges: ["name"], protect: true`));
    await prog.ok(["up", "--yes", "--skip-preview"]);
    prog.write(program("Pro 2028", `replaceOnChanges: ["name"], protect: true`));
    let r = { code: 0, stdout: "", stderr: "" };
    const calls = await account.callsDuring(async () => (r = await prog.pulumi(["up", "--yes"])));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/unable to replace resource[\s\S]*protect/);
    expect(calls).toEqual([]);
    expect(account.emu.store.livePlans().map((p) => p.name)).toEqual(["Pro 2027"]);
  });

  test("ignoreChanges on a key's metadata: the program's metadata is not sent", async () => {
    prog.write(program("Pro 2027", `protect: true`, `, metadata: { team: "web" }`));
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([]);
    prog.write(program("Pro 2027", ""));
    await prog.ok(["up", "--yes", "--skip-preview"]);
    await prog.ok(["destroy", "--yes", "--skip-preview"]);
    expect(account.emu.store.livePlans()).toEqual([]);
  });
});
