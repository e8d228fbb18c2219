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
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};
