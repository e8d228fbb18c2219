/** The package version, read from package.json at run time so that it cannot drift from it. */
export const VERSION: string = (require("../package.json") as { version: string }).version;
