/**
 * Issues a new key for a resource, exactly once and crash-safe: a key this resource's owner left
 * behind (a killed run) is taken over and regenerated, otherwise one is created with a create
 * token (see exactlyOnce.ts). Shared by ApiKey's create and RotatingApiKey's create and rotation.
 */
import { isCancelled } from "../client/abort";
import type { LimitlyClient } from "../client/client";
import type { ApiKeyRecord } from "../client/records";
import { keyFields, planApiKeyChange } from "./apiKeyDiff";
import { OWNER_METADATA_KEY, type ApiKeyInputs } from "./apiKeyInputs";
import { now } from "./clock";
import { isGone } from "./gone";
import { createKeyExactlyOnce, isAmbiguous, KeyKeptError, regenerateSeen } from "./exactlyOnce";
import { leftBehind, trackKey } from "./owner";

export interface IssuedKey {
  record: ApiKeyRecord;
  /** When the value was issued: the key's creation, or now for a key taken over and regenerated. */
  rotatedAt: string;
}

type KeyFields = Pick<ApiKeyInputs, "name" | "userId" | "planId" | "status" | "metadata">;

/**
 * A key with a value seen by this process. Throws {@link KeyKeptError} when the key exists but its
 * value could not be obtained, so the caller keeps it in the state instead of orphaning it.
 */
export async function issueKey(client: LimitlyClient, i: KeyFields, owner: string | undefined): Promise<IssuedKey> {
  if (owner) {
    const orphan = await leftBehind(client, owner);
    if (orphan) {
      try {
        return await takeOver(client, orphan, i, owner);
      } catch (e) {
        // Deleted since the account was listed (e.g. a pending delete of an earlier run): create.
        if (!(await isGone(client, "key", e, `key ${orphan.id}`))) throw e;
      }
    }
  }
  const { record } = await createKeyExactlyOnce(client, {
    name: i.name,
    userId: i.userId,
    planId: i.planId,
    status: i.status,
    metadata: owner ? { ...(i.metadata ?? {}), [OWNER_METADATA_KEY]: owner } : i.metadata,
  });
  // Held by this resource from now on: a later create of this process never takes it over.
  trackKey(record.id);
  return { record, rotatedAt: record.createdAt };
}

/**
 * Takes over the key an earlier, killed run created for this owner: its value was never seen, so
 * it is regenerated, and what differs from the inputs is changed.
 */
async function takeOver(client: LimitlyClient, orphan: ApiKeyRecord, i: KeyFields, owner: string): Promise<IssuedKey> {
  let rec: ApiKeyRecord;
  try {
    rec = await regenerateSeen(client, orphan.id);
  } catch (e) {
    // Cancelled once the key is known, it is the stack's: kept, not left for another takeover.
    if (!isAmbiguous(e) && !isCancelled(e)) throw e;
    throw new KeyKeptError(
      `${(e as Error).message}. Key ${orphan.id}, left behind by an interrupted run, was taken over but regenerating ` +
        `it ${isCancelled(e) ? "was cancelled" : "got no answer"}: the stack holds no value for it, and the next \`pulumi up\` regenerates it`,
      orphan,
    );
  }
  const value = rec.apiKey;
  const plan = planApiKeyChange(
    keyFields(rec),
    { name: i.name, userId: i.userId, planId: i.planId, status: i.status, metadata: i.metadata },
    now(),
  );
  if (Object.keys(plan.apiChanges).length) {
    const changes = { ...plan.apiChanges };
    if (changes.metadata) changes.metadata = { ...changes.metadata, [OWNER_METADATA_KEY]: owner };
    rec = { ...(await client.apiKeys.update(rec.id, changes)), apiKey: value };
  }
  return { record: rec, rotatedAt: new Date(now()).toISOString() };
}
