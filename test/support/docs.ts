/** The user documentation (docs/, the README, CONTRIBUTING.md) as the docs tests read it: pages, code blocks, links. */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO } from "./scratch";

export const DOCS = join(REPO, "docs");

/** Every Markdown page under docs/, as paths relative to the repository. */
export function docPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
    );
  return walk(DOCS)
    .map((f) => relative(REPO, f))
    .sort();
}

/** The pages whose links are checked: docs/, and the README and CONTRIBUTING.md that lead into it. */
export function linkedPages(): string[] {
  return [...docPages(), "README.md", "CONTRIBUTING.md"].filter((p) => existsSync(join(REPO, p)));
}

/** A page's text; `root` is the repository unless a test builds pages elsewhere. */
export const readPage = (page: string, root = REPO): string => readFileSync(join(root, page), "utf8");

export interface CodeBlock {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
}

/** Every fenced code block of a page, with its language (the word after the fence). */
export function codeBlocks(page: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = readPage(page).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i === lines.length) throw new Error(`${page}:${start + 1}: a code block is never closed`);
    blocks.push({ page, line: start + 1, lang: open[1], text: body.join("\n") + "\n" });
  }
  return blocks;
}

/** Every block of one language in docs/ (and in the README, which users copy from too). */
export function blocksOf(...langs: string[]): CodeBlock[] {
  return [...docPages(), "README.md"].flatMap(codeBlocks).filter((b) => langs.includes(b.lang));
}

/** A block's name in test titles and file names: `docs/rotation.md:6`. */
export const where = (b: CodeBlock): string => `${b.page}:${b.line}`;

/** The first ```<lang> block of the section (any heading level) titled `heading` on `page`. */
export function docSnippet(page: string, heading: string, lang: string): string {
  const text = readPage(page);
  const at = text.search(new RegExp(`^#+ ${heading.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}\\s*$`, "m"));
  if (at < 0) throw new Error(`${page} has no section "${heading}"`);
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text.slice(at));
  if (!block) throw new Error(`${page} section "${heading}" has no ${lang} snippet`);
  return block[1];
}

/** The part of a page under a heading, up to the next heading of the same or a higher level. */
export function section(page: string, heading: string): string {
  const text = readPage(page);
  const m = new RegExp(`^(#+) ${heading.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}\\s*$`, "m").exec(text);
  if (!m) throw new Error(`${page} has no section "${heading}"`);
  const rest = text.slice(m.index + m[0].length);
  const next = new RegExp(`^#{1,${m[1].length}} `, "m").exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

/**
 * The anchor a heading gets (GitHub's and the Registry's rule): lower case, punctuation other than
 * `-` and `_` dropped, spaces to hyphens; a repeated heading gets `-1`, `-2`, ….
 */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^```/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^#{1,6} (.*?)\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Every Markdown link of a page outside code (blocks and spans): its target and line. */
export function links(page: string, root = REPO): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  readPage(page, root)
    .split("\n")
    .forEach((line, i) => {
      if (/^```/.test(line)) fenced = !fenced;
      if (fenced) return;
      const prose = line.replace(/`[^`]*`/g, "``");
      for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) out.push({ target: m[1], line: i + 1 });
    });
  return out;
}
