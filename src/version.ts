/** The package version, read from package.json at run time so that it cannot drift from it. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function readVersion(): string {
  // Walk up rather than assume a depth: the code runs from dist/, from src/ under ts-jest, and
  // from compiled copies such as the benchmark's.
  for (let d = __dirname; dirname(d) !== d; d = dirname(d)) {
    const file = join(d, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "pulumi-limitly" && pkg.version) return pkg.version;
  }
  return "0.0.0";
}

export const VERSION: string = readVersion();
