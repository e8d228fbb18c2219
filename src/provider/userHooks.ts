/** limitly.User: every change is an in-place update; the id is the number Limitly assigns. */
import { z } from "zod";
import { MAX_TEXT_LENGTH } from "../client/limits";
import type { UserRecord } from "../client/records";
import type { PropertySpec } from "./check";
import { makeCrudHooks, type CrudApi } from "./crudHooks";

const nonEmpty = z.string().trim().min(1).max(MAX_TEXT_LENGTH);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/)
  .refine((s) => !Number.isNaN(Date.parse(s)));

/** What `check` accepts for a User; the `limitly` command applies the same rules. */
export const userSpecs: Record<string, PropertySpec> = {
  name: { schema: nonEmpty, allowed: `a non-empty string of at most ${MAX_TEXT_LENGTH} characters (it is required)` },
  email: { schema: z.email().max(MAX_TEXT_LENGTH).optional(), allowed: "an email address (name@example.com)" },
  planId: { schema: nonEmpty.optional(), allowed: "a non-empty Limitly plan id" },
  isDisabled: { schema: z.boolean().default(false), allowed: "true or false (default false)" },
  customStart: { schema: isoDate.optional(), allowed: "an ISO 8601 date such as 2026-11-01" },
  adoptUserId: {
    schema: z
      .union([
        z.number().int().positive(),
        z
          .string()
          .regex(/^[1-9]\d*$/)
          .transform(Number),
      ])
      .optional(),
    allowed: "the positive whole number Limitly assigned to the user",
  },
};

export const userHooks = makeCrudHooks<UserRecord>({
  typeName: "User",
  specs: userSpecs,
  managed: ["name", "email", "planId", "isDisabled", "customStart"],
  defaults: { isDisabled: false },
  adoptProp: "adoptUserId",
  // Checked inputs carry every required field, so the generic field bag fits create.
  api: (c) => c.users as unknown as CrudApi<UserRecord>,
  idOf: (u) => String(u.userId),
  outputs: (u) => ({ ...u }),
});
