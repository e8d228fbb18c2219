/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The engine-protocol suites share one packed tarball and scratch project, built once here.
  // It also starts the run's one type-check, which globalTeardown waits for (test/support/treeTypecheck.ts).
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  globalTeardown: "<rootDir>/test/support/globalTeardown.ts",
  testTimeout: 60_000,
  // Examples and README snippets import the package by name, as users do; in tests that is the source.
  moduleNameMapper: { "^pulumi-limitly$": "<rootDir>/src/index.ts", "^pulumi-limitly/emulator$": "<rootDir>/src/emulator/index.ts" },
  // One worker more than the cores: the CLI suites spend about a seventh of their time waiting
  // (held answers, retries, Maven, child processes starting), which the extra worker fills
  // (CI on 2 cores: 1,678 s with 2 workers, 1,580 s with 3).
  maxWorkers: require("node:os").availableParallelism() + 1,
  reporters: ["default", "<rootDir>/test/support/summaryReporter.js"],
  // Each file compiled on its own (tsconfig.jest.json): type-checking every file in every worker
  // cost about 3 s of CPU per suite; tsc checks the whole tree once instead (test/support/treeTypecheck.ts).
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
};
