#!/usr/bin/env node
// `npm run -s pulumi-cli`: makes sure a Pulumi CLI is ready and prints, as the last line of stdout,
// the absolute folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`.
// Progress goes to stderr. Sources, in order (PULUMI_CLI_SOURCES may narrow them, for tests):
//   home  $PULUMI_HOME/versions/<V>/bin, where the official npm installer and the Automation API install;
//   path  a `pulumi` on PATH (not the npm installer's shim) of at least MIN_CLI;
//   npm   the official npm installer `pulumi@<V>` (a devDependency; it downloads from get.pulumi.com);
//   go    a build from the Go module proxy, for machines that reach the proxy and nothing else.
// Idempotent: once a CLI is there, a run takes a second or two. Never writes inside the repository.
"use strict";

const { execFileSync, spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
const pkg = require("../package.json");

/** The one pinned CLI version: the official npm installer's, which is also what the Go build stamps. */
const CLI_VERSION = pkg.devDependencies.pulumi;
/** Dynamic providers' `configure` (how the credential reaches the provider) needs this CLI. */
const MIN_CLI = "3.139.0";
const SOURCES = ["home", "path", "npm", "go"];

/**
 * Pulumi's own language hosts at v3.259.0, as sources beside the repository (`../shared`, on CI and
 * developers' machines) with a script that builds one against modules the proxy serves. Users get
 * the hosts with the official CLI; here they are built, never committed.
 */
const SHARED_HOSTS = path.resolve(REPO, "..", "shared", "pulumi-language-hosts");
/** The YAML host is an ordinary tagged module the proxy serves. */
const YAML_HOST = { module: "github.com/pulumi/pulumi-yaml", version: "v1.25.0" };
/**
 * The Java host: pulumi-java's `pkg` module at the release matching Maven Central's `com.pulumi:pulumi`
 * 1.16.0. The proxy refuses its version list but serves this exact version.
 */
const JAVA_HOST = { module: "github.com/pulumi/pulumi-java/pkg", version: "v1.16.0" };

// Where ../shared is absent: the Node.js language host is its own Go module with no tags; the proxy
// may serve it only by pseudo-version. These name the commits tagged pkg/v3.259.0 and v3.259.0; the
// last resort is the host as it still lived inside sdk/v3 (≤ v3.68.0), which lacks RunPlugin.
const LANGUAGE_HOSTS = [
  {
    module: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    version: "v3.0.0-20260820084410-a05d88f24d05",
    pkg: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    withCli: true,
  },
  {
    module: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    version: "v3.0.0-20260819165155-0ac56e876614",
    pkg: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
    withCli: true,
  },
  {
    module: "github.com/pulumi/pulumi/sdk/v3",
    version: "v3.68.0",
    pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    withCli: false,
  },
];

const log = (s) => process.stderr.write(`[pulumi-cli] ${s}\n`);
const home = () => process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
const versionRoot = (v = CLI_VERSION) => path.join(home(), "versions", v);
const BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

/** `3.139.0` ≤ version? Pre-release suffixes are ignored. */
function atLeast(version, min = MIN_CLI) {
  const a = String(version).replace(/^v/, "").split(/[.-]/).map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] || 0) !== b[i]) return (a[i] || 0) > b[i];
  return true;
}

/** What `<bin>/pulumi version` prints, or undefined when it does not run. */
function versionOf(bin) {
  const r = spawnSync(bin, ["version"], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

const executable = (f) => {
  try {
    fs.accessSync(f, fs.constants.X_OK);
    return fs.statSync(f).isFile() && fs.statSync(f).size > 0;
  } catch {
    return false;
  }
};

/** The dynamic-provider plugin is a script shipped inside @pulumi/pulumi: put it next to the CLI. */
function ensurePluginScript(dir) {
  const target = path.join(dir, "pulumi-resource-pulumi-nodejs");
  if (executable(target)) return;
  const source = require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [REPO] });
  fs.copyFileSync(source, `${target}.tmp`);
  fs.chmodSync(`${target}.tmp`, 0o755);
  fs.renameSync(`${target}.tmp`, target);
}

/** A folder holding a working CLI of at least MIN_CLI and its Node.js language host; why not otherwise. */
function inspect(dir) {
  const bin = path.join(dir, "pulumi");
  if (!executable(bin)) return { reason: `no pulumi in ${dir}` };
  const version = versionOf(bin);
  if (!version) return { reason: `${bin} does not answer \`pulumi version\`` };
  if (!atLeast(version)) return { reason: `${bin} is ${version}, older than ${MIN_CLI}`, version, old: true };
  const missing = BINARIES.slice(1).filter((b) => !executable(path.join(dir, b)));
  if (missing.length) return { reason: `${dir} has pulumi ${version} but no ${missing.join(" or ")}`, version };
  const host = hostVersion(path.join(dir, "pulumi-language-nodejs"));
  // Our own folder may hold the v3.68 fallback host from before ../shared existed: build the genuine one.
  const ours = path.resolve(dir) === path.resolve(versionRoot(), "bin");
  if (ours && fs.existsSync(SHARED_HOSTS) && host !== `v${CLI_VERSION}`)
    return {
      reason: `${dir} has the Node.js language host ${host ?? "of no version"}, not the genuine v${CLI_VERSION}`,
      version,
      staleHost: true,
    };
  return { dir, version, host };
}

/** What a language host's `-version` prints (the build's stamp), or undefined. */
function hostVersion(bin) {
  if (!executable(bin)) return undefined;
  const r = spawnSync(bin, ["-version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The npm installer's `pulumi` shim (node_modules/.bin) is not a CLI: running it may download one. */
function isNpmShim(file) {
  try {
    return fs.realpathSync(file).endsWith(`${path.sep}pulumi${path.sep}run.js`);
  } catch {
    return true;
  }
}

/** Our own folder (the npm installer's and the Go build's): the plugin script may be added there. */
function fromHome() {
  const dir = path.join(versionRoot(), "bin");
  if (executable(path.join(dir, "pulumi"))) ensurePluginScript(dir);
  return inspect(dir);
}

function fromPath() {
  const seen = [];
  for (const d of (process.env.PATH || "").split(path.delimiter).filter(Boolean)) {
    const bin = path.join(d, "pulumi");
    if (!executable(bin) || isNpmShim(bin)) continue;
    const found = inspect(fs.realpathSync(d));
    if (found.dir) return found;
    seen.push(found);
  }
  const old = seen.find((s) => s.old);
  return { reason: seen.length ? seen.map((s) => s.reason).join("; ") : "no pulumi on PATH", old: old && old.version };
}

function fromNpmInstaller() {
  let run;
  try {
    run = require.resolve("pulumi/run.js", { paths: [REPO] });
  } catch {
    return { reason: "the npm installer package `pulumi` is not installed (npm ci installs it)" };
  }
  log(`trying the official npm installer pulumi@${CLI_VERSION} (downloads from get.pulumi.com)`);
  const r = spawnSync(process.execPath, [run, "version"], {
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, PULUMI_VERSION: CLI_VERSION, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  if (r.status !== 0) {
    const why = (r.stderr || "").trim().split("\n").pop() || (r.error && r.error.message) || `exit ${r.status}`;
    return { reason: `the npm installer could not get the CLI: ${why}` };
  }
  return fromHome();
}

// ---------- the Go build ----------

const GO_ENV = { GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOWORK: "off", GOFLAGS: "-mod=mod" };

function go(args, cwd, extraEnv = {}) {
  return spawnSync("go", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...GO_ENV, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs `go` with progress on stderr (a heartbeat every 30 s); resolves with its exit code and output tail. */
function goStreaming(args, cwd, what) {
  return run("go", args, what, cwd);
}

/** Runs a build command with progress on stderr (a heartbeat every 30 s); resolves with its exit code and output tail. */
function run(command, args, what, cwd = REPO) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...GO_ENV }, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let downloads = 0;
    const keep = (b) => {
      const s = b.toString();
      downloads += (s.match(/go: downloading/g) || []).length;
      tail = (tail + s).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const beat = setInterval(
      () => log(`${what}: ${Math.round((Date.now() - t0) / 1000)} s so far, ${downloads} modules downloaded`),
      30_000,
    );
    child.on("close", (code) => {
      clearInterval(beat);
      resolve({ code, tail, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const ldflags = (v) => `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${v.replace(/^v/, "")}`;
const buildArgs = (v, out, target) => [
  "build",
  "-trimpath",
  "-buildvcs=false",
  "-tags",
  "osusergo,grpcnotrace",
  "-ldflags",
  ldflags(v),
  "-o",
  out,
  target,
];

/** Whether the proxy serves module@version (a quick metadata fetch, no build). */
function served(module, version, cwd) {
  const r = go(["mod", "download", "-json", `${module}@${version}`], cwd);
  if (r.status === 0) return { ok: true };
  const msg = (r.stdout + r.stderr).match(/"Error":\s*"([^"]+)"/);
  return { ok: false, why: msg ? msg[1].split("\\n")[0] : (r.stderr || r.stdout).trim().split("\n").pop() };
}

function goMod(name, goVersion, requires, tools) {
  return [
    `module offline.invalid/${name}`,
    "",
    `go ${goVersion}`,
    "",
    "require (",
    ...requires.map(([m, v]) => `\t${m} ${v}`),
    ")",
    "",
    // A Windows-only fix that pkg/v3 replaces in its own go.mod; replaces do not travel with a module.
    "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
    "",
    ...tools.map((t) => `tool ${t}`),
    "",
  ].join("\n");
}

/** Writes a wrapper module, tidies it (retrying checksum failures without the pulumi sumdb lookups). */
function wrapper(dir, name, goVersion, requires, tools) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "go.mod"), goMod(name, goVersion, requires, tools));
  let r = go(["mod", "tidy"], dir);
  if (r.status !== 0 && /verifying|checksum|sumdb/i.test(r.stderr)) {
    log("checksum database lookup failed; retrying with GONOSUMDB=github.com/pulumi/*");
    r = go(["mod", "tidy"], dir, { GONOSUMDB: "github.com/pulumi/*" });
  }
  if (r.status !== 0)
    throw new Error(`go mod tidy in ${dir} failed:\n${r.stderr.trim().split("\n").slice(-8).join("\n")}`);
}

async function fromGo() {
  const which = spawnSync("go", ["version"], { encoding: "utf8" });
  if (which.status !== 0) return { reason: "no `go` on PATH to build the CLI from the Go module proxy" };
  const root = versionRoot();
  const bin = path.join(root, "bin");
  const work = path.join(root, "build");
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  const v = `v${CLI_VERSION}`;
  const t0 = Date.now();

  const cliPkg = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
  const cliReq = [
    ["github.com/pulumi/pulumi/pkg/v3", v],
    ["github.com/pulumi/pulumi/sdk/v3", v],
  ];
  if (!executable(path.join(bin, "pulumi")) || versionOf(path.join(bin, "pulumi")) !== v) {
    log(`building Pulumi CLI ${v} from the Go module proxy with ${which.stdout.trim()} (cold: 4-10 min on 2 cores)`);
    const probe = served("github.com/pulumi/pulumi/pkg/v3", v, work);
    if (!probe.ok) return { reason: `the Go module proxy refused github.com/pulumi/pulumi/pkg/v3@${v}: ${probe.why}` };
    const dir = path.join(work, "cli");
    wrapper(dir, "pulumi-cli", "1.25.11", cliReq, [cliPkg]);
    const r = await goStreaming(buildArgs(v, path.join(bin, "pulumi.tmp"), cliPkg), dir, "go build pulumi");
    if (r.code !== 0) return { reason: `go build of the pulumi CLI failed:\n${r.tail}` };
    fs.renameSync(path.join(bin, "pulumi.tmp"), path.join(bin, "pulumi"));
    log(`pulumi ${v} built in ${r.seconds.toFixed(0)} s`);
  }

  const hostFile = path.join(bin, "pulumi-language-nodejs");
  let host = { ok: true };
  if (fs.existsSync(SHARED_HOSTS)) {
    if (hostVersion(hostFile) !== v) host = await buildSharedHost("nodejs", bin);
  } else if (!executable(hostFile)) {
    host = await buildProxyHost(bin, work, cliReq, v);
  }
  if (!host.ok) return { reason: host.reason };
  ensurePluginScript(bin);
  log(`Pulumi CLI ready in ${Math.round((Date.now() - t0) / 1000)} s`);
  return inspect(bin);
}

/** The Node.js host from the proxy, for machines without ../shared: v3.259 if served, else v3.68's. */
async function buildProxyHost(bin, work, cliReq, v) {
  const refused = [];
  for (const host of LANGUAGE_HOSTS) {
    const probe = served(host.module, host.version, work);
    if (!probe.ok) {
      refused.push(`${host.module}@${host.version}: ${probe.why}`);
      log(`the proxy refused ${host.module}@${host.version}`);
      continue;
    }
    const dir = path.join(work, "language-host");
    const requires = host.withCli ? [...cliReq, [host.module, host.version]] : [[host.module, host.version]];
    wrapper(dir, "pulumi-language-nodejs", "1.25.11", requires, [host.pkg]);
    const stamp = host.withCli ? v : host.version;
    const out = path.join(bin, "pulumi-language-nodejs.tmp");
    const r = await goStreaming(buildArgs(stamp, out, host.pkg), dir, "go build pulumi-language-nodejs");
    if (r.code !== 0) {
      refused.push(`${host.module}@${host.version}: build failed: ${r.tail.trim().split("\n").pop()}`);
      continue;
    }
    fs.renameSync(out, path.join(bin, "pulumi-language-nodejs"));
    log(`pulumi-language-nodejs from ${host.module}@${host.version} built in ${r.seconds.toFixed(0)} s`);
    return { ok: true };
  }
  return { ok: false, reason: `no Node.js language host could be built: ${refused.join("; ")}` };
}

/** Builds Pulumi's own v3.259.0 host for `lang` from ../shared/pulumi-language-hosts into `bin`. */
async function buildSharedHost(lang, bin) {
  const t0 = Date.now();
  log(`building the genuine pulumi-language-${lang} v${CLI_VERSION} from ${SHARED_HOSTS} (cold: 1-6 min)`);
  const r = await run("bash", [path.join(SHARED_HOSTS, "build.sh"), lang, bin], `build pulumi-language-${lang}`);
  if (r.code !== 0) return { ok: false, reason: `building pulumi-language-${lang} failed:\n${r.tail}` };
  log(`pulumi-language-${lang} built in ${Math.round((Date.now() - t0) / 1000)} s`);
  return { ok: true };
}

/** Builds the YAML language host (an ordinary tagged module) into `bin`. */
async function buildYamlHost(bin) {
  const work = path.join(versionRoot(), "build", "yaml-host");
  const pkgPath = `${YAML_HOST.module}/cmd/pulumi-language-yaml`;
  log(`building pulumi-language-yaml ${YAML_HOST.version} from the Go module proxy (about 2 min)`);
  try {
    wrapper(work, "pulumi-language-yaml", "1.25.11", [[YAML_HOST.module, YAML_HOST.version]], [pkgPath]);
  } catch (e) {
    return { ok: false, reason: e.message };
  }
  const out = path.join(bin, "pulumi-language-yaml.tmp");
  const r = await goStreaming(buildArgs(YAML_HOST.version, out, pkgPath), work, "go build pulumi-language-yaml");
  if (r.code !== 0) return { ok: false, reason: `go build of pulumi-language-yaml failed:\n${r.tail}` };
  fs.renameSync(out, path.join(bin, "pulumi-language-yaml"));
  log(`pulumi-language-yaml built in ${r.seconds.toFixed(0)} s`);
  return { ok: true };
}

/**
 * Builds the Java language host into `bin`. The module's own go.mod carries `replace` lines (so `go
 * install …@version` refuses it): it is built in place, from a writable copy of the downloaded module.
 */
async function buildJavaHost(bin) {
  const work = path.join(versionRoot(), "build", "java-host");
  const { module, version } = JAVA_HOST;
  log(`building pulumi-language-java ${version} from the Go module proxy (about 1 min)`);
  fs.mkdirSync(work, { recursive: true });
  const dl = go(["mod", "download", "-json", `${module}@${version}`], work);
  const dir = dl.status === 0 ? JSON.parse(dl.stdout).Dir : undefined;
  if (!dir) return { ok: false, reason: `the Go module proxy refused ${module}@${version}: ${dl.stderr.trim()}` };
  const src = path.join(work, "src");
  fs.rmSync(src, { recursive: true, force: true });
  fs.cpSync(dir, src, { recursive: true });
  // The module cache is read-only; the copy must be writable for `go build -mod=mod` to update go.sum.
  spawnSync("chmod", ["-R", "u+w", src]);
  const out = path.join(bin, "pulumi-language-java.tmp");
  const stamp = `-s -w -X ${module}/version.Version=${version.replace(/^v/, "")}`;
  const args = ["build", "-trimpath", "-buildvcs=false", "-ldflags", stamp, "-o", out, "./cmd/pulumi-language-java"];
  const r = await run("go", args, "go build pulumi-language-java", src);
  if (r.code !== 0) return { ok: false, reason: `go build of pulumi-language-java failed:\n${r.tail}` };
  fs.renameSync(out, path.join(bin, "pulumi-language-java"));
  log(`pulumi-language-java built in ${r.seconds.toFixed(0)} s`);
  return { ok: true };
}

/**
 * Makes sure the language host for `lang` (python, go, yaml or java) is next to the CLI, building it the
 * first time. Resolves with `{ ok: true, bin }` or `{ ok: false, reason }`.
 */
async function ensureLanguageHost(lang) {
  const cli = await ensure();
  if (!cli.dir) return { ok: false, reason: cli.reason };
  const bin = cli.dir;
  const file = path.join(bin, `pulumi-language-${lang}`);
  if (lang === "nodejs" || executable(file)) return { ok: true, bin };
  const fromProxy = { yaml: buildYamlHost, java: buildJavaHost }[lang];
  if (!fromProxy && !fs.existsSync(path.join(SHARED_HOSTS, lang)))
    return { ok: false, reason: `no sources for the ${lang} language host: ${SHARED_HOSTS} is absent` };
  fs.mkdirSync(home(), { recursive: true });
  const r = await withLock(() =>
    executable(file) ? { ok: true } : fromProxy ? fromProxy(bin) : buildSharedHost(lang, bin),
  );
  return r.ok ? { ok: true, bin } : r;
}

// ---------- one run at a time ----------

/** A lock folder per version, so two test workers do not build the same CLI at once. */
async function withLock(fn) {
  const lock = path.join(home(), "versions", `${CLI_VERSION}.lock`);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        // Being written; wait.
      }
      let alive = false;
      try {
        if (holder) process.kill(holder, 0);
        alive = holder > 0;
      } catch {
        alive = false;
      }
      if (holder && !alive) fs.rmSync(lock, { recursive: true, force: true });
      else if (!holder && Date.now() - t0 > 10_000) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Finds or gets a CLI. Resolves with `{ dir, version, source }` or `{ reason, old }`, where `reason`
 * says what each source answered and `old` is the version of a too-old CLI found on PATH.
 */
async function ensure(sources = (process.env.PULUMI_CLI_SOURCES || SOURCES.join(",")).split(",")) {
  const steps = { home: fromHome, path: fromPath, npm: fromNpmInstaller, go: fromGo };
  for (const s of sources) {
    if (!steps[s]) throw new Error(`PULUMI_CLI_SOURCES: unknown source ${s} (known: ${SOURCES.join(", ")})`);
  }
  const attempt = async (list) => {
    const reasons = [];
    let old;
    for (const s of list) {
      const r = await steps[s]();
      if (r.dir) return { ...r, source: s };
      if (r.old) old = r.old;
      reasons.push(`${s}: ${r.reason}`);
    }
    return { reason: reasons.join("\n"), old };
  };
  // Finding an installed CLI must not wait behind someone else's build: look without the lock first.
  const quick = sources.filter((s) => s === "home" || s === "path");
  const found = await attempt(quick);
  if (found.dir || quick.length === sources.length) return found;
  // Under the lock, look again (another process may have just built it), then get one.
  fs.mkdirSync(home(), { recursive: true });
  return withLock(() => attempt(sources));
}

module.exports = { CLI_VERSION, MIN_CLI, atLeast, ensure, ensureLanguageHost, versionRoot };

if (require.main === module) {
  ensure().then(
    (r) => {
      if (r.dir) {
        log(`pulumi ${r.version} (${r.source})`);
        process.stdout.write(`${r.dir}\n`);
      } else {
        process.stderr.write(`No Pulumi CLI could be had:\n${r.reason}\n`);
        process.exitCode = 1;
      }
    },
    (e) => {
      process.stderr.write(`pulumi-cli: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
