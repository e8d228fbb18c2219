/**
 * `npm run demo` without a usable Pulumi CLI: a non-zero exit with one clear message. "No CLI can be
 * had" is simulated by an empty PULUMI_HOME and PATH, and PULUMI_CLI_SOURCES leaving out the npm
 * installer and the Go build (which would fetch or build one). The real run is test/cli/demo.cli.test.ts.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { atLeast } from "../src/demo/cliCheck";

const DEMO = resolve(__dirname, "../dist/demo/run.js");

function runDemo(path: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((r) => {
    const env = {
      ...process.env,
      PATH: path,
      PULUMI_HOME: mkdtempSync(join(tmpdir(), "no-home-")),
      PULUMI_CLI_SOURCES: "home,path",
    };
    execFile(process.execPath, [DEMO], { env }, (err, stdout, stderr) =>
      r({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test("no pulumi on PATH: exit 1, how to install it, and that npm test proves the provider", async () => {
  const empty = mkdtempSync(join(tmpdir(), "no-pulumi-"));
  const r = await runDemo(empty);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("needs the Pulumi CLI 3.139.0 or newer");
  expect(r.stderr).toContain("path: no pulumi on PATH");
  expect(r.stderr).toContain("get.pulumi.com");
  expect(r.stderr).toContain("npm test");
  expect(r.stdout).toBe("");
});

test("a Pulumi CLI older than 3.139: exit 1 naming the version", async () => {
  const dir = mkdtempSync(join(tmpdir(), "old-pulumi-"));
  writeFileSync(join(dir, "pulumi"), "#!/bin/sh\necho v3.100.0\n");
  chmodSync(join(dir, "pulumi"), 0o755);
  const r = await runDemo(`${dir}:/usr/bin:/bin`);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("Pulumi CLI v3.100.0 is older than 3.139.0");
});

test.each([
  ["v3.139.0", true],
  ["3.216.1", true],
  ["v4.0.0", true],
  ["v3.138.9", false],
  ["v2.99.0", false],
  ["v3.140.0-alpha.1", true],
])("version %s is new enough: %s", (v, ok) => {
  expect(atLeast(v)).toBe(ok);
});
