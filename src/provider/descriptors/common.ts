/** Property rules that several descriptors share. */
import { z } from "zod";
import { MAX_TEXT_LENGTH } from "../../client/limits";
import type { PropertyDescriptor } from "../descriptor";

/** A non-empty text field of Limitly's (at most {@link MAX_TEXT_LENGTH} characters, trimmed). */
export const nonEmpty = z.string().trim().min(1).max(MAX_TEXT_LENGTH);

/** The number Limitly assigned to a user: a positive whole number, or the same as a numeric string. */
export const userNumber = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^[1-9]\d*$/)
    .transform(Number),
]);

/** The required display name of a plan or user. */
export const DISPLAY_NAME = {
  description: "Display name. Required, non-empty.",
  type: { type: "string" },
  required: true,
  input: {
    schema: nonEmpty,
    allowed: `a non-empty string of at most ${MAX_TEXT_LENGTH} characters (it is required)`,
  },
  cli: { option: "name", parse: "text", hint: "<name>", requiredOnCreate: true },
} as const satisfies PropertyDescriptor;
