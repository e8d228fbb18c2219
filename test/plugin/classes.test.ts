/**
 * `pulumi-limitly/plugin` as users import it, from the packed package installed in the scratch
 * project: the generated classes behind src/plugin/classes.ts keep their names for ES modules and
 * CommonJS alike, and their statics, `instanceof` and subclassing. Resources are constructed under
 * the SDK's own mocks: what is under test is the classes' surface, not a deployment (the real-CLI
 * suites, e.g. accounts.cli.test.ts, deploy them).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SCRATCH } from "../support/scratch";

const run = promisify(execFile);

const BODY = `
pulumi.runtime.setMocks(
  { newResource: (a) => ({ id: a.name + "_id", state: a.inputs }), call: (a) => a.inputs },
  "project",
  "stack",
  false,
);
class Mine extends limitly.ApiKey {}
const key = new limitly.ApiKey("k", { name: "K" });
const mine = new Mine("m", { name: "M" });
console.log(
  JSON.stringify({
    kinds: ["ApiKey", "RotatingApiKey", "Plan", "User", "Provider", "getPlanUsage", "getApiKeyUsageOutput"].map(
      (n) => typeof limitly[n],
    ),
    type: limitly.ApiKey.__pulumiType,
    get: typeof limitly.ApiKey.get,
    instance: key instanceof limitly.ApiKey,
    subclass: mine instanceof Mine && mine instanceof limitly.ApiKey,
    isInstance: limitly.ApiKey.isInstance(mine) && !limitly.Plan.isInstance(mine),
  }),
);
`;

/** Runs `source` as a file named `file` in the scratch project; its printed JSON. */
async function inScratch(file: string, source: string): Promise<unknown> {
  const dir = mkdtempSync(join(SCRATCH, "classes-"));
  try {
    writeFileSync(join(dir, file), source);
    const { stdout } = await run(process.execPath, [join(dir, file)], { cwd: SCRATCH });
    return JSON.parse(stdout.trim().split("\n").pop()!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EXPECTED = {
  kinds: ["function", "function", "function", "function", "function", "function", "function"],
  type: "limitly:index:ApiKey",
  get: "function",
  instance: true,
  subclass: true,
  isInstance: true,
};

test("from an ES module, named imports", async () => {
  const source = `import * as pulumi from "@pulumi/pulumi";
import { ApiKey, RotatingApiKey, Plan, User, Provider, getPlanUsage, getApiKeyUsageOutput } from "pulumi-limitly/plugin";
const limitly = { ApiKey, RotatingApiKey, Plan, User, Provider, getPlanUsage, getApiKeyUsageOutput };
${BODY}`;
  expect(await inScratch("program.mjs", source)).toEqual(EXPECTED);
});

test("from CommonJS, require", async () => {
  const source = `const pulumi = require("@pulumi/pulumi");
const limitly = require("pulumi-limitly/plugin");
${BODY}`;
  expect(await inScratch("program.cjs", source)).toEqual(EXPECTED);
});
