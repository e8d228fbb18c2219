/**
 * ApiKey diff rules, computed locally without an API call. The same plan drives `diff` (what
 * Pulumi shows) and `update` (what is sent), so the two can never disagree.
 */
import type { ApiKeyFields, ApiKeyRecord } from "../client/records";
import { canonicalJson } from "./check";
import { CREATE_TOKEN_KEY, OWNER_METADATA_KEY } from "./apiKeyInputs";
import { diffResult, valueChanges, type Change, type DiffOptions, type DiffResult } from "./diffResult";
import { isUnknown, UNKNOWN } from "./unknown";

const DAY_MS = 86_400_000;

/** The fields Limitly stores, which an update sends with `PUT /keys/{id}`. */
export const API_FIELDS = ["name", "userId", "planId", "status", "metadata"] as const;
type ApiField = (typeof API_FIELDS)[number];

/** Fields only the provider keeps, changed without any API call. */
const BOOKKEEPING_FIELDS = ["rotation", "rotationStrategy", "rotateAfterDays"] as const;

/**
 * Output set when the state cannot hold a working value: a create or regenerate committed, or may
 * have, but its answer (the only copy of the value) was lost. The next update issues a new value.
 */
export const API_KEY_LOST = "apiKeyLost";

/** Metadata as the user sees it: without the provider's create token. */
export function userMetadata(m: unknown): Record<string, unknown> {
  if (!m || typeof m !== "object" || Array.isArray(m)) return {};
  const { [CREATE_TOKEN_KEY]: _token, [OWNER_METADATA_KEY]: _owner, ...rest } = m as Record<string, unknown>;
  return rest;
}

function normalized(field: ApiField, v: unknown): string {
  switch (field) {
    case "userId":
      return v === undefined || v === null ? "" : String(v);
    case "status":
      return String(v ?? "active");
    case "metadata":
      return canonicalJson(userMetadata(v));
    default:
      return v === undefined || v === null ? "" : String(v);
  }
}

/** The fields Limitly stores for a key, as outputs and refreshed inputs show them. */
export function keyFields(rec: ApiKeyRecord) {
  return {
    name: rec.name,
    userId: rec.userId,
    planId: rec.planId,
    status: rec.status,
    // A preview's record may not know the metadata yet.
    metadata: isUnknown(rec.metadata) ? UNKNOWN : userMetadata(rec.metadata),
  };
}

/** When the current key value was issued: the last regenerate, else the key's creation. */
export function issuedAt(olds: Record<string, unknown>): number | undefined {
  const t = Date.parse(String(olds.rotatedAt ?? olds.createdAt ?? ""));
  return Number.isNaN(t) ? undefined : t;
}

export interface ApiKeyChangePlan {
  /** Properties that differ, for Pulumi's report. */
  changed: string[];
  /** What `PUT /keys/{id}` must send (empty: no PUT). */
  apiChanges: ApiKeyFields;
  /**
   * Whether the key value must be rotated, and which property asks for it: `apiKey` when the state
   * holds no working value (a create or regenerate whose answer was lost, see {@link API_KEY_LOST}).
   */
  rotateBecause?: "rotation" | "rotateAfterDays" | "apiKey";
  strategy: "replace" | "regenerate";
  /**
   * The entries of `changed` that are no difference of inputs: a scheduled rotation that is due
   * (`rotateAfterDays` unchanged), a lost value (`apiKey`), a retirement (`previousKeyId`).
   */
  notInputs: string[];
}

/**
 * Compares old outputs with new checked inputs. A property the program does not set is not
 * managed (Limitly keeps its value), except `status`, whose absence means the default `active`.
 */
export function planApiKeyChange(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  nowMs: number,
): ApiKeyChangePlan {
  const changed: string[] = [];
  const apiChanges: Record<string, unknown> = {};
  for (const field of API_FIELDS) {
    const v = news[field];
    if (v === undefined && field !== "status") continue;
    if (isUnknown(v) || normalized(field, v) !== normalized(field, olds[field])) {
      changed.push(field);
      apiChanges[field] = field === "status" ? (v ?? "active") : v;
    }
  }
  for (const field of BOOKKEEPING_FIELDS) {
    const [a, b] = [olds[field], news[field]];
    const differs = isUnknown(b) || (a === undefined ? b !== undefined : b === undefined || String(a) !== String(b));
    if (field === "rotationStrategy" ? String(a ?? "replace") !== String(b ?? "replace") : differs) changed.push(field);
  }

  let rotateBecause: ApiKeyChangePlan["rotateBecause"];
  const notInputs: string[] = [];
  const newRotation = news.rotation;
  if (olds[API_KEY_LOST] === true) {
    rotateBecause = "apiKey";
    changed.push("apiKey");
    notInputs.push("apiKey");
  } else if (
    newRotation !== undefined &&
    (isUnknown(newRotation) || String(newRotation) !== String(olds.rotation ?? ""))
  ) {
    rotateBecause = "rotation";
  } else if (typeof news.rotateAfterDays === "number") {
    const issued = issuedAt(olds);
    if (issued !== undefined && nowMs - issued >= news.rotateAfterDays * DAY_MS) {
      rotateBecause = "rotateAfterDays";
      if (!changed.includes("rotateAfterDays")) {
        changed.push("rotateAfterDays");
        notInputs.push("rotateAfterDays");
      }
    }
  }
  const strategy = news.rotationStrategy === "regenerate" ? "regenerate" : "replace";
  return { changed, apiChanges: apiChanges as ApiKeyFields, rotateBecause, strategy, notInputs };
}

/** What an input left unset means, for the properties that have a default. */
const DEFAULTS: Record<string, unknown> = { status: "active", rotationStrategy: "replace" };

/**
 * How a change due without an input difference shows in a diff: the lost value's mark and a
 * retired previous key go; a due schedule updates.
 */
const NOT_INPUT: Record<string, Pick<Change, "path" | "kind">> = {
  apiKey: { path: API_KEY_LOST, kind: "delete" },
  previousKeyId: { path: "previousKeyId", kind: "delete" },
  rotateAfterDays: { path: "rotateAfterDays", kind: "update" },
};

/**
 * The changes of a key's plan, for its diff: each input difference by property (the metadata key
 * by key, as the user sees it), and each change due without one as such; `replaceFor` is the
 * property whose change rotates the value by replacing the key.
 */
export function keyPlanChanges(
  plan: Pick<ApiKeyChangePlan, "changed" | "notInputs">,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  replaceFor?: string,
): Change[] {
  return plan.changed.flatMap((field): Change[] => {
    const replace = field === replaceFor;
    if (plan.notInputs.includes(field)) return [{ ...NOT_INPUT[field], inputDiff: false, replace }];
    const old = field === "metadata" ? userMetadata(olds.metadata) : (olds[field] ?? DEFAULTS[field]);
    const next = news[field] ?? DEFAULTS[field];
    const found = valueChanges(field, old, next).map((c) => ({ ...c, replace }));
    // Compared as Limitly compares them (`42` is `"42"`), they differ even where JSON does not.
    return found.length ? found : [{ path: field, kind: "update", inputDiff: true, replace }];
  });
}

/** The `diff` answer: a rotation under the "replace" strategy replaces the key. */
export function diffApiKey(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  nowMs: number,
  options: DiffOptions = {},
  stables: string[] = [],
): DiffResult {
  const plan = planApiKeyChange(olds, news, nowMs);
  const replaceFor = plan.rotateBecause && plan.strategy === "replace" ? plan.rotateBecause : undefined;
  return diffResult(keyPlanChanges(plan, olds, news, replaceFor), news, options, stables);
}
