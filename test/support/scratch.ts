/**
 * Builds what the engine-protocol suites stand on: the package packed with `npm pack`, installed
 * into a scratch project next to @pulumi/pulumi as a user would install it, and the registrations
 * of a program declaring resources there (with the real serialized `__provider`).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { COMBINATION, SDK_VERSION } from "./matrix";

/** The repository root: the nearest folder above this file whose package.json is pulumi-limitly's. */
function findRepo(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const pj = join(d, "package.json");
    // The repository, not a compiled copy of its package.json (the bench's build holds one under .tmp/bench).
    const repo = existsSync(join(d, "scripts", "pulumi-cli.js"));
    if (repo && existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "pulumi-limitly")
      return d;
    if (dirname(d) === d) throw new Error(`no pulumi-limitly package.json above ${dir}`);
  }
}

export const REPO = findRepo(__dirname);
export const WORK = join(REPO, ".tmp");
/** One scratch project per combination, so that both can stay installed side by side. */
export const SCRATCH = join(WORK, `scratch-${COMBINATION}`);
/** Where a jest run's globalSetup packs the package: per combination, so CI's two runs side by side each keep theirs. */
const PACKED = join(WORK, `pack-${COMBINATION}`);
export const REGISTRATIONS = join(SCRATCH, "registrations.json");

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown> & { __provider: string };
  additionalSecretOutputs: string[];
}

/** Runs npm quietly; its output is returned, a failure throws with what npm printed. */
export const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "error" },
  });

/** Packs the repo; returns the tarball path. `npm pack` runs `prepare`, which builds. */
export function pack(): string {
  rmSync(PACKED, { recursive: true, force: true });
  mkdirSync(PACKED, { recursive: true });
  const out = npm(["pack", "--pack-destination", PACKED, "--json"], REPO);
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string }[];
  return join(PACKED, info.filename);
}

/** The tarball globalSetup packed for this jest run (`pack()` leaves exactly one in its folder). */
export function packedTarball(): string {
  const [file] = existsSync(PACKED) ? readdirSync(PACKED).filter((f) => f.endsWith(".tgz")) : [];
  if (!file) throw new Error(`no packed tarball in ${PACKED}: jest's globalSetup packs it`);
  return join(PACKED, file);
}

/**
 * Makes `dir` a project with the tarball installed as `pulumi-limitly`, next to `manifest`'s other
 * dependencies and the given files; skipped when this exact tarball is installed there already.
 */
export function installProject(
  dir: string,
  tarball: string,
  manifest: { dependencies: Record<string, string> } & Record<string, unknown>,
  files: Record<string, string>,
  npmFlags: string[] = [],
): void {
  const digest = createHash("sha256").update(readFileSync(tarball)).digest("hex");
  const stamp = join(dir, ".installed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(tarball, join(dir, "pulumi-limitly.tgz"));
  const pkg = {
    ...manifest,
    dependencies: { ...manifest.dependencies, "pulumi-limitly": "file:./pulumi-limitly.tgz" },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", ...npmFlags], dir);
  writeFileSync(stamp, digest);
}

/** Installs the tarball into the scratch project, with the program that declares resources under mocks. */
export function installScratch(tarball: string): void {
  const program = join(REPO, "test/support/scratch-program");
  const files = Object.fromEntries(readdirSync(program).map((f) => [f, readFileSync(join(program, f), "utf8")]));
  installProject(
    SCRATCH,
    tarball,
    { name: "scratch", private: true, dependencies: { "@pulumi/pulumi": SDK_VERSION } },
    files,
    ["--ignore-scripts"],
  );
}

/** Runs the scratch program under mocks and returns what the monitor received. */
export function declare(): Registration[] {
  execFileSync(process.execPath, ["declare.js", REGISTRATIONS], { cwd: SCRATCH, stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(readFileSync(REGISTRATIONS, "utf8")) as Registration[];
}

let cached: { mtimeMs: number; regs: Registration[] } | undefined;

export function registrations(): Registration[] {
  if (!existsSync(REGISTRATIONS)) throw new Error("the scratch project is not set up: jest's globalSetup builds it");
  const mtimeMs = statSync(REGISTRATIONS).mtimeMs;
  if (cached?.mtimeMs !== mtimeMs)
    cached = { mtimeMs, regs: JSON.parse(readFileSync(REGISTRATIONS, "utf8")) as Registration[] };
  return cached.regs;
}

/** The serialized provider of a resource type, as a user's program produced it. */
export function serializedProvider(type: string): string {
  const r = registrations().find((x) => x.type === type);
  if (!r) throw new Error(`no registration of ${type} in ${REGISTRATIONS}`);
  return r.inputs.__provider;
}
