/** The ApiKey descriptor, and the key properties RotatingApiKey shares with it. */
import { z } from "zod";
import { MAX_TEXT_LENGTH, MAX_METADATA_BYTES, metadataFits } from "../../client/limits";
import type { PropertyDescriptor, ResourceDescriptor } from "../descriptor";

/** Metadata key the provider uses to find its own creates again (see exactlyOnce.ts). */
export const CREATE_TOKEN_KEY = "pulumi-limitly:create-token";
/** Metadata key holding the key's owner stack and resource (see owner.ts). */
export const OWNER_METADATA_KEY = "pulumi-limitly:owner";

const jsonObject = z.custom<Record<string, unknown>>(
  (v) =>
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype &&
    !(CREATE_TOKEN_KEY in (v as object)) &&
    !(OWNER_METADATA_KEY in (v as object)) &&
    metadataFits(v),
);

export const text = z.string().trim().min(1).max(MAX_TEXT_LENGTH);
const upTo = `at most ${MAX_TEXT_LENGTH} characters`;

/** userId: a positive integer, or a non-empty string id; numeric strings become numbers. */
const userId = z.union([
  z.number().int().positive(),
  text.transform((s) => (/^[1-9]\d{0,15}$/.test(s) ? Number(s) : s)),
]);

const timestamp = (description: string): PropertyDescriptor => ({ description, type: { type: "string" } });

/** The fields Limitly stores for a key, and what every key resource outputs about its current key. */
export const KEY_PROPERTIES = {
  name: {
    description: "Display name of the key in Limitly. Required, non-empty. Changes are updated in place.",
    type: { type: "string" },
    required: true,
    input: { schema: text, allowed: `a non-empty string of ${upTo} (it is required)` },
    cli: { option: "name", parse: "text", hint: "<name>", requiredOnCreate: true },
  },
  userId: {
    description:
      'The Limitly user the key belongs to: a positive integer, or a non-empty string id (`42` and `"42"` are the same). Updated in place. Not set: Limitly keeps whatever it has.',
    type: { oneOf: [{ type: "integer" }, { type: "string" }] },
    input: { schema: userId.optional(), allowed: `a positive integer or a non-empty string id of ${upTo}` },
    cli: { option: "user-id", parse: "text", hint: "<id>" },
  },
  planId: {
    description: "The Limitly plan whose limits apply to the key. Updated in place.",
    type: { type: "string" },
    input: { schema: text.optional(), allowed: `a non-empty string of ${upTo} (a Limitly plan id)` },
    cli: { option: "plan-id", parse: "text", hint: "<id>" },
  },
  status: {
    description: '`"active"` (default) or `"inactive"`; an inactive key is refused by Limitly. Updated in place.',
    type: { type: "string" },
    default: "active",
    input: {
      schema: z.enum(["active", "inactive"]).default("active"),
      allowed: `"active" or "inactive" (default "active")`,
    },
    cli: { option: "status", parse: "text", hint: "active|inactive" },
  },
  metadata: {
    description: "Free-form JSON object stored with the key. Key order does not matter. Updated in place.",
    type: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
    input: {
      schema: jsonObject.optional(),
      allowed: `a JSON object (not an array or null) of at most ${MAX_METADATA_BYTES} bytes, without the reserved keys "${CREATE_TOKEN_KEY}" and "${OWNER_METADATA_KEY}"`,
    },
    cli: { option: "metadata", parse: "json", hint: "<json object>" },
  },
  rotation: {
    description:
      'Any string or number; changing it rotates the key value (a date such as `"2026-11"` is a good habit).',
    type: { oneOf: [{ type: "string" }, { type: "number" }] },
    input: {
      schema: z.union([z.string(), z.number().finite()]).optional(),
      allowed: "a string or a number (changing it rotates the key)",
    },
  },
  rotateAfterDays: {
    description:
      "Rotate automatically once the current value is at least this many days old, so a scheduled `pulumi up` rotates keys without a commit.",
    type: { type: "integer" },
    input: { schema: z.number().int().positive().optional(), allowed: "a positive whole number of days" },
  },
  apiKey: {
    description: "The key value (`lk_…`). Secret: encrypted in the state and masked in output.",
    type: { type: "string" },
    secret: true,
  },
  createdAt: timestamp("When Limitly created the key (ISO 8601)."),
  updatedAt: timestamp("When Limitly last changed the key."),
  lastUsedAt: timestamp("When the key was last used, if ever, as of the last refresh."),
  rotatedAt: timestamp("When the current value was issued (creation, or the last rotation in place)."),
  apiKeyLost: {
    description:
      "`true` when the stack holds no working value for this key: a create or regenerate reached Limitly but its answer, the only copy of the value, was lost. The next `pulumi up` issues a new value.",
    type: { type: "boolean" },
  },
} satisfies Record<string, PropertyDescriptor>;

export const apiKeyDescriptor = {
  typeName: "ApiKey",
  description: "A Limitly API key managed by Pulumi.",
  importId: "the Limitly key id (`key_…`); the imported key has no `apiKey` value until its first rotation",
  properties: {
    ...KEY_PROPERTIES,
    rotationStrategy: {
      description:
        'How a rotation happens. `"replace"` (default): a new key is created, dependents move to it, then the old key is deleted; the key id changes. `"regenerate"`: the same key gets a new value (same id and usage history), and the old value stops working at once.',
      type: { type: "string" },
      default: "replace",
      input: {
        schema: z.enum(["replace", "regenerate"]).default("replace"),
        allowed: `"replace" or "regenerate" (default "replace")`,
      },
    },
    adoptKeyId: {
      description:
        "Take over an existing Limitly key (`key_…`) instead of creating one: its fields are set to these inputs, and `apiKey` stays empty until the first rotation. Read only at creation.",
      type: { type: "string" },
      input: { schema: text.optional(), allowed: "a non-empty Limitly key id (key_…)" },
    },
  },
} satisfies ResourceDescriptor;
