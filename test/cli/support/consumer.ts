/**
 * A user's project as `pulumi new typescript` makes it, with the packed pulumi-limitly installed
 * from its tarball, and programs that run in it under the real `pulumi` CLI with a `file://`
 * backend. Every command's output is kept, so that a suite can sweep it for secrets.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI } from "./cli";
import { CONSUMER, ROOT, TEMPLATE_TSCONFIG, consumer } from "./project";

export { CONSUMER, POLICY_VERSION, ROOT, TEMPLATE_TSCONFIG, consumer, locked } from "./project";

/** Everything every command printed, for the secret sweep. `revealing` marks `--show-secrets` output. */
export interface Printed {
  command: string;
  stdout: string;
  stderr: string;
  revealing: boolean;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The language hosts a program can run on. */
export type Runtime = "nodejs" | "yaml" | "python" | "go" | "java";

/** The file a program's source goes in (YAML's goes in Pulumi.yaml); Java's is the Maven layout's main class. */
const MAIN: Record<Runtime, string | undefined> = {
  nodejs: "index.ts",
  yaml: undefined,
  python: "__main__.py",
  go: "main.go",
  java: "src/main/java/myproject/App.java",
};

export interface ProgramOptions {
  /** Project name in Pulumi.yaml. */
  project?: string;
  /** More files to write next to index.ts (Pulumi.<stack>.yaml, …). */
  files?: Record<string, string>;
  /**
   * `yaml`: the source is a Pulumi YAML program (its `resources:` and `outputs:`), run by the YAML
   * language host, with the provider plugin this package installs (`pulumi-resource-limitly` in
   * node_modules/.bin) named in Pulumi.yaml's `plugins.providers`, as docs/installation-configuration.md tells users.
   */
  runtime?: Runtime;
  /** For a TypeScript program: name the installed provider plugin in Pulumi.yaml too. */
  plugin?: boolean;
  /**
   * Put the installed provider plugin on PATH instead (as `npm install -g pulumi-limitly` does),
   * where the engine finds it for programs whose SDK names no path: the Python and Go programs.
   */
  pluginOnPath?: boolean;
  /** For a Python program: the virtualenv it runs in. */
  virtualenv?: string;
  /**
   * Nothing from this repository: no consumer install beside the program and no plugin path in
   * Pulumi.yaml (a YAML program names its version and download location itself), as a user of a
   * release has; the CLI downloads the plugin.
   */
  bare?: boolean;
}

/**
 * Where the consumer's install puts the provider plugin's command; the folder of the standalone
 * executable instead when `LIMITLY_PLUGIN_EXECUTABLE` names one (running the suites against a release).
 */
export const PLUGIN_DIR = process.env.LIMITLY_PLUGIN_EXECUTABLE
  ? dirname(process.env.LIMITLY_PLUGIN_EXECUTABLE)
  : join(CONSUMER, "node_modules", ".bin");

/**
 * A folder holding only the installed `pulumi-resource-limitly`, as a global npm install's bin
 * folder holds it, to put on PATH.
 */
function pluginBin(): string {
  const dir = join(ROOT, "plugin-bin");
  const link = join(dir, "pulumi-resource-limitly");
  mkdirSync(dir, { recursive: true });
  // Re-pointed every time: an earlier run may have linked the npm bin, this one an executable.
  rmSync(link, { force: true });
  try {
    symlinkSync(join(PLUGIN_DIR, "pulumi-resource-limitly"), link);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return dir;
}

/** A program folder in the consumer project (its node_modules), with its own state backend. */
export class Program {
  readonly dir: string;
  readonly backend: string;
  readonly printed: Printed[] = [];
  /** Extra environment for every command (the pinned clock, …). */
  env: Record<string, string> = {};

  constructor(name: string, source: string, opts: ProgramOptions = {}) {
    this.dir = join(ROOT, "programs", name);
    this.backend = join(this.dir, ".state");
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.backend, { recursive: true });
    this.project = opts.project ?? name;
    this.runtime = opts.runtime ?? "nodejs";
    this.plugin = !opts.bare && (opts.plugin === true || this.runtime === "yaml");
    this.pluginOnPath = opts.pluginOnPath === true;
    this.virtualenv = opts.virtualenv;
    this.write(source);
    if (!opts.bare) {
      const installed = consumer();
      copyFileSync(join(installed, "package.json"), join(this.dir, "package.json"));
      writeFileSync(join(this.dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
      symlinkSync(join(installed, "node_modules"), join(this.dir, "node_modules"), "dir");
    }
    for (const [file, text] of Object.entries(opts.files ?? {})) {
      mkdirSync(dirname(join(this.dir, file)), { recursive: true });
      writeFileSync(join(this.dir, file), text);
    }
  }

  private readonly project: string;
  private readonly runtime: Runtime;
  private readonly plugin: boolean;
  private readonly pluginOnPath: boolean;
  private readonly virtualenv?: string;

  /** Replaces the program's source (for YAML, Pulumi.yaml's program part). */
  write(source: string): void {
    const plugins = this.plugin ? `plugins:\n  providers:\n    - name: limitly\n      path: ${PLUGIN_DIR}\n` : "";
    const runtime =
      this.runtime === "python"
        ? `\n  name: python\n  options:\n    virtualenv: ${this.virtualenv}`
        : ` ${this.runtime}`;
    const head = `name: ${this.project}\nruntime:${runtime}\ndescription: pulumi-limitly CLI suite\n${plugins}`;
    const main = MAIN[this.runtime];
    writeFileSync(join(this.dir, "Pulumi.yaml"), main ? head : `${head}${source}`);
    if (main) {
      mkdirSync(dirname(join(this.dir, main)), { recursive: true });
      writeFileSync(join(this.dir, main), source);
    }
  }

  /** Runs `pulumi <args>` in the program's folder; never throws on a non-zero exit. */
  pulumi(
    args: string[],
    opts: {
      env?: Record<string, string>;
      input?: string;
      /** Called with a function that SIGKILLs the command and everything it started. */
      killer?: (kill: () => void) => void;
      /**
       * Called with a function that sends SIGINT to the command's process group, as a user's
       * Ctrl-C does (the plugins the engine starts have process groups of their own).
       */
      interrupter?: (interrupt: () => void) => void;
    } = {},
  ): Promise<Result> {
    if (!CLI.dir) throw new Error(`no Pulumi CLI: ${CLI.reason}`);
    const env: NodeJS.ProcessEnv = {
      // The Node that runs this suite runs the program and the provider host too.
      PATH: [CLI.dir, dirname(process.execPath), ...(this.pluginOnPath ? [pluginBin()] : []), process.env.PATH].join(
        ":",
      ),
      // The Go language host builds the program with the machine's Go, as a user's would.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^GO[A-Z]/.test(k))),
      HOME: process.env.HOME,
      PULUMI_HOME: join(ROOT, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: "pulumi-limitly-cli-suite",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      ...this.env,
      ...opts.env,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(join(CLI.dir!, "pulumi"), ["--non-interactive", ...args], {
        cwd: this.dir,
        env,
        stdio: ["pipe", "pipe", "pipe"],
        // Its own process group, so the language host can be killed with it (see killLeftovers).
        detached: opts.killer !== undefined || opts.interrupter !== undefined,
      });
      opts.killer?.(() => {
        process.kill(-child.pid!, "SIGKILL");
        this.killLeftovers();
      });
      opts.interrupter?.(() => process.kill(-child.pid!, "SIGINT"));
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.on("error", reject);
      child.stdin.end(opts.input ?? "");
      child.on("close", (code) => {
        this.printed.push({
          command: `pulumi ${args.join(" ")}`,
          stdout,
          stderr,
          revealing: args.includes("--show-secrets"),
        });
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /**
   * The engine starts each plugin in a process group of its own, so killing the CLI's group leaves
   * the provider host running, as a killed run on a user's machine would. Its working folder is the
   * program's: every process there is ended, so that no run outlives its suite.
   */
  private killLeftovers(): void {
    let pids: string[] = [];
    try {
      pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
    } catch {
      return; // not Linux: nothing to find this way
    }
    for (const pid of pids) {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`) === this.dir) process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already, or not ours to inspect.
      }
    }
  }

  /** Like {@link pulumi}, but a non-zero exit fails with everything the command printed. */
  async ok(args: string[], opts: { env?: Record<string, string> } = {}): Promise<Result> {
    const r = await this.pulumi(args, opts);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** `stack init`, the credential as a secret, the emulator's URL, and any plain config. */
  async init(stack: string, credential: string, baseUrl: string, config: Record<string, string> = {}): Promise<void> {
    await this.ok(["stack", "init", stack]);
    await this.ok(["config", "set", "--secret", "limitly:apiKey", credential]);
    await this.ok(["config", "set", "limitly:baseUrl", baseUrl]);
    for (const [k, v] of Object.entries(config)) await this.ok(["config", "set", k, v]);
  }

  /** Stack outputs with secrets revealed. */
  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.ok(["stack", "output", "--json", "--show-secrets"]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** The state as `pulumi stack export` gives it. */
  async exported(): Promise<{ deployment: { resources: StateResource[] } }> {
    const r = await this.ok(["stack", "export"]);
    return JSON.parse(r.stdout) as { deployment: { resources: StateResource[] } };
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  sourcePosition?: string;
  stackTrace?: { sourcePosition?: string }[];
}

/** The resource steps of `pulumi preview --json`, as `[op, name]` sorted, without the stack itself. */
export function steps(previewJson: string): [string, string][] {
  const parsed = JSON.parse(previewJson) as { steps?: { op: string; urn: string }[] };
  return (parsed.steps ?? [])
    .filter((s) => !s.urn.includes("pulumi:pulumi:Stack"))
    .map((s) => [s.op, s.urn.split("::").pop()!] as [string, string])
    .sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]));
}
