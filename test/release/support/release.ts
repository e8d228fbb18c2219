/**
 * The release folder the install suites install from: `release/` as `npm run release` writes it
 * (built here once, under a lock, when it is absent), a loopback server that serves it as the
 * project's release location would, and the environment of a user's machine that has the Pulumi
 * CLI but no Node.js.
 */
import { spawnSync } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join, normalize, sep } from "node:path";
import { locked } from "../../cli/support/consumer";
import { REPO, WORK } from "../../support/scratch";

/** The package's version, package.json's. */
export const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

/** The release location the schema names (pluginDownloadURL). */
export const RELEASE_URL = "github://api.github.com/pulumi-limitly";

/** The Pulumi os/arch targets a release holds an archive for. */
export const TARGETS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"] as const;
export type Target = (typeof TARGETS)[number];

/** The plugin archive's file name for `target`. */
export const archiveName = (target: Target) => `pulumi-resource-limitly-v${VERSION}-${target}.tar.gz`;

/** Runs the release script into `dir` (with its own work folder), leaving out the SDKs in `skip`; throws with its output when it fails. */
export function buildRelease(dir: string, skip: string[] = []): void {
  const r = spawnSync(process.execPath, [join(REPO, "scripts/release/index.js")], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, LIMITLY_RELEASE_DIR: dir, LIMITLY_RELEASE_SKIP: skip.join(",") },
    timeout: 30 * 60_000,
  });
  if (r.status !== 0) throw new Error(`the release script failed:\n${r.stderr}`);
}

/** The hash of what a release is built from now (scripts/release/stamp.js). */
function inputsHash(): string {
  const r = spawnSync(
    process.execPath,
    ["-e", 'require("./scripts/release/stamp.js").inputsHash(process.cwd()).then((h) => process.stdout.write(h))'],
    { cwd: REPO, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`could not hash the release's inputs: ${r.stderr}`);
  return r.stdout;
}

/**
 * release/, built by the release script when it is absent or was built from other inputs (another
 * plugin build, SDK, README or version) than the repository holds now.
 */
export function releaseDir(): string {
  const dir = join(REPO, "release");
  return locked(join(WORK, "release.lock"), () => {
    const stamp = `${dir}.stamp`;
    const current =
      existsSync(join(dir, "SHA256SUMS")) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === inputsHash();
    if (!current) buildRelease(dir);
    return dir;
  });
}

/** SHA256SUMS as file → hash. */
export function checksums(dir: string): Map<string, string> {
  return new Map(
    readFileSync(join(dir, "SHA256SUMS"), "utf8")
      .trim()
      .split("\n")
      .map((l) => {
        const [hash, file] = l.split(/\s+/);
        return [file, hash] as [string, string];
      }),
  );
}

/** A loopback server of a folder, as the release location serves it; it records every GET. */
export interface ReleaseServer {
  url: string;
  /** The paths requested, in order. */
  gets: string[];
  close(): Promise<void>;
}

export async function serveRelease(dir: string): Promise<ReleaseServer> {
  const gets: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    gets.push(path);
    const file = normalize(join(dir, path));
    if (!file.startsWith(join(dir, sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-length": statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, gets, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A PATH for a machine with no Node.js: a fresh folder linking only `tools` (absolute paths), then
 * `dirs`. Throws when any of its folders holds a `node`.
 */
export function pathWithoutNode(tools: string[], dirs: string[] = []): string {
  const bin = scratchDir("no-node-bin-");
  for (const tool of tools) symlinkSync(tool, join(bin, tool.split("/").pop()!));
  const path = [bin, ...dirs];
  const withNode = path.filter((d) => existsSync(join(d, "node")));
  if (withNode.length) throw new Error(`PATH would hold node: ${withNode.join(", ")}`);
  return path.join(delimiter);
}

/** The environment of every install run: a fresh PULUMI_HOME, no ambient plugins, downloads on and sent to `server`. */
export function installEnv(server: ReleaseServer, path: string): Record<string, string> {
  const home = scratchDir("pulumi-home-");
  return {
    PATH: path,
    PULUMI_HOME: home,
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false",
    PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^${RELEASE_URL.replace(/[.]/g, "\\.")}=${server.url}`,
  };
}

const made: string[] = [];

/** A fresh folder under .tmp, removed by {@link removeScratch}. */
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(WORK, prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders this file's PATHs and PULUMI_HOMEs were made in. */
export function removeScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The plugins a PULUMI_HOME holds: its folders under plugins/ (beside them the CLI keeps lock, last-used and schema files). */
export function installedPlugins(home: string): string[] {
  const dir = join(home, "plugins");
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
}
