/**
 * `pulumi preview --refresh` and `pulumi refresh` of a TypeScript program's dynamic resources (keys,
 * a plan, users) with drift made behind Pulumi's back, under the real CLI: the drift each read by id
 * would show, for a page of the account's listing per 100 keys (test/cli/support/refreshSuite.ts).
 */
import { describeWithCli } from "./support/cli";
import { KEYS, refreshSuite } from "./support/refreshSuite";

jest.setTimeout(300_000);

const PROGRAM = `import * as limitly from "pulumi-limitly";

const pro = new limitly.Plan("pro", { name: "Pro", maxRequests: 1000, requestPeriod: "month" });
const u1 = new limitly.User("u1", { name: "U1", planId: pro.id });
new limitly.User("u2", { name: "U2" });
for (let i = 0; i < ${KEYS}; i++) new limitly.ApiKey(\`k\${i}\`, { name: \`K\${i}\`, planId: pro.id, userId: u1.userId });
`;

describeWithCli("refresh of dynamic resources under the real CLI", () => {
  refreshSuite({ label: "REFRESHTS", program: PROGRAM, options: {} });
});
