#!/usr/bin/env node
// `npm run gen:sdk`: generates the SDKs of the provider plugin from schema.json with the real
// `pulumi package gen-sdk` (the CLI and language hosts as `npm run -s pulumi-cli` gets them), into
// sdk/<language>. Never edit sdk/ by hand. `--check` generates into a temporary folder and fails
// when sdk/ differs, as CI runs it. Languages: nodejs (the `pulumi-limitly/plugin` subpath), python
// (the `pulumi_limitly` package), go (a module of its own, sdk/go/limitly, whose go.mod and go.sum
// this script writes with `go mod tidy` against the Go module proxy) and java (package
// com.pulumi.limitly, built with Maven from the pom.xml and plugin.json this script writes).
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensure, ensureLanguageHost } = require("./pulumi-cli.js");
const { filesUnder } = require("./files");

const REPO = path.resolve(__dirname, "..");
const LANGUAGES = ["nodejs", "python", "go", "java"];

/** The Java SDK's Maven coordinates, and the Pulumi Java SDK it is built against (the minimum it supports). */
const JAVA = { groupId: "io.github.pulumi-limitly", artifactId: "limitly", pulumi: "1.16.0" };

/** Text for an XML element. */
const xml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The Java SDK's pom.xml: Maven, because Gradle cannot build here and Pulumi's own `java` template is Maven. */
function javaPom(schema) {
  // com.pulumi:pulumi gives its own dependencies runtime scope; the generated code compiles against these two
  // (at the versions com.pulumi:pulumi 1.16.0 names).
  const deps = [
    ["com.pulumi", "pulumi", JAVA.pulumi, "compile"],
    ["com.google.code.gson", "gson", "2.10", "compile"],
    ["com.google.code.findbugs", "jsr305", "3.0.2", "compile"],
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/gen-sdk.js; do not edit. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <groupId>${JAVA.groupId}</groupId>
    <artifactId>${JAVA.artifactId}</artifactId>
    <version>${schema.version}</version>
    <packaging>jar</packaging>

    <name>${xml(schema.displayName)}</name>
    <description>${xml(schema.description)}</description>
    <url>${xml(schema.homepage)}</url>
    <licenses>
        <license>
            <name>${xml(schema.license)}</name>
        </license>
    </licenses>

    <properties>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        <maven.compiler.release>11</maven.compiler.release>
    </properties>

    <dependencies>
${deps
  .map(
    ([g, a, v, scope]) => `        <dependency>
            <groupId>${g}</groupId>
            <artifactId>${a}</artifactId>
            <version>${v}</version>
            <scope>${scope}</scope>
        </dependency>`,
  )
  .join("\n")}
    </dependencies>

    <build>
        <plugins>
            <!-- Maven 3.8's default compiler plugin (3.1) knows no \`release\` and targets Java 5. -->
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.13.0</version>
            </plugin>
        </plugins>
    </build>
</project>
`;
}

/**
 * What a Gradle build of gen-sdk's output adds and `buildFiles: "none"` leaves out: the plugin.json
 * the Java language host reads (through the Java SDK's classpath scan) to know which provider
 * plugin, of which version, a program needs. version.txt gen-sdk writes itself.
 */
function javaProject(dir, schema) {
  const resources = path.join(
    dir,
    "src",
    "main",
    "resources",
    ...`${schema.language.java.basePackage}.${schema.name}`.split("."),
  );
  const plugin = { resource: true, name: schema.name, version: schema.version };
  if (schema.pluginDownloadURL) plugin.server = schema.pluginDownloadURL;
  fs.writeFileSync(path.join(resources, "plugin.json"), `${JSON.stringify(plugin, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "pom.xml"), javaPom(schema));
  fs.writeFileSync(path.join(dir, ".gitignore"), "target/\n");
}

/** The Go SDK's module: its path is the schema's importBasePath; the Pulumi SDK the CLI was built from. */
function goModule(dir, schema) {
  const pulumiCli = require("../package.json").devDependencies.pulumi;
  fs.writeFileSync(
    path.join(dir, "go.mod"),
    `module ${schema.language.go.importBasePath}\n\ngo 1.25.11\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${pulumiCli}\n`,
  );
  const r = spawnSync("go", ["mod", "tidy"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off", CGO_ENABLED: "0" },
  });
  if (r.status !== 0) throw new Error(`go mod tidy of the Go SDK failed:\n${r.stderr}`);
}

async function main() {
  const check = process.argv.includes("--check");
  const cli = await ensure();
  if (!cli.dir) throw new Error(`no Pulumi CLI to generate with:\n${cli.reason}`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "limitly-gen-sdk-"));
  let stale = [];
  try {
    for (const lang of LANGUAGES) {
      // gen-sdk asks the language's host to generate (Java's is never built into the CLI): on a
      // fresh machine it is built here, as the suites would build it.
      const host = await ensureLanguageHost(lang);
      const r = spawnSync(
        path.join(cli.dir, "pulumi"),
        ["package", "gen-sdk", path.join(REPO, "schema.json"), "--language", lang, "--out", out],
        {
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${cli.dir}${path.delimiter}${process.env.PATH}`,
            PULUMI_SKIP_UPDATE_CHECK: "true",
          },
        },
      );
      if (r.status !== 0) {
        const why = host.ok ? "" : `\n(no ${lang} language host: ${host.reason})`;
        throw new Error(`pulumi package gen-sdk --language ${lang} failed:\n${r.stderr}${r.stdout}${why}`);
      }
      const made = path.join(out, lang);
      const schema = JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8"));
      if (lang === "go") goModule(path.join(made, "limitly"), schema);
      if (lang === "java") javaProject(made, schema);
      const target = path.join(REPO, "sdk", lang);
      if (check) {
        const a = filesUnder(made);
        // What the tree holds there: tracked files and new ones git does not ignore (a pip build's
        // build/ and *.egg-info are ignored by the SDK's own .gitignore).
        const listed = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "--", `sdk/${lang}`], {
          cwd: REPO,
          encoding: "utf8",
        });
        const b = (
          listed.status === 0
            ? listed.stdout
                .split("\n")
                .filter(Boolean)
                .map((f) => path.relative(`sdk/${lang}`, f))
            : filesUnder(target)
        ).sort();
        const differ = [...new Set([...a, ...b])].filter(
          (f) =>
            !a.includes(f) ||
            !b.includes(f) ||
            !fs.readFileSync(path.join(made, f)).equals(fs.readFileSync(path.join(target, f))),
        );
        stale = stale.concat(differ.map((f) => `sdk/${lang}/${f}`));
      } else {
        fs.rmSync(target, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.cpSync(made, target, { recursive: true });
        process.stderr.write(`generated sdk/${lang}\n`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  if (stale.length) {
    process.stderr.write(
      `the generated SDKs are not current (${stale.join(", ")}): run \`npm run gen:sdk\` and commit\n`,
    );
    process.exit(1);
  }
  if (check) process.stderr.write("the generated SDKs are current\n");
}

main().catch((e) => {
  process.stderr.write(`gen-sdk: ${e.message}\n`);
  process.exit(1);
});
