/**
 * `pulumi preview --refresh` and `pulumi refresh` of a Pulumi YAML program's resources through the
 * provider plugin (keys, a plan, users) with drift made behind Pulumi's back, under the real CLI:
 * the drift each read by id would show, for a page of the account's listing per 100 keys
 * (test/cli/support/refreshSuite.ts).
 */
import { CLI, describeWithCli, languageHost } from "../cli/support/cli";
import { KEYS, refreshSuite } from "../cli/support/refreshSuite";

jest.setTimeout(300_000);

const yamlHost = CLI.dir ? languageHost("yaml") : CLI.reason;
if (yamlHost) process.stderr.write(`\n[plugin suite] YAML NOT RUN: ${yamlHost}\n`);
const describeWithYaml = yamlHost ? describe.skip : describeWithCli;

const keys = Array.from(
  { length: KEYS },
  (_, i) => `  k${i}:
    type: limitly:index:ApiKey
    properties:
      name: K${i}
      planId: \${pro.id}
      userId: \${u1.userId}
`,
).join("");

const PROGRAM = `resources:
  pro:
    type: limitly:index:Plan
    properties:
      name: Pro
      maxRequests: 1000
      requestPeriod: month
  u1:
    type: limitly:index:User
    properties:
      name: U1
      planId: \${pro.id}
  u2:
    type: limitly:index:User
    properties:
      name: U2
${keys}`;

describeWithYaml("refresh through the plugin (YAML) under the real CLI", () => {
  refreshSuite({ label: "REFRESHYAML", program: PROGRAM, options: { runtime: "yaml" } });
});
