/** `npm run demo` for real: the whole story through the real CLI, its transcript checked step by step. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { REPO } from "../support/scratch";
import { CLI, describeWithCli } from "./support/cli";

jest.setTimeout(300_000);

describeWithCli("npm run demo", () => {
  test("runs up, a no-op preview, a rotation, drift and destroy, and says what happened at each step", async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(REPO, "dist/demo/run.js")],
        // The demo finds the CLI itself, as `npm run -s pulumi-cli` does; PATH gets the Node that runs this suite.
        { env: { ...process.env, PATH: `${join(process.execPath, "..")}:${process.env.PATH}` }, timeout: 280_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).not.toMatch(/demo failed/);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const after = (heading: string) => lines[lines.findIndex((l) => l.startsWith(heading)) + 1] ?? "";
    expect(r.stdout).toContain(`Pulumi CLI v`);
    expect(r.stdout).toContain(CLI.dir!);
    expect(after("1. pulumi up")).toMatch(
      /^ {3}create: 4; key ids: \{"mobile":"key_\w+","web":"key_\w+"\}; values secret: true$/,
    );
    expect(after("2. pulumi preview (nothing changed)")).toBe("   same: 4");
    expect(after("3. rotation")).toMatch(
      /^ {3}replace: 2, same: 2; new key ids: \{"mobile":"key_\w+","web":"key_\w+"\}$/,
    );
    expect(after("4. someone renames a key")).toBe("   same: 3, update: 1 (the update puts the declared name back)");
    expect(after("5. pulumi destroy")).toBe("   delete: 4; live keys left in Limitly: 0");
    const ids = (heading: string) =>
      JSON.parse(/key ids: (\{.*?\})/.exec(after(heading))![1]) as Record<string, string>;
    expect(ids("3. rotation").web).not.toBe(ids("1. pulumi up").web);
    // No key value and no account credential in anything the demo printed.
    expect(r.stdout + r.stderr).not.toMatch(/lk_user_|lk_demo_/);
  });
});
