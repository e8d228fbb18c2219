/** getApiKeyUsage / getApiKeyRequests (and the Output variants) against the emulator, with the program's config. */
import * as pulumi from "@pulumi/pulumi";
import { request } from "undici";
import { getApiKeyRequests, getApiKeyRequestsOutput, getApiKeyUsage, getApiKeyUsageOutput } from "pulumi-limitly";
import { startHarness, ACCOUNT_KEY, type Harness } from "./support/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  pulumi.runtime.setAllConfig({ "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": h.emu.url }, ["limitly:apiKey"]);
});
afterAll(async () => {
  await h.close();
});

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

test("usage and history of a key that served requests, via stack config", async () => {
  const plan = await h.client.plans.create({ name: "Tiny", maxRequests: 10, requestPeriod: "day" });
  const key = await h.client.apiKeys.create({ name: "used", planId: plan.id });
  for (let i = 0; i < 3; i++) {
    const res = await request(`${h.emu.url}/validate`, {
      method: "POST",
      headers: { authorization: `Bearer ${ACCOUNT_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ api_key: key.apiKey, endpoint: "/orders", method: "GET" }),
    });
    await res.body.dump();
  }
  expect(await getApiKeyUsage({ keyId: key.id })).toMatchObject({
    requestsInPeriod: 3,
    limit: 10,
    remaining: 7,
    period: "day",
    isUnlimited: false,
  });
  const history = await getApiKeyRequests({ keyId: key.id });
  expect(history.count).toBe(3);
  expect(history.requests.every((r) => r.allowed && r.endpoint === "/orders")).toBe(true);
  expect((await resolve(getApiKeyUsageOutput({ keyId: pulumi.output(key.id) }))).requestsInPeriod).toBe(3);
  expect((await resolve(getApiKeyRequestsOutput({ keyId: Promise.resolve(key.id) }))).count).toBe(3);
});

test("an unknown key fails with Limitly's 404", async () => {
  await expect(getApiKeyUsage({ keyId: "key_nope" })).rejects.toThrow(/API_KEY_NOT_FOUND/);
});
