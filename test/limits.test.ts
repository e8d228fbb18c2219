/**
 * Field size limits and nulls: what the provider's check accepts, the emulator accepts, and the
 * other way round; explicit nulls (as the Python SDK sends them) mean "not set".
 */
import { request } from "undici";
import { MAX_METADATA_BYTES, MAX_TEXT_LENGTH } from "../src/client/limits";
import { checkApiKey } from "../src/provider/apiKeyInputs";
import { ACCOUNT_KEY, startHarness, type Harness } from "./support/harness";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function post(path: string, body: unknown) {
  const res = await request(`${h.emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ACCOUNT_KEY}` },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

/** Metadata whose JSON is exactly `bytes` long. */
const metadataOf = (bytes: number) => ({ pad: "x".repeat(bytes - '{"pad":""}'.length) });

test.each([
  ["name", { name: "n".repeat(MAX_TEXT_LENGTH) }, { name: "n".repeat(MAX_TEXT_LENGTH) }, true],
  ["name", { name: "n".repeat(MAX_TEXT_LENGTH + 1) }, { name: "n".repeat(MAX_TEXT_LENGTH + 1) }, false],
  [
    "planId",
    { name: "a", planId: "p".repeat(MAX_TEXT_LENGTH + 1) },
    { name: "a", plan_id: "p".repeat(MAX_TEXT_LENGTH + 1) },
    false,
  ],
  [
    "userId",
    { name: "a", userId: "u".repeat(MAX_TEXT_LENGTH + 1) },
    { name: "a", user_id: "u".repeat(MAX_TEXT_LENGTH + 1) },
    false,
  ],
  [
    "metadata",
    { name: "a", metadata: metadataOf(MAX_METADATA_BYTES) },
    { name: "a", metadata: metadataOf(MAX_METADATA_BYTES) },
    true,
  ],
  [
    "metadata",
    { name: "a", metadata: metadataOf(MAX_METADATA_BYTES + 1) },
    { name: "a", metadata: metadataOf(MAX_METADATA_BYTES + 1) },
    false,
  ],
])("%s: the provider's check and the emulator agree (accepted: %#)", async (field, inputs, wire, accepted) => {
  const check = checkApiKey(inputs);
  const answer = await post("/keys", wire);
  expect(check.failures.length === 0).toBe(accepted);
  expect(answer.status === 201).toBe(accepted);
  if (!accepted) {
    expect(check.failures.map((f) => f.property)).toEqual([field]);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      code: "VALIDATION_ERROR",
      details: { field: Object.keys(wire).at(-1) },
    });
  }
});

test("explicit nulls for user_id, plan_id, status and metadata mean not set; the envelope says success", async () => {
  const r = await post("/keys", { name: "from python", user_id: null, plan_id: null, status: null, metadata: null });
  expect(r.status).toBe(201);
  expect(r.json).toMatchObject({
    success: true,
    data: { name: "from python", status: "active", user_id: null, plan_id: null, metadata: {} },
  });
});
