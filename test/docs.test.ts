/**
 * The documentation cannot rot: every TypeScript block in docs/ and the README type-checks against the packed
 * package in a user's project, every YAML block is a program whose types, properties and references the
 * package schema has, every JSON block parses, every relative link and #anchor between the pages leads
 * somewhere, and the generated reference pages are what `npm run gen:docs` makes of schema.json now.
 * (Python and Go blocks: docsSdks.test.ts. The overview's YAML program runs under the real CLI in
 * test/plugin/yaml.cli.test.ts.)
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";
import { load } from "js-yaml";
import { keyHygienePolicies } from "../src/policy";
import { consumer, TEMPLATE_TSCONFIG } from "./cli/support/project";
import {
  DOCS,
  anchors,
  blocksOf,
  codeBlocks,
  docPages,
  linkedPages,
  links,
  readPage,
  section,
  where,
  type CodeBlock,
} from "./support/docs";
import { REPO, WORK } from "./support/scratch";

jest.setTimeout(240_000);

/** The pages the README and the Registry link to by name: renaming one is a broken link elsewhere. */
const PAGES = [
  "_index.md",
  "installation-configuration.md",
  "rotation.md",
  "drift-and-refresh.md",
  "adoption-and-import.md",
  "usage-functions.md",
  "policy-pack.md",
  "limitly-command.md",
  "emulator.md",
  "large-stacks.md",
  "troubleshooting.md",
  "limitations.md",
  "plugin-and-dynamic-resources.md",
  "resources/api-key.md",
  "resources/rotating-api-key.md",
  "resources/plan.md",
  "resources/user.md",
];

test("docs/ has its pages, and the README its example, install and the two set-up commands", () => {
  expect(docPages()).toEqual(PAGES.map((p) => `docs/${p}`).sort());
  const readme = readPage("README.md");
  expect(readme.split("\n").length).toBeLessThanOrEqual(250);
  expect(readme).toMatch(/^npm ci\s/m);
  expect(readme).toMatch(/^npm test\s/m);
  expect(blocksOf("ts").filter((b) => b.page === "README.md")).toHaveLength(1);
});

/**
 * Type-checks each block as its own module in a folder of the user's project (the packed tarball installed
 * from npm's view of it, `pulumi new typescript`'s compiler options); the diagnostics, by block.
 */
function typecheckInConsumer(blocks: CodeBlock[]): string[] {
  const project = consumer();
  const dir = join(WORK, "docs-typecheck");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(project, "node_modules"), join(dir, "node_modules"), "dir");
  const files = blocks.map((b, i) => {
    const file = join(dir, `block${i + 1}.ts`);
    writeFileSync(file, b.text);
    return { file, block: b };
  });
  const options = ts.convertCompilerOptionsFromJson(TEMPLATE_TSCONFIG.compilerOptions, dir).options;
  const program = ts.createProgram(
    files.map((f) => f.file),
    // Stricter than the template where the repository is: no implicit overrides, no unused locals hidden.
    { ...options, noEmit: true, noImplicitOverride: true, types: ["node"] },
  );
  // The blocks' own diagnostics: a dependency's declarations are its own affair (@pulumi/policy 1.21's re-export
  // names its stripped internals), and the published types are checked by test/cli/types.cli.test.ts.
  return ts.getPreEmitDiagnostics(program).flatMap((d) => {
    const f = files.find((x) => x.file === d.file?.fileName);
    if (d.file && !f) return [];
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const place = f && at ? `${f.block.page}:${f.block.line + 1 + at.line}` : "";
    return [`${place} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`];
  });
}

test("every ```ts block type-checks against the packed package, as its own module", () => {
  const blocks = blocksOf("ts", "typescript");
  expect(blocks.length).toBeGreaterThanOrEqual(12);
  expect(typecheckInConsumer(blocks)).toEqual([]);
});

test("the type-check fails on a block that misuses the package (so it checks something)", () => {
  const wrong: CodeBlock = {
    page: "docs/wrong.md",
    line: 1,
    lang: "ts",
    text: 'import * as limitly from "pulumi-limitly";\nnew limitly.ApiKey("k", { name: "k", rotationStrategy: "swap" });\n',
  };
  expect(typecheckInConsumer([wrong])).toEqual([expect.stringContaining("docs/wrong.md:3")]);
});

const schema = JSON.parse(readPage("schema.json")) as {
  config: { variables: Record<string, unknown> };
  resources: Record<
    string,
    { inputProperties: Record<string, unknown>; properties: Record<string, unknown>; requiredInputs?: string[] }
  >;
};

/** What is wrong with a Pulumi YAML program, by the package schema: unknown types, properties, references. */
function yamlProgramProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const resources = (doc.resources ?? {}) as Record<string, { type: string; properties?: Record<string, unknown> }>;
  const typeOf = (t: string) => schema.resources[t.includes(":index:") ? t : t.replace(/^limitly:/, "limitly:index:")];
  for (const [name, r] of Object.entries(resources)) {
    const s = typeOf(r.type);
    if (!s) {
      problems.push(`${name}: no resource type ${r.type}`);
      continue;
    }
    for (const p of Object.keys(r.properties ?? {}))
      if (!(p in s.inputProperties)) problems.push(`${name}: ${r.type} has no input ${p}`);
    for (const p of s.requiredInputs ?? [])
      if (!(p in (r.properties ?? {}))) problems.push(`${name}: ${r.type} needs ${p}`);
  }
  for (const [, ref, field] of JSON.stringify(doc).matchAll(/\$\{(\w+)\.(\w+)\}/g)) {
    const r = resources[ref];
    const s = r && typeOf(r.type);
    if (!s) problems.push(`\${${ref}.${field}}: no resource ${ref}`);
    else if (!["id", "urn"].includes(field) && !(field in s.properties))
      problems.push(`\${${ref}.${field}}: ${r.type} has no output ${field}`);
  }
  return problems;
}

/** What is wrong with a YAML block: a program by the schema, `limitly:*` config by the provider's settings. */
function yamlProblems(b: CodeBlock): string[] {
  const doc = load(b.text) as Record<string, unknown>;
  if (typeof doc !== "object" || doc === null) return ["not a YAML mapping"];
  const problems = "resources" in doc || "outputs" in doc ? yamlProgramProblems(doc) : [];
  for (const key of Object.keys((doc.config ?? {}) as object))
    if (key.startsWith("limitly:") && !(key.slice(8) in schema.config.variables)) problems.push(`no setting ${key}`);
  return problems;
}

test.each(blocksOf("yaml").map((b) => [where(b), b] as const))(
  "the YAML block at %s is valid by the package schema",
  (_, b) => {
    expect(yamlProblems(b)).toEqual([]);
  },
);

test("the YAML check fails on a wrong type, property or reference (so it checks something)", () => {
  const text = `resources:
  k:
    type: limitly:ApiKey
    properties:
      name: k
      rotationStratgy: regenerate
      planId: \${p.planName}
  p:
    type: limitly:Plan
    properties:
      name: p
      maxRequests: 1
  g:
    type: limitly:Gateway
`;
  expect(yamlProblems({ page: "x", line: 1, lang: "yaml", text })).toEqual([
    "k: limitly:ApiKey has no input rotationStratgy",
    "p: limitly:Plan needs requestPeriod",
    "g: no resource type limitly:Gateway",
    "${p.planName}: limitly:Plan has no output planName",
  ]);
});

test("every JSON block parses, and a policy pack config names only the pack's policies", () => {
  const names = new Set<string>([...keyHygienePolicies.map((p) => p.name), "all"]);
  const blocks = blocksOf("json");
  expect(blocks.length).toBeGreaterThan(0);
  for (const b of blocks) {
    const doc = JSON.parse(b.text) as Record<string, unknown>;
    if (b.page === "docs/policy-pack.md") expect(Object.keys(doc).filter((k) => !names.has(k))).toEqual([]);
  }
});

test("every page's front matter is YAML with a title, and every code block is closed", () => {
  for (const page of docPages()) {
    const m = /^---\n([\s\S]*?)\n---\n/.exec(readPage(page));
    expect({ page, title: m && (load(m[1]) as { title?: unknown }).title }).toEqual({
      page,
      title: expect.any(String),
    });
    codeBlocks(page); // throws on an unclosed fence
  }
});

/** Every relative link and #anchor of `pages` (under `root`) that leads nowhere, as `page:line target`. */
function brokenLinks(pages: string[], root = REPO): string[] {
  const broken: string[] = [];
  for (const page of pages) {
    for (const { target, line } of links(page, root)) {
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:: not ours to check offline
      const [path, anchor] = target.split("#");
      const file = path ? normalize(join(dirname(page), path)) : page;
      if (!existsSync(join(root, file))) broken.push(`${page}:${line} ${target}`);
      else if (anchor !== undefined && file.endsWith(".md") && !anchors(readPage(file, root)).has(anchor))
        broken.push(`${page}:${line} ${target}`);
    }
  }
  return broken;
}

test("every relative link and #anchor between the pages leads somewhere", () => {
  expect(linkedPages().flatMap((p) => links(p)).length).toBeGreaterThan(40);
  expect(brokenLinks(linkedPages())).toEqual([]);
});

test("the link check finds a link to a missing page or anchor (so it checks something)", () => {
  const root = mkdtempSync(join(tmpdir(), "limitly-links-"));
  mkdirSync(join(root, "docs"));
  writeFileSync(join(root, "docs/rotation.md"), readPage("docs/rotation.md"));
  const page = "docs/broken.md";
  const links = "[a](rotation.md#nowhere) [b](gone.md) [c](#here) [d](rotation.md#which-strategy-when)";
  writeFileSync(join(root, page), `---\ntitle: x\n---\n\n## Here\n\n${links}\n`);
  expect(brokenLinks([page], root)).toEqual([`${page}:7 rotation.md#nowhere`, `${page}:7 gone.md`]);
});

test("the overview shows the same example in every language, in the Registry's chooser", () => {
  const example = section("docs/_index.md", "Example");
  expect(example).toContain('{{< chooser language "typescript,python,go,yaml,java" >}}');
  const langs = { typescript: "ts", python: "python", go: "go", yaml: "yaml", java: "java" };
  for (const [lang, fence] of Object.entries(langs)) {
    const tab = new RegExp(`\\{\\{% choosable language ${lang} %\\}\\}([\\s\\S]*?)\\{\\{% /choosable %\\}\\}`).exec(
      example,
    );
    expect({ lang, block: tab?.[1].match(/^```(\w+)$/m)?.[1] }).toEqual({ lang, block: fence });
    // The same resources in each: the plan, the user, the key and the rotating key, with both values exported.
    for (const word of ["pro", "acme", "web", "partner", "webKey", "partnerKey"])
      expect({ lang, word, found: new RegExp(`\\b${word}\\b`).test(tab![1]) }).toEqual({
        lang,
        word,
        found: true,
      });
  }
});

/** Runs scripts/gen-docs.js (of `root`) with `args`. */
function genDocs(root: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "scripts/gen-docs.js"), ...args], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

test("the reference pages are what `npm run gen:docs` makes of schema.json now", () => {
  expect(genDocs(REPO, "--check")).toEqual({ status: 0, stderr: "the generated docs are current\n" });
});

test("a description changed in the schema makes --check fail until gen:docs rewrites the page, prose kept", () => {
  const root = mkdtempSync(join(tmpdir(), "limitly-gen-docs-"));
  cpSync(join(REPO, "scripts/gen-docs.js"), join(root, "scripts/gen-docs.js"));
  cpSync(DOCS, join(root, "docs"), { recursive: true });
  const s = JSON.parse(readPage("schema.json")) as typeof schema & {
    resources: Record<string, { inputProperties: Record<string, { description: string }> }>;
  };
  s.resources["limitly:index:Plan"].inputProperties.maxRequests.description = "Requests per period, said anew.";
  writeFileSync(join(root, "schema.json"), JSON.stringify(s));
  expect(genDocs(root, "--check")).toEqual({ status: 1, stderr: expect.stringContaining("docs/resources/plan.md") });
  expect(genDocs(root).status).toBe(0);
  expect(genDocs(root, "--check").status).toBe(0);
  const page = readPage("docs/resources/plan.md", root);
  expect(page).toContain("| Requests per period, said anew. |");
  expect(page.slice(0, page.indexOf("<!-- BEGIN"))).toBe(
    readPage("docs/resources/plan.md").slice(0, readPage("docs/resources/plan.md").indexOf("<!-- BEGIN")),
  );
});
