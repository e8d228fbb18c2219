/**
 * The RotatingApiKey lifecycle hooks. The resource owns up to two Limitly keys: the current one
 * and, after a rotation, the previous one, which keeps working until it is retired (see
 * rotatingDiff.ts for when). Its id never changes; `keyId` is the current key's.
 */
import { LimitlyError } from "../client/errors";
import type { ApiKeyRecord } from "../client/records";
import { deleteUnlessAdopted, lastSeen } from "./apiKeyHooks";
import { API_KEY_LOST, issuedAt, keyFields } from "./apiKeyDiff";
import { OWNER_METADATA_KEY } from "./apiKeyInputs";
import { compact } from "./check";
import { now } from "./clock";
import { diffTime, updateTime } from "./stepClock";
import { clientOf } from "./config";
import { humanDuration } from "./duration";
import { tellUser } from "./engineLog";
import { keepInState, quotaFull } from "./errors";
import { isGone } from "./gone";
import { isAmbiguous, KeyKeptError, regenerateSeen } from "./exactlyOnce";
import { issueKey } from "./issueKey";
import { OWNER_INPUT, trackKey } from "./owner";
import {
  diffRotatingApiKey,
  planRotatingChange,
  retirementDue,
  retiresAt,
  setting,
  type Retirement,
  type RotatingChangePlan,
} from "./rotatingDiff";
import { unchangedOutputs, type DiffOptions } from "./diffResult";
import type { CheckOptions, CreateResult, UpdateResult } from "./index";
import { isUnknown, UNKNOWN } from "./unknown";
import { checkRotatingApiKey, DEFAULT_GRACE, type RotatingApiKeyInputs } from "./rotatingInputs";

type Props = Record<string, unknown>;

/** The previous key as the state holds it. */
interface Previous {
  id: string;
  apiKey: unknown;
  lastUsedAt?: string;
  retiresAt?: string;
}

const ID_PREFIX = "rotating-";
const iso = (ms: number) => new Date(ms).toISOString();
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

function previousOf(olds: Props): Previous | undefined {
  const id = str(olds.previousKeyId);
  if (!id) return undefined;
  return {
    id,
    apiKey: olds.previousApiKey,
    lastUsedAt: str(olds.previousLastUsedAt),
    retiresAt: str(olds.previousRetiresAt),
  };
}

/** The current key's id: from the state, or from the resource id for a state without one. */
const currentId = (id: string, olds: Props) => str(olds.keyId) ?? id.replace(ID_PREFIX, "");

function outputs(
  cur: ApiKeyRecord,
  book: Props,
  apiKey: unknown,
  rotatedAt: string | undefined,
  previous?: Previous,
  lost = false,
): Props {
  return compact({
    ...keyFields(cur),
    rotation: book.rotation,
    rotateAfterDays: book.rotateAfterDays,
    gracePeriod: book.gracePeriod ?? DEFAULT_GRACE,
    retireWhenUnusedFor: book.retireWhenUnusedFor,
    keyId: cur.id,
    apiKey: typeof apiKey === "string" ? apiKey : "",
    createdAt: cur.createdAt,
    updatedAt: cur.updatedAt,
    lastUsedAt: cur.lastUsedAt,
    rotatedAt: rotatedAt ?? cur.createdAt,
    previousKeyId: previous?.id,
    previousApiKey: previous ? (typeof previous.apiKey === "string" ? previous.apiKey : "") : undefined,
    previousLastUsedAt: previous?.lastUsedAt,
    previousRetiresAt: previous?.retiresAt,
    [API_KEY_LOST]: lost ? true : undefined,
  });
}

export async function check(_self: object, _olds: Props, news: Props, options: CheckOptions = {}) {
  return checkRotatingApiKey(news, options.secrets);
}

export async function diff(_self: object, id: string, olds: Props, news: Props, options?: DiffOptions) {
  trackKey(str(olds.keyId));
  trackKey(str(olds.previousKeyId));
  const nowMs = diffTime(id);
  const plan = planRotatingChange(olds, news, nowMs);
  if (plan.retire) await announce(olds, news, plan.retire, nowMs);
  return diffRotatingApiKey(plan, olds, news, options, unchangedOutputs(olds, predictUpdate(id, olds, news, plan)));
}

const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);

/**
 * What {@link update} answers under `plan`, from the state alone: the fields it sends as sent;
 * unknown what only Limitly's answers tell (a rotation's new key, a regenerated value, the key's
 * times after a call), and a previous key retired for lack of use, which the update looks at once more.
 */
function predictUpdate(id: string, olds: Props, news: Props, plan: RotatingChangePlan): Props {
  const curId = currentId(id, olds);
  const afterCall = { updatedAt: UNKNOWN, lastUsedAt: UNKNOWN };
  const put = Object.keys(plan.apiChanges).length > 0;
  let cur: ApiKeyRecord = { ...lastSeen(curId, olds), ...plan.apiChanges, ...(put ? afterCall : {}) };
  let apiKey = olds.apiKey;
  let rotatedAt = str(olds.rotatedAt);
  let previous = previousOf(olds);
  if (plan.retire && previous)
    previous =
      plan.retire.reason === "unused"
        ? { id: UNKNOWN, apiKey: UNKNOWN, lastUsedAt: UNKNOWN, retiresAt: UNKNOWN }
        : undefined;
  if (plan.rotateBecause === "apiKey") {
    cur = { ...cur, ...afterCall };
    [apiKey, rotatedAt] = [UNKNOWN, UNKNOWN];
  } else if (plan.rotateBecause) {
    const i = news as unknown as RotatingApiKeyInputs;
    previous = { id: curId, apiKey, lastUsedAt: cur.lastUsedAt, retiresAt: UNKNOWN };
    cur = keyToBe(i);
    [apiKey, rotatedAt] = [UNKNOWN, UNKNOWN];
  }
  if (previous && plan.changed.includes("gracePeriod"))
    previous = {
      ...previous,
      retiresAt: known(rotatedAt) && !isUnknown(news.gracePeriod) ? retiresAt(rotatedAt, news.gracePeriod) : UNKNOWN,
    };
  if (rotatedAt === undefined) {
    const t = issuedAt(olds);
    rotatedAt = t === undefined ? undefined : iso(t);
  }
  return outputs(cur, news, apiKey, rotatedAt, previous);
}

/** A key a preview expects to be created from the inputs: what Limitly decides is unknown. */
function keyToBe(i: RotatingApiKeyInputs): ApiKeyRecord {
  return {
    id: UNKNOWN,
    name: i.name,
    status: i.status,
    userId: i.userId,
    planId: i.planId,
    metadata: i.metadata,
    createdAt: UNKNOWN,
    updatedAt: UNKNOWN,
  };
}

/** What {@link create} answers, without any call: a new key holding what the inputs give. */
export async function previewCreate(_self: object, inputs: Props): Promise<CreateResult> {
  return { id: "", outs: outputs(keyToBe(inputs as unknown as RotatingApiKeyInputs), inputs, UNKNOWN, UNKNOWN) };
}

/** What {@link update} answers, by the same plan, without any call. */
export async function previewUpdate(_self: object, id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return { outs: predictUpdate(id, olds, news, planRotatingChange(olds, news, updateTime(id))) };
}

/** Tells the person previewing that the previous key goes, and warns when it is still being used. */
async function announce(olds: Props, news: Props, retire: Retirement, nowMs: number): Promise<void> {
  // By the grace in the new inputs, which may differ from the one the state was written with.
  const graceEnd = retiresAt(olds.rotatedAt, setting(olds, news, "gracePeriod"));
  const who = `RotatingApiKey "${String(olds.name)}": previous key ${String(olds.previousKeyId)}`;
  if (retire.stillUsedAt) {
    const ago = humanDuration(nowMs - Date.parse(retire.stillUsedAt));
    await tellUser(
      "WARNING",
      `${who} is still in use: Limitly last saw it at ${retire.stillUsedAt} (${ago} ago, as of the last refresh). ` +
        `Its grace period ended at ${String(graceEnd)}, so this update deletes it and whatever still ` +
        "sends it will be refused. To keep it longer, raise gracePeriod before running `pulumi up`",
    );
  } else if (retire.reason === "unused") {
    const since = str(olds.previousLastUsedAt) ?? String(olds.rotatedAt);
    await tellUser("INFO", `${who} is retired by this update: unused since ${since} (retireWhenUnusedFor)`);
  } else {
    await tellUser("INFO", `${who} is retired by this update: its grace period ended at ${String(graceEnd)}`);
  }
}

export async function create(self: object, inputs: Props) {
  const i = inputs as unknown as RotatingApiKeyInputs;
  try {
    const { record, rotatedAt } = await issueKey(clientOf(self), i, str(inputs[OWNER_INPUT]));
    return { id: ID_PREFIX + record.id, outs: outputs(record, inputs, record.apiKey, rotatedAt) };
  } catch (e) {
    if (e instanceof KeyKeptError)
      throw keepInState(
        e.code,
        e.message,
        ID_PREFIX + e.record.id,
        outputs(e.record, inputs, "", e.record.createdAt, undefined, true),
        inputs,
      );
    if (e instanceof LimitlyError && e.code === "KEY_LIMIT_REACHED")
      throw quotaFull(e, i.name, "delete a key the account no longer uses, or raise the quota in Limitly");
    throw e;
  }
}

export async function read(self: object, id: string, props: Props = {}) {
  const client = clientOf(self);
  const curId = currentId(id, props);
  trackKey(curId);
  let cur: ApiKeyRecord;
  try {
    cur = await client.apiKeys.read(curId);
  } catch (e) {
    if (await isGone(client, "key", e, `key ${curId}`)) return { id: "" };
    throw e;
  }
  let previous = previousOf(props);
  if (previous) {
    trackKey(previous.id);
    try {
      previous = { ...previous, lastUsedAt: (await client.apiKeys.read(previous.id)).lastUsedAt };
    } catch (e) {
      // Deleted behind Pulumi's back: it simply leaves the state.
      if (!(await isGone(client, "key", e, `previous key ${previous.id}`))) throw e;
      previous = undefined;
    }
  }
  const outs = outputs(cur, props, props.apiKey, str(props.rotatedAt), previous, props[API_KEY_LOST] === true);
  const inputs = compact({
    ...keyFields(cur),
    rotation: props.rotation,
    rotateAfterDays: props.rotateAfterDays,
    gracePeriod: props.gracePeriod,
    retireWhenUnusedFor: props.retireWhenUnusedFor,
  });
  return { id, props: outs, inputs };
}

export async function update(self: object, id: string, olds: Props, news: Props) {
  const client = clientOf(self);
  const curId = currentId(id, olds);
  trackKey(curId);
  trackKey(str(olds.previousKeyId));
  const stepNow = updateTime(id);
  const plan = planRotatingChange(olds, news, stepNow);
  const owner = str(news[OWNER_INPUT]);
  // As the state last saw it until Limitly answers with something newer.
  let cur = lastSeen(curId, olds);
  let apiKey = olds.apiKey;
  let rotatedAt = str(olds.rotatedAt);
  let previous = previousOf(olds);
  // Whatever was done before a failure is kept in the state, so that it is never forgotten. The
  // rotation marker stays the old one: a rotation that did not happen must be planned again; so does
  // the mark of a value that may not work, until a value is seen (no step that sees one fails after it).
  const partial = (e: unknown, what: string) =>
    keepInState(
      LimitlyError.codeOf(e),
      `${LimitlyError.describe(e)}. ${what}`,
      id,
      outputs(cur, { ...news, rotation: olds.rotation }, apiKey, rotatedAt, previous, olds[API_KEY_LOST] === true),
      news,
    );

  if (plan.apiChanges.metadata && owner)
    plan.apiChanges.metadata = { ...plan.apiChanges.metadata, [OWNER_METADATA_KEY]: owner };
  if (Object.keys(plan.apiChanges).length) cur = await client.apiKeys.update(curId, plan.apiChanges);

  if (plan.retire && previous) {
    const retiring = previous;
    try {
      previous = await retire(client, retiring, plan.retire, olds, news, stepNow);
    } catch (e) {
      throw partial(e, `Retiring previous key ${retiring.id} failed; the next \`pulumi up\` tries again`);
    }
  }

  if (plan.rotateBecause === "apiKey") {
    // No working value is held: regenerating in place cuts nobody off.
    try {
      cur = await regenerateSeen(client, curId, 5, true);
    } catch (e) {
      if (!isAmbiguous(e)) throw partial(e, "The key still has no value; the next `pulumi up` regenerates it");
      throw keepInState(
        "VALUE_LOST",
        `${(e as Error).message}. Regenerating key ${curId} got no answer; the next \`pulumi up\` regenerates it`,
        id,
        outputs(cur, news, "", rotatedAt, previous, true),
        news,
      );
    }
    apiKey = cur.apiKey;
    rotatedAt = iso(now());
  } else if (plan.rotateBecause) {
    if (previous) {
      // Its place goes to the key being rotated out, and a resource holds two keys at most.
      try {
        await deleteUnlessAdopted(client, previous.id, `RotatingApiKey "${String(olds.name)}"`);
      } catch (e) {
        throw partial(
          e,
          `Deleting the older previous key ${previous.id} before the rotation failed; nothing was rotated`,
        );
      }
      previous = undefined;
    }
    const outgoing: Previous = { id: curId, apiKey, lastUsedAt: cur.lastUsedAt };
    let issued;
    try {
      issued = await issueKey(client, news as unknown as RotatingApiKeyInputs, owner);
    } catch (e) {
      if (e instanceof KeyKeptError)
        throw partial(
          e,
          `Rotation created key ${e.record.id} but lost its value; the next \`pulumi up\` takes it over and rotates`,
        );
      if (e instanceof LimitlyError && e.code === "KEY_LIMIT_REACHED")
        throw partial(
          e,
          "A rotation keeps the previous key working until it is retired, so it needs a spare slot in the account's key quota: delete a key the account no longer uses, or raise the quota",
        );
      throw partial(e, "Nothing was rotated");
    }
    cur = issued.record;
    apiKey = issued.record.apiKey;
    rotatedAt = iso(now());
    previous = { ...outgoing, retiresAt: retiresAt(rotatedAt, news.gracePeriod) };
  }
  if (previous && plan.changed.includes("gracePeriod")) previous.retiresAt = retiresAt(rotatedAt, news.gracePeriod);
  if (rotatedAt === undefined) {
    const t = issuedAt(olds);
    rotatedAt = t === undefined ? undefined : iso(t);
  }
  return { outs: outputs(cur, news, apiKey, rotatedAt, previous) };
}

/**
 * Deletes the previous key; `undefined` once it is gone. A retirement for lack of use looks at the
 * key first: when it was used since the last refresh it is kept, with a warning.
 */
async function retire(
  client: ReturnType<typeof clientOf>,
  previous: Previous,
  why: Retirement,
  olds: Props,
  news: Props,
  /** The step's clock reading (stepClock.ts): the one the diff announced the retirement with. */
  nowMs: number,
) {
  if (why.reason === "unused") {
    let lastUsedAt: string | undefined;
    try {
      lastUsedAt = (await client.apiKeys.get(previous.id)).lastUsedAt;
    } catch (e) {
      if (await isGone(client, "key", e, `previous key ${previous.id}`)) return undefined;
      throw e;
    }
    if (
      lastUsedAt !== previous.lastUsedAt &&
      !retirementDue({ ...olds, previousLastUsedAt: lastUsedAt }, news, nowMs)
    ) {
      await tellUser(
        "WARNING",
        `RotatingApiKey "${String(olds.name)}": previous key ${previous.id} was used at ${lastUsedAt}, after the last refresh, so it is kept`,
      );
      return { ...previous, lastUsedAt };
    }
  }
  await deleteUnlessAdopted(client, previous.id, `RotatingApiKey "${String(olds.name)}"`);
  return undefined;
}

/** Deletes both keys, the previous one first. */
export async function remove(self: object, id: string, props: Props) {
  const client = clientOf(self);
  const previous = str(props.previousKeyId);
  const curId = currentId(id, props);
  trackKey(previous);
  trackKey(curId);
  const who = `RotatingApiKey "${String(props.name)}"`;
  if (previous) await deleteUnlessAdopted(client, previous, who);
  await deleteUnlessAdopted(client, curId, who);
}
