/**
 * The RotatingApiKey input schema: ApiKey's, without what belongs to a single key (the strategy,
 * adoption), plus the grace rules of its previous key.
 */
import { z } from "zod";
import { apiKeySpecs, type ApiKeyInputs } from "./apiKeyInputs";
import { checkInputs, type PropertySpec } from "./check";
import { durationMs } from "./duration";

/** Grace when the program sets none: a working day's deploys, and a night, see the new key. */
export const DEFAULT_GRACE = "24h";

const duration = z.string().refine((s) => durationMs(s) !== undefined);
const durationAllowed = 'a duration such as "90m", "36h", "7d" or "1d12h" (at least a minute, at most 366d)';

const { name, userId, planId, status, metadata, rotation, rotateAfterDays } = apiKeySpecs;

export const rotatingApiKeySpecs: Record<string, PropertySpec> = {
  name,
  userId,
  planId,
  status,
  metadata,
  rotation: {
    ...rotation,
    allowed: "a string or a number (changing it rotates the key, keeping the old one as previous)",
  },
  rotateAfterDays,
  gracePeriod: {
    schema: duration.default(DEFAULT_GRACE),
    allowed: `${durationAllowed}; how long the previous key keeps working after a rotation (default "${DEFAULT_GRACE}")`,
  },
  retireWhenUnusedFor: {
    schema: duration.optional(),
    allowed: `${durationAllowed}; the previous key is retired once Limitly has seen no use of it for that long, even before gracePeriod ends`,
  },
};

/** Checked RotatingApiKey inputs. Values may be the unknown sentinel during preview. */
export interface RotatingApiKeyInputs extends Omit<ApiKeyInputs, "rotationStrategy" | "adoptKeyId"> {
  gracePeriod: string;
  retireWhenUnusedFor?: string;
}

export function checkRotatingApiKey(news: unknown) {
  return checkInputs("RotatingApiKey", rotatingApiKeySpecs, news);
}
