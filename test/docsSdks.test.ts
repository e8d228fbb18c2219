/**
 * The Python and Go blocks of docs/ against the SDKs generated in this repository: each Python block compiles
 * in a virtualenv with PyPI's `pulumi` and `pulumi_limitly` installed (as the Python suite makes its own), its
 * imports import, and every `pulumi_limitly` call names what the SDK has with arguments it takes; each Go block
 * passes `go vet` in a module of its own that replaces the SDK's path with sdk/go/limitly, as examples/go does;
 * each Java block compiles with Maven in a project made like examples/java, against sdk/java installed into the
 * suites' Maven repository. Where python3, go or mvn is missing, that part says NOT RUN and why, and skips.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installJavaSdk, JAVA_POM, MAVEN_ENV } from "./plugin/support/java";
import { pythonVenv } from "./plugin/support/python";
import { blocksOf, where, type CodeBlock } from "./support/docs";
import { REPO, WORK } from "./support/scratch";

// A cold `go vet` compiles the Pulumi Go SDK (minutes on two cores); a cold virtualenv installs `pulumi`.
jest.setTimeout(900_000);

const PYTHON_CHECK = join(__dirname, "support/pythonBlocks.py");

// A virtualenv of its own: the Python suite reinstalls the SDK into its one while its programs may be running.
const venv =
  spawnSync("python3", ["--version"]).status === 0 ? pythonVenv("docs-python") : { reason: "no python3 on PATH" };
if (venv.reason) process.stderr.write(`\n[docs] PYTHON BLOCKS NOT RUN: ${venv.reason}\n`);
const describePython = venv.dir ? describe : describe.skip;

/** The problems the checker finds in `blocks`, as `page:line what`. */
function pythonProblems(blocks: CodeBlock[]): string[] {
  const dir = join(WORK, "docs-python");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((b, i) => {
    const file = join(dir, `block${i + 1}.py`);
    writeFileSync(file, b.text);
    return { file, b };
  });
  const r = spawnSync(join(venv.dir!, "bin", "python"), [PYTHON_CHECK, ...files.map((f) => f.file)], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`the Python check failed: ${r.stderr}`);
  // "<file>:<line> what" -> "<page>:<line of the block's body> what".
  return (JSON.parse(r.stdout) as string[]).map((p) => {
    const m = /^(.*?):(\d+) (.*)$/s.exec(p)!;
    const f = files.find((x) => x.file === m[1])!;
    return `${f.b.page}:${f.b.line + Number(m[2])} ${m[3]}`;
  });
}

describePython("Python blocks", () => {
  test("every ```python block compiles, imports, and calls the SDK as it is", () => {
    const blocks = blocksOf("python");
    expect(blocks.length).toBeGreaterThan(0);
    expect(pythonProblems(blocks)).toEqual([]);
  });

  test("the check finds a misspelt argument, a missing class and a syntax error (so it checks something)", () => {
    const block = (text: string): CodeBlock => ({ page: "docs/wrong.md", line: 10, lang: "python", text });
    expect(
      pythonProblems([
        block('import pulumi_limitly as limitly\nlimitly.Plan("p", name="P", max_request=5)\nlimitly.Gateway("g")\n'),
        block("def broken(:\n"),
      ]),
    ).toEqual([
      "docs/wrong.md:12 Plan takes no argument max_request",
      "docs/wrong.md:13 pulumi_limitly has no Gateway",
      "docs/wrong.md:11 invalid syntax",
    ]);
  });
});

const go = spawnSync("go", ["version"]).status === 0 ? undefined : "no go on PATH";
if (go) process.stderr.write(`\n[docs] GO BLOCKS NOT RUN: ${go}\n`);
const describeGo = go ? describe.skip : describe;

/** `go vet` of a Go program in a module of its own, as examples/go is made; its output when it fails. */
function goVet(name: string, source: string): string {
  const dir = join(WORK, "docs-go", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const example = (file: string) => readFileSync(join(REPO, "examples/go", file), "utf8");
  writeFileSync(
    join(dir, "go.mod"),
    example("go.mod")
      .replace(/^module .*$/m, `module ${name}`)
      .replace("=> ../../sdk/go/limitly", `=> ${join(REPO, "sdk/go/limitly")}`),
  );
  writeFileSync(join(dir, "go.sum"), example("go.sum"));
  writeFileSync(join(dir, "main.go"), source);
  const r = spawnSync("go", ["vet", "."], { cwd: dir, encoding: "utf8", timeout: 850_000 });
  return r.status === 0 ? "" : `${r.stderr}${r.stdout}`.trim() || `go vet exited ${r.status ?? r.signal}`;
}

describeGo("Go blocks", () => {
  test.each(blocksOf("go").map((b, i) => [where(b), b, i] as const))(
    "the Go block at %s builds and passes go vet against sdk/go",
    (_, b, i) => {
      expect(b.text).toMatch(/^package main\n/);
      expect(goVet(`block${i + 1}`, b.text)).toBe("");
    },
  );

  test("go vet fails on a field the SDK's args do not have (so it checks something)", () => {
    const wrong = `package main

import (
	"github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := limitly.NewPlan(ctx, "p", &limitly.PlanArgs{MaxRequest: pulumi.Int(5)})
		return err
	})
}
`;
    expect(goVet("wrong", wrong)).toMatch(/unknown field MaxRequest/);
  });
});

const java = spawnSync("mvn", ["--version"]).status === 0 ? undefined : "no mvn on PATH";
if (java) process.stderr.write(`\n[docs] JAVA BLOCKS NOT RUN: ${java}\n`);
const describeJava = java ? describe.skip : describe;

/** `mvn compile` of a Java program in a project made like examples/java; its output when it fails. */
function javaCompile(name: string, source: string): string {
  const dir = join(WORK, "docs-java", name);
  rmSync(dir, { recursive: true, force: true });
  const pkg = /^package ([\w.]+);/m.exec(source)?.[1] ?? "";
  const cls = /public class (\w+)/.exec(source)?.[1] ?? "App";
  const src = join(dir, "src/main/java", ...pkg.split(".").filter(Boolean));
  mkdirSync(src, { recursive: true });
  writeFileSync(join(dir, "pom.xml"), JAVA_POM);
  writeFileSync(join(src, `${cls}.java`), source);
  const r = spawnSync("mvn", ["-q", "-B", "--no-transfer-progress", "compile"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...MAVEN_ENV },
    timeout: 850_000,
  });
  return r.status === 0 ? "" : `${r.stdout}${r.stderr}`.trim() || `mvn exited ${r.status ?? r.signal}`;
}

describeJava("Java blocks", () => {
  beforeAll(() => {
    const failed = installJavaSdk();
    if (failed) throw new Error(failed);
  });

  test.each(blocksOf("java").map((b, i) => [where(b), b, i] as const))(
    "the Java block at %s compiles against sdk/java",
    (_, b, i) => {
      expect(javaCompile(`block${i + 1}`, b.text)).toBe("");
    },
  );

  test("the compile fails on a builder method the SDK's args do not have (so it checks something)", () => {
    const wrong = `package myproject;

import com.pulumi.Pulumi;
import com.pulumi.limitly.Plan;
import com.pulumi.limitly.PlanArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> new Plan("p", PlanArgs.builder().name("P").maxRequest(5).build()));
    }
}
`;
    expect(javaCompile("wrong", wrong)).toMatch(/cannot find symbol[\s\S]*maxRequest/);
  });
});
