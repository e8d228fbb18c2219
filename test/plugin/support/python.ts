/**
 * The virtualenv the Python programs run in, made as a user makes one: `python3 -m venv`, then pip
 * installs the Python Pulumi SDK from PyPI and the generated `pulumi_limitly` from sdk/python.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../support/scratch";
import { ROOT, locked } from "../../cli/support/project";

/** The Python Pulumi SDK the programs use. */
export const PYTHON_PULUMI = "3.272.0";

function run(command: string, args: string[]): string | undefined {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: 15 * 60_000 });
  return r.status === 0
    ? undefined
    : `${command} ${args.join(" ")} failed: ${(r.stderr || r.stdout || "").trim().split("\n").slice(-5).join("\n")}`;
}

/**
 * The virtualenv's folder, or why there is none (no python3, PyPI refused, …). `name` keeps one suite's
 * virtualenv apart from another's, since each run reinstalls the SDK into it.
 */
export function pythonVenv(name = "python"): { dir?: string; reason?: string } {
  const dir = join(ROOT, `${name}-venv`);
  const reason = locked(`${dir}.lock`, () => {
    const pip = join(dir, "bin", "pip");
    const ready = join(dir, ".pulumi-installed");
    if (!existsSync(ready)) {
      rmSync(dir, { recursive: true, force: true });
      const made = run("python3", ["-m", "venv", dir]) ?? run(pip, ["install", "-q", `pulumi==${PYTHON_PULUMI}`]);
      if (made) return made;
      writeFileSync(ready, PYTHON_PULUMI);
    }
    // The SDK may have been regenerated since: reinstalled every run (a few seconds), from a copy,
    // because pip builds in the source folder and would leave build/ in the repository.
    const sdk = join(ROOT, `${name}-sdk`);
    rmSync(sdk, { recursive: true, force: true });
    cpSync(join(REPO, "sdk", "python"), sdk, { recursive: true });
    return run(pip, ["install", "-q", "--force-reinstall", "--no-deps", sdk]) ?? run(pip, ["install", "-q", sdk]);
  });
  return reason ? { reason } : { dir };
}
