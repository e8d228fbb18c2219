/**
 * The ApiKey input schema: what `check` accepts and how it normalizes it.
 */
import { z } from "zod";
import { MAX_TEXT_LENGTH, MAX_METADATA_BYTES, metadataFits } from "../client/limits";
import { checkInputs, type PropertySpec } from "./check";

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

const text = z.string().trim().min(1).max(MAX_TEXT_LENGTH);
const upTo = `at most ${MAX_TEXT_LENGTH} characters`;

/** userId: a positive integer, or a non-empty string id; numeric strings become numbers. */
const userId = z.union([
  z.number().int().positive(),
  text.transform((s) => (/^[1-9]\d{0,15}$/.test(s) ? Number(s) : s)),
]);

export const apiKeySpecs: Record<string, PropertySpec> = {
  name: { schema: text, allowed: `a non-empty string of ${upTo} (it is required)` },
  userId: { schema: userId.optional(), allowed: `a positive integer or a non-empty string id of ${upTo}` },
  planId: { schema: text.optional(), allowed: `a non-empty string of ${upTo} (a Limitly plan id)` },
  status: {
    schema: z.enum(["active", "inactive"]).default("active"),
    allowed: `"active" or "inactive" (default "active")`,
  },
  metadata: {
    schema: jsonObject.optional(),
    allowed: `a JSON object (not an array or null) of at most ${MAX_METADATA_BYTES} bytes, without the reserved keys "${CREATE_TOKEN_KEY}" and "${OWNER_METADATA_KEY}"`,
  },
  rotation: {
    schema: z.union([z.string(), z.number().finite()]).optional(),
    allowed: "a string or a number (changing it rotates the key)",
  },
  rotationStrategy: {
    schema: z.enum(["replace", "regenerate"]).default("replace"),
    allowed: `"replace" or "regenerate" (default "replace")`,
  },
  rotateAfterDays: {
    schema: z.number().int().positive().optional(),
    allowed: "a positive whole number of days",
  },
  adoptKeyId: { schema: text.optional(), allowed: "a non-empty Limitly key id (key_…)" },
};

/** Checked ApiKey inputs. Values may be the unknown sentinel during preview. */
export interface ApiKeyInputs {
  name: string;
  userId?: number | string;
  planId?: string;
  status: "active" | "inactive";
  metadata?: Record<string, unknown>;
  rotation?: string | number;
  rotationStrategy: "replace" | "regenerate";
  rotateAfterDays?: number;
  adoptKeyId?: string;
}

export function checkApiKey(news: unknown) {
  return checkInputs("ApiKey", apiKeySpecs, news);
}
