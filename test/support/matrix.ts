/**
 * Which combination of Node.js and @pulumi/pulumi a test run proves. By default the repo's own:
 * the Node running jest and the locked @pulumi/pulumi. `npm run test:newest` runs jest on the
 * matrix's Node and sets LIMITLY_E2E_SDK to the newest @pulumi/pulumi (test/matrix/newest).
 */
import { readFileSync } from "node:fs";

// Resolved, not joined to a path: the bench runs a compiled copy of this file from another folder.
const locked = (JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string })
  .version;

/** The @pulumi/pulumi that user projects in this run install. */
export const SDK_VERSION = process.env.LIMITLY_E2E_SDK || locked;

/** A short name for folders and titles: `node20-sdk3.248.0`. */
export const COMBINATION = `node${process.versions.node.split(".")[0]}-sdk${SDK_VERSION}`;
