/**
 * Steps the Python, Go and Java suites take the same way on their examples (each declares the
 * same plan, user and keys, with the key `web` named "dev web" and a `maxRequests` config the plan
 * reads), so each language is held to exactly the same checks.
 */
import type { Account } from "../../cli/support/account";
import { steps, type Program } from "../../cli/support/consumer";

/** The dashboard renames the key: `preview --refresh` shows one update; `up --refresh` puts the name back. */
export async function driftIsRepaired(account: Account, prog: Program, webKeyId: string): Promise<void> {
  await account.dashboard.apiKeys.update(webKeyId, { name: "renamed in the dashboard" });
  const preview = await prog.ok(["preview", "--refresh", "--json"]);
  expect(steps(preview.stdout).filter(([op]) => op !== "same" && op !== "refresh")).toEqual([["update", "web"]]);
  await prog.ok(["up", "--refresh", "--yes"]);
  expect(account.emu.store.keys.get(webKeyId)!.name).toBe("dev web");
  await prog.ok(["preview", "--expect-no-changes"]);
}

/** `maxRequests -5` fails `preview` naming the property and what is allowed, with no call to Limitly. */
export async function invalidInputIsRefused(account: Account, prog: Program): Promise<void> {
  await prog.ok(["config", "set", "--", "maxRequests", "-5"]);
  let r = { code: 0, stdout: "", stderr: "" };
  const calls = await account.callsDuring(async () => {
    r = await prog.pulumi(["preview"]);
  });
  await prog.ok(["config", "rm", "maxRequests"]);
  expect(r.code).not.toBe(0);
  expect(r.stdout + r.stderr).toMatch(/maxRequests must be a positive whole number/);
  expect(calls).toEqual([]);
}
