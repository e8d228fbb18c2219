/** Snippets of the README, so that the tests run what users copy. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The first ```<lang> block of the README section (any heading level) titled `heading`. */
export function readmeSnippet(heading: string, lang: string): string {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  const at = readme.search(new RegExp(`^#+ ${heading.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}\\s*$`, "m"));
  if (at < 0) throw new Error(`README has no section "${heading}"`);
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(readme.slice(at));
  if (!block) throw new Error(`README section "${heading}" has no ${lang} snippet`);
  return block[1];
}
