/**
 * What `npm run release` writes (release/, built once if absent): the plugin's standalone
 * executable for each of the five targets (each file's format and architecture read from its
 * header, the linux-amd64 one run with no Node.js), the Python wheel and sdist, the Go module's
 * proxy layout and tag, the Java jar and pom, the npm tarball, the SBOM, and SHA256SUMS with the verify step of docs/installation-configuration.md,
 * which refuses a tampered archive. Two builds of one commit give the same plugin archives.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tar from "tar";
import { PluginDriver } from "../support/pluginDriver";
import { docSnippet } from "../support/docs";
import { WORK } from "../support/scratch";
import {
  TARGETS,
  VERSION,
  archiveName,
  buildRelease,
  checksums,
  pathWithoutNode,
  releaseDir,
  removeScratch,
  type Target,
} from "./support/release";

jest.setTimeout(30 * 60_000);

const release = releaseDir();
const unpacked = new Map<Target, string>();

/** The archive's entries, unpacked once per target. */
async function unpack(target: Target): Promise<string> {
  if (!unpacked.has(target)) {
    const dir = mkdtempSync(join(WORK, `unpacked-${target}-`));
    await tar.x({ file: join(release, archiveName(target)), cwd: dir });
    unpacked.set(target, dir);
  }
  return unpacked.get(target)!;
}

afterAll(() => {
  removeScratch();
  for (const dir of unpacked.values()) rmSync(dir, { recursive: true, force: true });
});

/** Format and architecture from an executable's header: ELF e_machine, Mach-O cputype, PE machine. */
function header(file: string): string {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) === 0x7f454c46) return `ELF ${{ 62: "x86-64", 183: "aarch64" }[b.readUInt16LE(18)] ?? "?"}`;
  if (b.readUInt32LE(0) === 0xfeedfacf)
    return `Mach-O ${{ 0x01000007: "x86_64", 0x0100000c: "arm64" }[b.readUInt32LE(4)] ?? "?"}`;
  if (b.toString("latin1", 0, 2) === "MZ") {
    const pe = b.readUInt32LE(0x3c);
    if (b.toString("latin1", pe, pe + 4) === "PE\0\0")
      return `PE ${{ 0x8664: "x86-64" }[b.readUInt16LE(pe + 4)] ?? "?"}`;
  }
  return "unknown";
}

const EXPECTED: Record<Target, string> = {
  "linux-amd64": "ELF x86-64",
  "linux-arm64": "ELF aarch64",
  "darwin-amd64": "Mach-O x86_64",
  "darwin-arm64": "Mach-O arm64",
  "windows-amd64": "PE x86-64",
};

describe.each(TARGETS)("the %s plugin archive", (target) => {
  const exe = `pulumi-resource-limitly${target.startsWith("windows") ? ".exe" : ""}`;

  test("holds the executable, README.md and LICENSE at its root, and nothing else", async () => {
    const names: string[] = [];
    await tar.t({ file: join(release, archiveName(target)), onReadEntry: (e) => names.push(e.path) });
    expect(names).toEqual([exe, "README.md", "LICENSE"]);
  });

  test(`is a ${EXPECTED[target]} Node.js single executable holding the plugin`, async () => {
    const file = join(await unpack(target), exe);
    expect(header(file)).toBe(EXPECTED[target]);
    const bytes = readFileSync(file);
    // postject flips Node's fuse when it injects the blob, which holds the bundled plugin's source.
    expect(bytes.includes("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1")).toBe(true);
    expect(bytes.includes("pulumi-resource-limitly could not start")).toBe(true);
  });
});

describe("the linux-amd64 executable, on a PATH with no Node.js", () => {
  test("--version prints package.json's version", async () => {
    const exe = join(await unpack("linux-amd64"), "pulumi-resource-limitly");
    const r = spawnSync(exe, ["--version"], { encoding: "utf8", env: { PATH: pathWithoutNode([]) } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  test("serves the provider: GetPluginInfo answers package.json's version", async () => {
    const exe = join(await unpack("linux-amd64"), "pulumi-resource-limitly");
    const plugin = await PluginDriver.spawn({ PATH: pathWithoutNode([]) }, exe);
    try {
      expect(await plugin.pluginVersion()).toBe(VERSION);
    } finally {
      await plugin.close();
    }
  });
});

describe("SHA256SUMS and the verify step of docs/installation-configuration.md", () => {
  // The docs' command: its check, before it installs.
  const check = docSnippet("docs/installation-configuration.md", "Verifying a download", "sh").split(" && ")[0];
  const verify = (dir: string) => spawnSync("sh", ["-c", check], { cwd: dir, encoding: "utf8" });

  test("the docs' check is sha256sum over SHA256SUMS", () => {
    expect(check).toBe("sha256sum --ignore-missing -c SHA256SUMS");
  });

  test("lists every file of the release, and all of them verify", () => {
    const listed = [...checksums(release).keys()].sort();
    const all = (readdirSync(release, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile() && e.name !== "SHA256SUMS")
      .map((e) => join(e.parentPath, e.name).slice(release.length + 1))
      .sort();
    expect(listed).toEqual(all);
    const r = verify(release);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/FAILED/);
  });

  test("a downloaded archive with one byte changed fails the check, naming it", () => {
    const dir = mkdtempSync(join(WORK, "tampered-"));
    try {
      const name = archiveName("linux-amd64");
      copyFileSync(join(release, "SHA256SUMS"), join(dir, "SHA256SUMS"));
      const bytes = readFileSync(join(release, name));
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(join(dir, name), bytes);
      const r = verify(dir);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain(`${name}: FAILED`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the SDKs and the rest of the release", () => {
  const sums = checksums(release);

  test("Python: a wheel and an sdist of pulumi_limitly at this version, naming the release location", () => {
    expect(sums.has(`pulumi_limitly-${VERSION}-py3-none-any.whl`)).toBe(true);
    expect(sums.has(`pulumi_limitly-${VERSION}.tar.gz`)).toBe(true);
    const r = spawnSync(
      "python3",
      [
        "-c",
        "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read('pulumi_limitly/pulumi-plugin.json').decode()); print([n for n in z.namelist() if n.endswith('METADATA')] and z.read([n for n in z.namelist() if n.endswith('METADATA')][0]).decode())",
        join(release, `pulumi_limitly-${VERSION}-py3-none-any.whl`),
      ],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    const [plugin] = r.stdout.split("\n}");
    expect(JSON.parse(`${plugin}\n}`)).toEqual({
      resource: true,
      name: "limitly",
      version: VERSION,
      server: "github://api.github.com/pulumi-limitly",
    });
    expect(r.stdout).toMatch(/^Requires-Dist: pulumi<4\.0\.0,>=3/m);
  });

  test("Go: the module proxy layout of the SDK at v<version>, and the tags a release pushes", () => {
    const mod = "github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly";
    const at = join(release, "goproxy", mod, "@v");
    expect(readFileSync(join(at, "list"), "utf8")).toBe(`v${VERSION}\n`);
    expect(JSON.parse(readFileSync(join(at, `v${VERSION}.info`), "utf8"))).toMatchObject({ Version: `v${VERSION}` });
    expect(readFileSync(join(at, `v${VERSION}.mod`), "utf8")).toMatch(new RegExp(`^module ${mod}\\n`));
    const r = spawnSync(
      "python3",
      [
        "-c",
        "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        join(at, `v${VERSION}.zip`),
      ],
      { encoding: "utf8" },
    );
    const names = r.stdout.trim().split("\n");
    expect(names).toContain(`${mod}@v${VERSION}/go.mod`);
    expect(names).toContain(`${mod}@v${VERSION}/pulumi-plugin.json`);
    expect(names.every((n) => n.startsWith(`${mod}@v${VERSION}/`))).toBe(true);
    expect(readFileSync(join(release, "TAGS"), "utf8")).toBe(`v${VERSION}\nsdk/go/limitly/v${VERSION}\n`);
  });

  const mvn = spawnSync("mvn", ["--version"]).status === 0;
  if (!mvn) process.stderr.write("\n[release] JAVA ARTIFACTS NOT CHECKED: no mvn on PATH, so the release has none\n");
  (mvn ? test : test.skip)(
    "Java: the SDK's jar and pom in a Maven repository's layout, naming the release location",
    () => {
      const at = `maven/io/github/pulumi-limitly/limitly/${VERSION}/limitly-${VERSION}`;
      expect(sums.has(`${at}.jar`)).toBe(true);
      expect(sums.has(`${at}.pom`)).toBe(true);
      expect(readFileSync(join(release, `${at}.pom`), "utf8")).toMatch(
        new RegExp(`<artifactId>limitly</artifactId>\\s*<version>${VERSION.replace(/\./g, "\\.")}</version>`),
      );
      const r = spawnSync(
        "python3",
        [
          "-c",
          "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('com/pulumi/limitly/plugin.json').decode())",
          join(release, `${at}.jar`),
        ],
        { encoding: "utf8" },
      );
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        resource: true,
        name: "limitly",
        version: VERSION,
        server: "github://api.github.com/pulumi-limitly",
      });
    },
  );

  test("npm: the package's tarball, with dist/ but not the build's stamp or source maps", async () => {
    expect(sums.has(`pulumi-limitly-${VERSION}.tgz`)).toBe(true);
    const entries: string[] = [];
    await tar.t({ file: join(release, `pulumi-limitly-${VERSION}.tgz`), onReadEntry: (e) => entries.push(e.path) });
    expect(entries).toContain("package/dist/index.js");
    expect(entries.filter((e) => e.endsWith("/.inputs") || e.endsWith(".map"))).toEqual([]);
  });

  test("the SBOM is CycloneDX and names what the executable bundles, the Node.js it runs on among them", () => {
    const sbom = JSON.parse(readFileSync(join(release, `pulumi-resource-limitly-v${VERSION}.cdx.json`), "utf8")) as {
      bomFormat: string;
      metadata: { component: { name: string; version: string } };
      components: { name: string; version: string }[];
    };
    expect(sbom.bomFormat).toBe("CycloneDX");
    expect(sbom.metadata.component).toMatchObject({ name: "pulumi-limitly", version: VERSION });
    const names = sbom.components.map((c) => c.name);
    for (const bundled of ["@grpc/grpc-js", "google-protobuf", "@pulumi/pulumi", "undici", "zod", "node"])
      expect(names).toContain(bundled);
    // Nothing the executable does not hold (the test tools, the compiler).
    expect(names).not.toContain("jest");
    expect(names).not.toContain("typescript");
  });
});

describe("reproducible", () => {
  test("a second build of this commit gives the same plugin archives, SBOM, Go module and npm tarball", () => {
    const again = mkdtempSync(join(WORK, "release-again-"));
    try {
      // The Python and Java SDKs are not compared (build times in the sdist and the jar): not built.
      buildRelease(again, ["python", "java"]);
      const first = checksums(release);
      const second = checksums(again);
      const compared = [...TARGETS.map(archiveName), `pulumi-resource-limitly-v${VERSION}.cdx.json`];
      compared.push(`goproxy/github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly/@v/v${VERSION}.zip`);
      compared.push(`pulumi-limitly-${VERSION}.tgz`);
      for (const f of compared) expect([f, second.get(f)]).toEqual([f, first.get(f)]);
    } finally {
      rmSync(again, { recursive: true, force: true });
      rmSync(`${again}.stamp`, { force: true });
    }
  });
});
