/** The real-CLI suites' secret sweep (test/cli/support/secrets.ts) finds what it is for, jars included. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plaintextSecrets } from "./cli/support/secrets";
import { WORK } from "./support/scratch";

const VALUE = `lk_user_${"0123456789abcdef".repeat(2)}`;
// Jars are read with Python's zipfile, as the Python suites need python3 anyway.
const noPython = spawnSync("python3", ["--version"]).status !== 0;
if (noPython) process.stderr.write("\n[sweep suite] NOT RUN: no python3 on PATH (the sweep reads jars with it)\n");
const describeWithPython = noPython ? describe.skip : describe;
describeWithPython("the secret sweep", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(WORK, "sweep-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A jar (a deflated zip) holding `text` in one entry, as Maven's build output would. */
  function jar(name: string, text: string): void {
    writeFileSync(join(dir, "entry.txt"), text);
    const zip =
      "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2], 'a/entry.txt')";
    execFileSync("python3", ["-c", zip, join(dir, name), join(dir, "entry.txt")]);
    rmSync(join(dir, "entry.txt"));
  }

  test("a key value inside a jar is found, though its compressed bytes do not show it", () => {
    jar("app.jar", `config = ${VALUE.repeat(3)}\n`);
    expect(plaintextSecrets([VALUE], [dir], [])).toEqual([`${join(dir, "app.jar")}: ${VALUE.slice(0, 8)}…`]);
  });

  test("a jar, a file and the printed output without secrets are clean", () => {
    jar("app.jar", "nothing here\n");
    writeFileSync(join(dir, "state.json"), '{"ciphertext":"v1:abc"}');
    expect(
      plaintextSecrets([VALUE], [dir], [{ command: "pulumi up", stdout: "done", stderr: "", revealing: false }]),
    ).toEqual([]);
  });
});
