/**
 * The lock folder parallel jest workers (and `.ci/run`'s background release) share: a holder's pid
 * decides whether the lock is stale, not how long a waiter has waited.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locked } from "./cli/support/project";

const running = (pid: number) =>
  existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

function heldBy(pid: number): string {
  const lock = join(mkdtempSync(join(tmpdir(), "limitly-lock-")), "x.lock");
  mkdirSync(lock);
  writeFileSync(join(lock, "pid"), String(pid));
  return lock;
}

test("a lock whose holder is gone is taken at once, and names its new holder while held", () => {
  // spawnSync has reaped it: this pid runs nothing now.
  const gone = spawnSync("true").pid!;
  const lock = heldBy(gone);
  const holder = locked(lock, () => readFileSync(join(lock, "pid"), "utf8"));
  expect(holder).toBe(String(process.pid));
  expect(existsSync(lock)).toBe(false);
});

test("a lock whose holder runs is waited for until the holder is gone", () => {
  const child = spawn("sleep", ["2"], { stdio: "ignore" });
  const lock = heldBy(child.pid!);
  expect(running(child.pid!)).toBe(true);
  // The waiter blocks this process, so the child is not reaped: it ends as a zombie, which is gone.
  const holderRanWhenTaken = locked(lock, () => running(child.pid!));
  expect(holderRanWhenTaken).toBe(false);
});
