#!/usr/bin/env node
// `npm run gen:sdk`: generates the SDKs of the provider plugin from schema.json with the real
// `pulumi package gen-sdk` (the CLI and language hosts as `npm run -s pulumi-cli` gets them), into
// sdk/<language>. Never edit sdk/ by hand. `--check` generates into a temporary folder and fails
// when sdk/ differs, as CI runs it. Languages: nodejs (the `pulumi-limitly/plugin` subpath), python
// (the `pulumi_limitly` package) and go (a module of its own, sdk/go/limitly, whose go.mod and
// go.sum this script writes with `go mod tidy` against the Go module proxy).
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensure } = require("./pulumi-cli.js");

const REPO = path.resolve(__dirname, "..");
const LANGUAGES = ["nodejs", "python", "go"];

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

function files(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return fs.statSync(p).isDirectory() ? files(p, base) : [path.relative(base, p)];
  });
}

async function main() {
  const check = process.argv.includes("--check");
  const cli = await ensure();
  if (!cli.dir) throw new Error(`no Pulumi CLI to generate with:\n${cli.reason}`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "limitly-gen-sdk-"));
  let stale = [];
  try {
    for (const lang of LANGUAGES) {
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
      if (r.status !== 0) throw new Error(`pulumi package gen-sdk --language ${lang} failed:\n${r.stderr}${r.stdout}`);
      const made = path.join(out, lang);
      if (lang === "go")
        goModule(path.join(made, "limitly"), JSON.parse(fs.readFileSync(path.join(REPO, "schema.json"), "utf8")));
      const target = path.join(REPO, "sdk", lang);
      if (check) {
        const a = files(made).sort();
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
            : files(target)
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
