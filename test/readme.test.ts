/** Every TypeScript snippet in the README typechecks against the package, so the docs cannot rot. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { typecheck } from "./support/typecheck";

const README = readFileSync(join(__dirname, "../README.md"), "utf8");
const snippets = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test("the README has its TypeScript snippets and the two set-up commands", () => {
  expect(snippets.length).toBeGreaterThanOrEqual(7);
  expect(README).toMatch(/npm ci\s/);
  expect(README).toMatch(/npm test\s/);
});

test("every ```ts snippet typechecks as its own module", () => {
  const files = Object.fromEntries(snippets.map((s, i) => [`snippet${i + 1}.ts`, s]));
  expect(typecheck(files, "typecheck-readme")).toEqual([]);
}, 60_000);
