/**
 * The package version: package.json's, the one place it is stated. A literal require, so that a
 * bundler inlines it (the plugin's executable has no package.json beside it) and compiled copies
 * read the package.json their compiler copied beside them.
 */
export const VERSION: string = (require("../package.json") as { version: string }).version;
