/**
 * The ApiKey lifecycle hooks, as Pulumi's provider host calls them through the serialized
 * delegate. `self` is the deserialized provider object, which carries the configured settings.
 */
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import type { ApiKeyRecord } from "../client/records";
import { checkApiKey, OWNER_METADATA_KEY, type ApiKeyInputs } from "./apiKeyInputs";
import { OWNER_INPUT, trackKey } from "./owner";
import { issueKey } from "./issueKey";
import { deleteKey } from "./deleteKey";
import { API_KEY_LOST, diffApiKey, planApiKeyChange, keyFields, issuedAt, type ApiKeyChangePlan } from "./apiKeyDiff";
import { adoptedHere, noteAdopted } from "./adopted";
import { compact } from "./check";
import { unchangedOutputs, type DiffOptions } from "./diffResult";
import type { CheckOptions, CreateResult, UpdateResult } from "./index";
import { isUnknown, UNKNOWN } from "./unknown";
import { now } from "./clock";
import { diffTime, updateTime } from "./stepClock";
import { clientOf } from "./config";
import { tellUser } from "./engineLog";
import { isAmbiguous, KeyKeptError, regenerateSeen } from "./exactlyOnce";
import { keepInState, quotaFull } from "./errors";
import { isGone } from "./gone";

type Props = Record<string, unknown>;

/**
 * Outputs of an ApiKey: the live record, the provider's bookkeeping, and the secret value. `lost`
 * marks a state whose value may not work (see {@link API_KEY_LOST}); a refresh keeps the mark.
 */
function outputs(
  rec: ApiKeyRecord,
  book: Props,
  apiKey: unknown,
  rotatedAt: string | undefined,
  lost = book[API_KEY_LOST] === true,
): Props {
  return compact({
    ...keyFields(rec),
    rotation: book.rotation,
    rotationStrategy: book.rotationStrategy ?? "replace",
    rotateAfterDays: book.rotateAfterDays,
    adoptKeyId: book.adoptKeyId,
    apiKey: typeof apiKey === "string" ? apiKey : "",
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    lastUsedAt: rec.lastUsedAt,
    rotatedAt: rotatedAt ?? rec.createdAt,
    [API_KEY_LOST]: lost ? true : undefined,
  });
}

export async function check(_self: object, _olds: Props, news: Props, options: CheckOptions = {}) {
  return checkApiKey(news, options.secrets);
}

export async function diff(_self: object, id: string, olds: Props, news: Props, options?: DiffOptions) {
  trackKey(id);
  const nowMs = diffTime(id);
  const predicted = predictUpdate(id, olds, news, planApiKeyChange(olds, news, nowMs));
  return diffApiKey(olds, news, nowMs, options, unchangedOutputs(olds, predicted));
}

/** When the state's value was issued, as an update that does not rotate keeps it. */
function keptRotatedAt(olds: Props): string | undefined {
  if (typeof olds.rotatedAt === "string") return olds.rotatedAt;
  const t = issuedAt(olds);
  return t === undefined ? undefined : new Date(t).toISOString();
}

/**
 * What {@link update} answers under `plan`, from the state alone: the fields it sends as sent, and
 * unknown what only Limitly's answer tells (the key's times after a call, a new value).
 */
function predictUpdate(id: string, olds: Props, news: Props, plan: ApiKeyChangePlan): Props {
  const rotates = plan.rotateBecause !== undefined;
  const calls = rotates || Object.keys(plan.apiChanges).length > 0;
  const rec: ApiKeyRecord = { ...lastSeen(id, olds), ...plan.apiChanges };
  const outs = outputs(rec, news, rotates ? UNKNOWN : olds.apiKey, rotates ? UNKNOWN : keptRotatedAt(olds), false);
  return calls ? { ...outs, updatedAt: UNKNOWN, lastUsedAt: UNKNOWN } : outs;
}

/** What {@link create} answers, without any call: a new key holds what the inputs give, an adopted one keeps the rest. */
export async function previewCreate(_self: object, inputs: Props): Promise<CreateResult> {
  const i = inputs as unknown as ApiKeyInputs;
  const adopting = i.adoptKeyId !== undefined;
  const unset = adopting ? UNKNOWN : undefined;
  const rec: ApiKeyRecord = {
    id: "",
    name: i.name,
    status: i.status,
    userId: i.userId ?? unset,
    planId: i.planId ?? unset,
    metadata: i.metadata,
    createdAt: UNKNOWN,
    updatedAt: UNKNOWN,
    lastUsedAt: unset,
  };
  // An adopted key's value is never seen (see adopt).
  const outs = outputs(rec, inputs, adopting ? "" : UNKNOWN, UNKNOWN, false);
  const id = adopting && !isUnknown(i.adoptKeyId) ? String(i.adoptKeyId) : "";
  return { id, outs: adopting && i.metadata === undefined ? { ...outs, metadata: UNKNOWN } : outs };
}

/** What {@link update} answers, by the same plan, without any call. */
export async function previewUpdate(_self: object, id: string, olds: Props, news: Props): Promise<UpdateResult> {
  trackKey(id);
  return { outs: predictUpdate(id, olds, news, planApiKeyChange(olds, news, updateTime(id))) };
}

export async function create(self: object, inputs: Props) {
  const client = clientOf(self);
  const i = inputs as unknown as ApiKeyInputs;
  const owner = typeof inputs[OWNER_INPUT] === "string" ? inputs[OWNER_INPUT] : undefined;
  if (i.adoptKeyId) return adopt(self, i, owner);
  try {
    const { record, rotatedAt } = await issueKey(client, i, owner);
    return { id: record.id, outs: outputs(record, inputs, record.apiKey, rotatedAt) };
  } catch (e) {
    if (e instanceof KeyKeptError)
      throw keepInState(
        e.code,
        e.message,
        e.record.id,
        outputs(e.record, inputs, "", e.record.createdAt, true),
        inputs,
      );
    if (e instanceof LimitlyError && e.code === "KEY_LIMIT_REACHED") throw quotaFull(e, i.name, quotaAdvice(i));
    throw e;
  }
}

/**
 * What to do about a full key quota. A replace rotation creates the new key before it deletes the
 * old one, so it needs a spare slot that regenerating in place does not.
 */
function quotaAdvice(i: ApiKeyInputs): string {
  return i.rotationStrategy === "regenerate"
    ? "delete a key the account no longer uses, or raise the quota in Limitly"
    : 'if this create is a rotation, note that rotationStrategy "replace" ' +
        "creates the new key before it deletes the old one and so needs one spare slot: set " +
        '`rotationStrategy: "regenerate"` to rotate this key in place with no extra slot, or delete a key the ' +
        "account no longer uses";
}

/**
 * Takes over an existing key: read it, change what differs, never see its value. A key whose owner
 * tag names another resource is still taken over (the user asked for it), with a warning.
 */
async function adopt(self: object, i: ApiKeyInputs, owner: string | undefined) {
  const client = clientOf(self);
  let rec: ApiKeyRecord;
  try {
    rec = await client.apiKeys.get(i.adoptKeyId!);
  } catch (e) {
    if (await isGone(client, "key", e, `key ${i.adoptKeyId}`)) {
      throw new LimitlyError({
        code: LimitlyError.codeOf(e),
        status: 404,
        message:
          `adoptKeyId ${i.adoptKeyId}: no such key in this Limitly account (404). Check the id with \`limitly keys list\` ` +
          `or the dashboard; a deleted key cannot be adopted`,
      });
    }
    throw e;
  }
  const tag = rec.metadata?.[OWNER_METADATA_KEY];
  if (tag !== undefined && tag !== owner)
    await tellUser(
      "WARNING",
      `ApiKey "${i.name}": adoptKeyId ${rec.id} is a key another resource manages (its metadata names ` +
        `${OWNER_METADATA_KEY} ${JSON.stringify(tag)}). That resource may still change, rotate or delete it: ` +
        "remove it from its stack (pulumi state delete) unless this is the same key moving here",
    );
  const plan = planApiKeyChange(keyFields(rec), { ...i, rotation: undefined, rotateAfterDays: undefined }, now());
  if (Object.keys(plan.apiChanges).length) rec = await client.apiKeys.update(rec.id, plan.apiChanges);
  noteAdopted(rec.id);
  return { id: rec.id, outs: outputs(rec, i as unknown as Props, "", rec.createdAt, false) };
}

export async function read(self: object, id: string, props: Props = {}) {
  trackKey(id);
  const client = clientOf(self);
  let rec: ApiKeyRecord;
  try {
    rec = await client.apiKeys.read(id);
  } catch (e) {
    if (await isGone(client, "key", e, `key ${id}`)) return { id: "" };
    throw e;
  }
  const outs = outputs(rec, props, props.apiKey, typeof props.rotatedAt === "string" ? props.rotatedAt : undefined);
  const inputs = compact({
    ...keyFields(rec),
    rotation: props.rotation,
    rotationStrategy: props.rotationStrategy ?? "replace",
    rotateAfterDays: props.rotateAfterDays,
    adoptKeyId: props.adoptKeyId,
  });
  return { id: rec.id, props: outs, inputs };
}

export async function update(self: object, id: string, olds: Props, news: Props) {
  trackKey(id);
  const plan = planApiKeyChange(olds, news, updateTime(id));
  let rec: ApiKeyRecord | undefined;
  let apiKey = olds.apiKey;
  let rotatedAt = typeof olds.rotatedAt === "string" ? olds.rotatedAt : undefined;
  // The owner tag survives a change of the user's metadata.
  if (plan.apiChanges.metadata && typeof news[OWNER_INPUT] === "string")
    plan.apiChanges.metadata = { ...plan.apiChanges.metadata, [OWNER_METADATA_KEY]: news[OWNER_INPUT] };
  if (Object.keys(plan.apiChanges).length) rec = await clientOf(self).apiKeys.update(id, plan.apiChanges);
  if (plan.rotateBecause) {
    // Under "replace" the engine replaces instead of updating; an update that still asks to
    // rotate (e.g. the strategy was switched to "regenerate" in the same change) regenerates.
    try {
      rec = await regenerateSeen(clientOf(self), id, 5, plan.rotateBecause === "apiKey");
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      // Limitly may now hold a value nobody saw, and the old one may be dead: never keep it
      // silently. The state records the key without a value, marked so the next update regenerates.
      const kept = rec ?? lastSeen(id, olds);
      throw keepInState(
        "VALUE_LOST",
        `${(e as Error).message}. Regenerating key ${id} got no answer; Limitly may hold a new value that was never ` +
          "seen and the old value may no longer work, so the stack no longer holds a value for it: " +
          "the next `pulumi up` regenerates it to issue one",
        id,
        outputs(kept, news, "", rotatedAt, true),
        news,
      );
    }
    apiKey = rec.apiKey;
    rotatedAt = new Date(now()).toISOString();
  }
  // Only provider bookkeeping changed: no API call; the live fields are as last seen.
  if (!rec) rec = lastSeen(id, olds);
  if (rotatedAt === undefined) {
    const t = issuedAt(olds);
    rotatedAt = t === undefined ? undefined : new Date(t).toISOString();
  }
  // A marked key always rotates (see planApiKeyChange), so a successful update leaves a value seen.
  return { outs: outputs(rec, news, apiKey, rotatedAt, false) };
}

/** The key as the state last saw it. */
export function lastSeen(id: string, olds: Props): ApiKeyRecord {
  return {
    id,
    name: String(olds.name),
    status: olds.status === "inactive" ? "inactive" : "active",
    userId: olds.userId as number | string | undefined,
    planId: olds.planId as string | undefined,
    metadata: olds.metadata as Record<string, unknown> | undefined,
    createdAt: String(olds.createdAt ?? ""),
    updatedAt: olds.updatedAt as string | undefined,
    lastUsedAt: olds.lastUsedAt as string | undefined,
    apiKey: undefined,
  };
}

/** Deletes the key, surely (see deleteKey.ts), unless another resource adopted it in this run. */
export async function remove(self: object, id: string, props: Props) {
  trackKey(id);
  await deleteUnlessAdopted(clientOf(self), id, `ApiKey "${String(props.name)}"`);
}

/**
 * Deletes key `id` for `who` (see deleteKey.ts), unless another resource of this run adopted it
 * (see adopted.ts): then it is left alone and the user told why. A replacement that adopts the same
 * id is such a resource too: the engine creates it before it deletes the old one.
 */
export async function deleteUnlessAdopted(client: LimitlyClient, id: string, who: string): Promise<void> {
  if (!adoptedHere(id)) return deleteKey(client, id);
  await tellUser(
    "WARNING",
    `${who}: key ${id} is not deleted: a resource of this run (another one, or this one's replacement) took it ` +
      "over with adoptKeyId and now holds it",
  );
}
