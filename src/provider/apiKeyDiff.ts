/**
 * ApiKey diff rules, computed locally without an API call. The same plan drives `diff` (what
 * Pulumi shows) and `update` (what is sent), so the two can never disagree.
 */
import type { ApiKeyFields, ApiKeyRecord } from "../client/records";
import { canonicalJson } from "./check";
import { CREATE_TOKEN_KEY, OWNER_METADATA_KEY } from "./apiKeyInputs";
import { isUnknown } from "./unknown";

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
    metadata: userMetadata(rec.metadata),
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
  const newRotation = news.rotation;
  if (olds[API_KEY_LOST] === true) {
    rotateBecause = "apiKey";
    changed.push("apiKey");
  } else if (
    newRotation !== undefined &&
    (isUnknown(newRotation) || String(newRotation) !== String(olds.rotation ?? ""))
  ) {
    rotateBecause = "rotation";
  } else if (typeof news.rotateAfterDays === "number") {
    const issued = issuedAt(olds);
    if (issued !== undefined && nowMs - issued >= news.rotateAfterDays * DAY_MS) {
      rotateBecause = "rotateAfterDays";
      if (!changed.includes("rotateAfterDays")) changed.push("rotateAfterDays");
    }
  }
  const strategy = news.rotationStrategy === "regenerate" ? "regenerate" : "replace";
  return { changed, apiChanges: apiChanges as ApiKeyFields, rotateBecause, strategy };
}

/** The `diff` answer for Pulumi. */
export function diffApiKey(olds: Record<string, unknown>, news: Record<string, unknown>, nowMs: number) {
  const plan = planApiKeyChange(olds, news, nowMs);
  const replaces = plan.rotateBecause && plan.strategy === "replace" ? [plan.rotateBecause] : [];
  return {
    changes: plan.changed.length > 0 || replaces.length > 0,
    replaces,
    deleteBeforeReplace: false,
  };
}
