/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The engine-protocol suites share one packed tarball and scratch project, built once here.
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  testTimeout: 60_000,
  // Examples and README snippets import the package by name, as users do; in tests that is the source.
  moduleNameMapper: { "^pulumi-limitly$": "<rootDir>/src/index.ts", "^pulumi-limitly/emulator$": "<rootDir>/src/emulator/index.ts" },
  // Half a worker more than the cores: the CLI suites spend about a seventh of their time waiting
  // (held answers, retries, Maven, child processes starting), which the extra worker fills
  // (CI on 2 cores: 1,678 s with 2 workers, 1,580 s with 3).
  maxWorkers: Math.max(2, Math.ceil(require("node:os").availableParallelism() * 1.5)),
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};
