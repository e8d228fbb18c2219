/**
 * The RotatingApiKey descriptor: ApiKey's key properties, without what belongs to a single key (the
 * strategy, adoption), plus the grace rules and outputs of its previous key.
 */
import { z } from "zod";
import type { PropertyDescriptor, ResourceDescriptor } from "../descriptor";
import { durationMs } from "../duration";
import { KEY_PROPERTIES } from "./apiKey";

/** Grace when the program sets none: a working day's deploys, and a night, see the new key. */
export const DEFAULT_GRACE = "24h";

const duration = z.string().refine((s) => durationMs(s) !== undefined);
const durationAllowed = 'a duration such as "90m", "36h", "7d" or "1d12h" (at least a minute, at most 366d)';
const text = (description: string): PropertyDescriptor => ({ description, type: { type: "string" } });

export const rotatingApiKeyDescriptor = {
  typeName: "RotatingApiKey",
  description:
    "A Limitly API key that rotates without a cliff: after a rotation the previous key keeps working for a grace period (or until its traffic has drained), so consumers that pick up the new value late are not cut off.",
  importId: "the current key's Limitly id (`key_…`); the imported key has no values until its first rotation",
  properties: {
    ...KEY_PROPERTIES,
    rotation: {
      ...KEY_PROPERTIES.rotation,
      description:
        "Any string or number; changing it rotates: a new key is created and becomes `apiKey`, and the old one stays valid as `previousApiKey` until it is retired.",
      input: {
        ...KEY_PROPERTIES.rotation.input,
        allowed: "a string or a number (changing it rotates the key, keeping the old one as previous)",
      },
    },
    gracePeriod: {
      description:
        'How long the previous key keeps working after a rotation: `"90m"`, `"36h"`, `"7d"`, `"1d12h"` (default `"24h"`). The first `pulumi up` after it ends deletes the previous key.',
      type: { type: "string" },
      default: DEFAULT_GRACE,
      input: {
        schema: duration.default(DEFAULT_GRACE),
        allowed: `${durationAllowed}; how long the previous key keeps working after a rotation (default "${DEFAULT_GRACE}")`,
      },
    },
    retireWhenUnusedFor: {
      description:
        "Retire the previous key as soon as Limitly has seen no use of it for this long (counted from its last use after the rotation, or from the rotation), even before `gracePeriod` ends.",
      type: { type: "string" },
      input: {
        schema: duration.optional(),
        allowed: `${durationAllowed}; the previous key is retired once Limitly has seen no use of it for that long, even before gracePeriod ends`,
      },
    },
    keyId: text("The current key's Limitly id."),
    previousKeyId: text("The previous key's Limitly id while it lives."),
    previousApiKey: {
      description: "The previous key value while it lives (after a rotation, until it is retired). Secret.",
      type: { type: "string" },
      secret: true,
    },
    previousLastUsedAt: text("When Limitly last saw the previous key used, as of the last refresh."),
    previousRetiresAt: text(
      "When the previous key's grace period ends: the first `pulumi up` after it retires the key.",
    ),
  },
} satisfies ResourceDescriptor;
