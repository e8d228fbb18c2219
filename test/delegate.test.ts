/**
 * Which provider object a resource serializes (src/resources/delegate.ts): a module's exports when
 * Pulumi's serializer will write a require the provider host can resolve, the function otherwise.
 */
import { makeDelegate, providerFor, requirableByName } from "../src/resources/delegate";
import apiKeyDelegate = require("../src/resources/delegates/apiKey");

test.each([
  ["/home/u/infra/node_modules/pulumi-limitly/dist/resources", true],
  ["/usr/lib/node_modules/pulumi-limitly/dist/resources", true],
  ["C:\\infra\\node_modules\\pulumi-limitly\\dist\\resources", true],
  // pnpm: the serializer would write require(".pnpm/pulumi-limitly@…/…"), which Node cannot resolve.
  ["/home/u/infra/node_modules/.pnpm/pulumi-limitly@0.1.0/node_modules/pulumi-limitly/dist/resources", false],
  // A linked checkout: Node sees the real path, outside any node_modules.
  ["/home/u/src/pulumi-limitly/dist/resources", false],
  ["/home/u/node_modules/other/node_modules/pulumi-limitly/dist/resources", false],
])("%s: requirable by name %s", (dir, expected) => {
  expect(requirableByName(dir)).toBe(expected);
});

test("run from this checkout (not installed), a resource serializes the self-contained delegate", () => {
  const provider = providerFor("ApiKey", apiKeyDelegate) as unknown as Record<string, unknown>;
  expect(provider).not.toBe(apiKeyDelegate);
  expect(Object.keys(provider)).toEqual(Object.keys(makeDelegate("ApiKey")));
});
