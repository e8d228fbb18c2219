/**
 * Typechecks TypeScript sources the way a user's editor would see them against this package:
 * the repo's compiler options, with `pulumi-limitly` resolving to the source.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { REPO, WORK } from "./scratch";

export function typecheck(files: Record<string, string>, folder = "typecheck"): string[] {
  const dir = join(WORK, folder);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = Object.entries(files).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
  const config = ts.readConfigFile(join(REPO, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const program = ts.createProgram(names, { ...parsed.options, noEmit: true, types: ["node"] });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || names.includes(d.file.fileName))
    .map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const file = d.file ? d.file.fileName.slice(dir.length + 1) : "";
      return `${file}${where ? `:${where.line + 1}:${where.character + 1}` : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}
