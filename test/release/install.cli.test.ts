/**
 * Installing from a release as users of each language do, under the real `pulumi` CLI against the
 * emulator: release/ served on loopback as the release location (PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES
 * maps the schema's github:// location to it), a fresh PULUMI_HOME per program, ambient plugins
 * ignored, automatic plugin acquisition on, and a PATH with no Node.js. The CLI downloads the
 * plugin's standalone executable itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAccount, type Account } from "../cli/support/account";
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { Program, type StateResource } from "../cli/support/consumer";
import { plaintextSecrets } from "../cli/support/secrets";
import { docSnippet } from "../support/docs";
import { REPO, WORK } from "../support/scratch";
import {
  VERSION,
  archiveName,
  installEnv,
  installedPlugins,
  pathWithoutNode,
  releaseDir,
  removeScratch,
  serveRelease,
  type ReleaseServer,
} from "./support/release";

// A Go program's first build compiles the Pulumi Go SDK: minutes on two cores.
/** examples/python calls getPlanUsage: every run, previews included, reads the plan's usage once. */
const USAGE_READ = "GET /plans/:id/usage";

jest.setTimeout(900_000);

const release = CLI.dir ? releaseDir() : "";
const ARCHIVE = archiveName("linux-amd64");
const PLUGIN_FOLDER = `resource-limitly-v${VERSION}`;
const archiveGets = (server: ReleaseServer) => server.gets.filter((p) => p === `/${ARCHIVE}`);

let server: ReleaseServer;
beforeAll(async () => {
  if (CLI.dir) server = await serveRelease(release);
});
afterAll(async () => {
  await server?.close();
  removeScratch();
});

/** Asserts the CLI installed this version's plugin into `home` and that it is the release's executable. */
function expectInstalled(home: string): void {
  expect(installedPlugins(home)).toEqual([PLUGIN_FOLDER]);
  const exe = join(home, "plugins", PLUGIN_FOLDER, "pulumi-resource-limitly");
  const r = spawnSync(exe, ["--version"], { encoding: "utf8", env: { PATH: "" } });
  expect(r.stdout).toBe(`${VERSION}\n`);
}

describeWithCli("Python: pip install --find-links release/ into a fresh virtualenv, then examples/python", () => {
  const notRun = CLI.dir ? languageHost("python") : CLI.reason;
  let account: Account;
  let prog: Program;
  let venv: string;

  beforeAll(async () => {
    if (notRun) throw new Error(`the Python language host is missing: ${notRun}`);
    account = await startAccount("RELEASEPY");
    venv = mkdtempSync(join(WORK, "release-venv-"));
    for (const [cmd, args] of [
      ["python3", ["-m", "venv", venv]],
      [join(venv, "bin", "pip"), ["install", "-q", "--find-links", release, `pulumi-limitly==${VERSION}`]],
    ] as const) {
      const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 15 * 60_000 });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    }
    prog = new Program("release-python", readFileSync(join(REPO, "examples/python/__main__.py"), "utf8"), {
      runtime: "python",
      virtualenv: venv,
      bare: true,
    });
    prog.env = installEnv(server, pathWithoutNode([], [join(venv, "bin")]));
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(async () => {
    await account?.close();
    if (venv) rmSync(venv, { recursive: true, force: true });
  });

  test("the SDK installed is the release's wheel", () => {
    const r = spawnSync(
      join(venv, "bin", "python"),
      ["-c", "import pulumi_limitly, sys; print(pulumi_limitly.__file__)"],
      {
        encoding: "utf8",
      },
    );
    expect(r.stdout.trim()).toBe(
      join(venv, "lib", `python${pythonVersion(venv)}`, "site-packages", "pulumi_limitly", "__init__.py"),
    );
  });

  test("up downloads the plugin once from the release location and creates everything; Limitly accepts the keys", async () => {
    const before = archiveGets(server).length;
    const r = await prog.ok(["up", "--yes"]);
    expect(r.stdout + r.stderr).not.toMatch(/from \$PATH/);
    expect(archiveGets(server).length - before).toBe(1);
    expectInstalled(prog.env.PULUMI_HOME);
    const o = (await prog.outputs()) as { webKey: string; partnerKey: string; planId: string };
    expect(account.emu.store.plans.get(o.planId)).toMatchObject({ name: "dev plan" });
    expect(await account.validates(o.webKey)).toBe(true);
    expect(await account.validates(o.partnerKey)).toBe(true);
  });

  test("preview --expect-no-changes downloads nothing and asks Limitly only the program's usage read", async () => {
    const before = server.gets.length;
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([USAGE_READ]);
    expect(server.gets.length).toBe(before);
  });

  test("a stack as 0.1.0's SDK left it (its default provider at 0.1.0) previews clean and updates", async () => {
    const state = (await prog.ok(["stack", "export"])).stdout;
    const parsed = JSON.parse(state) as { deployment: { resources: StateResource[] } };
    const providers = parsed.deployment.resources.filter((r) => r.type === "pulumi:providers:limitly");
    expect(providers).toHaveLength(1);
    for (const p of providers)
      for (const props of [p.inputs!, p.outputs!]) {
        expect(props).toMatchObject({ version: VERSION });
        props.version = "0.1.0";
        delete props.pluginDownloadURL; // not recorded by this CLI; 0.1.0's SDK named none
      }
    const file = join(prog.dir, "state-0.1.0.json");
    writeFileSync(file, JSON.stringify(parsed));
    await prog.ok(["stack", "import", "--file", file]);
    expect(await account.callsDuring(() => prog.ok(["preview", "--expect-no-changes"]))).toEqual([USAGE_READ]);
    await prog.ok(["up", "--yes"]);
    const after = await prog.exported();
    const provider = after.deployment.resources.find((r) => r.type === "pulumi:providers:limitly")!;
    expect(provider.inputs).toMatchObject({ version: VERSION });
  });

  test("destroy leaves nothing in the account, and nothing secret was printed or stored", async () => {
    const o = (await prog.outputs()) as { webKey: string; partnerKey: string };
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
    expect(account.emu.store.livePlans()).toEqual([]);
    expect(
      plaintextSecrets([account.credential, o.webKey, o.partnerKey], [prog.backend, prog.dir], prog.printed),
    ).toEqual([]);
  });
});

function pythonVersion(venv: string): string {
  const r = spawnSync(
    join(venv, "bin", "python"),
    ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
    {
      encoding: "utf8",
    },
  );
  return r.stdout.trim();
}

describeWithCli("YAML: the docs' release program, naming the version and download location", () => {
  let account: Account;
  let prog: Program;

  beforeAll(async () => {
    const notRun = languageHost("yaml");
    if (notRun) throw new Error(`the YAML language host is missing: ${notRun}`);
    account = await startAccount("RELEASEYAML");
    // The docs' program verbatim: it names the version and the release location per resource.
    const source = docSnippet("docs/installation-configuration.md", "The provider plugin", "yaml");
    expect(source).toContain(`version: ${VERSION}`);
    prog = new Program("release-yaml", "", { runtime: "yaml", bare: true, files: { "Pulumi.yaml": source } });
    prog.env = installEnv(server, pathWithoutNode([]));
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up downloads the plugin once and creates the key; destroy removes it", async () => {
    const before = archiveGets(server).length;
    await prog.ok(["up", "--yes"]);
    expect(archiveGets(server).length - before).toBe(1);
    expectInstalled(prog.env.PULUMI_HOME);
    const { webKey } = (await prog.outputs()) as { webKey: string };
    expect(await account.validates(webKey)).toBe(true);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
  });
});

describeWithCli("pulumi plugin install resource limitly <version>", () => {
  const runner = () => {
    const prog = new Program(`release-plugin-install-${Math.random().toString(36).slice(2)}`, "", {
      runtime: "yaml",
      bare: true,
    });
    prog.env = installEnv(server, pathWithoutNode([]));
    return prog;
  };

  test("--file <the release's archive> installs the executable", async () => {
    const prog = runner();
    await prog.ok(["plugin", "install", "resource", "limitly", VERSION, "--file", join(release, ARCHIVE)]);
    expectInstalled(prog.env.PULUMI_HOME);
  });

  test("--server <the release location> downloads the archive once and installs it", async () => {
    const prog = runner();
    const before = archiveGets(server).length;
    await prog.ok(["plugin", "install", "resource", "limitly", VERSION, "--server", server.url]);
    expect(archiveGets(server).length - before).toBe(1);
    expectInstalled(prog.env.PULUMI_HOME);
  });
});

describeWithCli("Go: examples/go without its replace, the SDK module from the release's proxy layout", () => {
  let account: Account;
  let prog: Program;
  const MOD = "github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly";

  beforeAll(async () => {
    const notRun = languageHost("go");
    if (notRun) throw new Error(`the Go language host is missing: ${notRun}`);
    account = await startAccount("RELEASEGO");
    const goEnv = (name: string) => spawnSync("go", ["env", name], { encoding: "utf8" }).stdout.trim();
    // The module cache keeps a version once fetched: drop this module so the build fetches it from the release.
    const cache = goEnv("GOMODCACHE");
    for (const dir of [
      join(cache, "github.com/pulumi-limitly"),
      join(cache, "cache/download/github.com/pulumi-limitly"),
    ])
      if (existsSync(dir)) {
        spawnSync("chmod", ["-R", "u+w", dir]);
        rmSync(dir, { recursive: true, force: true });
      }
    const example = (f: string) => readFileSync(join(REPO, "examples/go", f), "utf8");
    const goMod = example("go.mod").replace(
      /\n\/\/ The SDK generated in this repository[^\n]*\nreplace [^\n]*\n/,
      "\n",
    );
    expect(goMod).not.toMatch(/replace/);
    prog = new Program("release-go", example("main.go"), {
      runtime: "go",
      bare: true,
      files: { "go.mod": goMod, "go.sum": example("go.sum") },
    });
    const goBin = spawnSync("go", ["env", "GOROOT"], { encoding: "utf8" }).stdout.trim();
    prog.env = {
      ...installEnv(server, pathWithoutNode([], [join(goBin, "bin")])),
      GOPROXY: `${server.url}/goproxy,${goEnv("GOPROXY")}`,
      // The release's module is not in the public checksum database before it is published.
      GONOSUMDB: "github.com/pulumi-limitly",
      GOFLAGS: "-mod=mod",
    };
    await prog.init("dev", account.credential, account.emu.url);
  });
  afterAll(() => account?.close());

  test("up fetches the SDK module from the proxy layout and the plugin once; a no-op preview; destroy", async () => {
    const before = archiveGets(server).length;
    await prog.ok(["up", "--yes"]);
    expect(server.gets).toContain(`/goproxy/${MOD}/@v/v${VERSION}.zip`);
    expect(archiveGets(server).length - before).toBe(1);
    expectInstalled(prog.env.PULUMI_HOME);
    const o = (await prog.outputs()) as { webKey: string };
    expect(await account.validates(o.webKey)).toBe(true);
    await prog.ok(["preview", "--expect-no-changes"]);
    await prog.ok(["destroy", "--yes"]);
    expect(account.emu.store.liveKeys()).toEqual([]);
  });
});
