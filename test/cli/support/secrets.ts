/** Sweeps for secrets in plaintext: every file under a folder, and everything the CLI printed. */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Printed } from "./consumer";

/** Every value the emulator issues looks like this; the sweep also looks for each value it was told of. */
export const KEY_VALUE = /lk_user_[0-9a-f]{32}/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === "node_modules") return [];
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Prints every entry of a zip unpacked (Python's zipfile: python3 is needed by the Python suites anyway). */
const UNZIP =
  "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist(): sys.stdout.buffer.write(z.read(n))";

/**
 * A file's text; a jar's is its entries' unpacked, since their compressed bytes would hide a secret
 * from the sweep (the Java programs' build output: the program's jar and its lib/).
 */
function text(file: string): string {
  if (!file.endsWith(".jar")) return readFileSync(file, "utf8");
  return execFileSync("python3", ["-c", UNZIP, file], { encoding: "utf8", maxBuffer: 1 << 30 });
}

/** Places where a secret appears in plaintext: `file: what` or `command: what`. Empty when clean. */
export function plaintextSecrets(secrets: string[], dirs: string[], printed: Printed[]): string[] {
  const found: string[] = [];
  const check = (where: string, text: string) => {
    for (const s of secrets) if (s && text.includes(s)) found.push(`${where}: ${s.slice(0, 8)}…`);
    const m = KEY_VALUE.exec(text);
    if (m && !secrets.includes(m[0])) found.push(`${where}: a key value ${m[0].slice(0, 10)}…`);
  };
  for (const d of dirs) for (const f of files(d)) check(f, text(f));
  for (const p of printed.filter((x) => !x.revealing)) check(p.command, p.stdout + p.stderr);
  return found;
}
