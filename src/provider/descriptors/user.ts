/** The User descriptor: every change is an in-place update; the id is the number Limitly assigns. */
import { z } from "zod";
import { MAX_TEXT_LENGTH } from "../../client/limits";
import type { ResourceDescriptor } from "../descriptor";
import { DISPLAY_NAME, nonEmpty, userNumber } from "./common";

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/)
  .refine((s) => !Number.isNaN(Date.parse(s)));

export const userDescriptor = {
  typeName: "User",
  description: "A Limitly user: one of your customers, to whom keys are issued.",
  importId: "the number Limitly assigned to the user",
  properties: {
    userId: {
      description: "The number Limitly assigned; also the resource id (as a string).",
      type: { type: "integer" },
    },
    name: DISPLAY_NAME,
    email: {
      description: "Contact address; must look like an email address.",
      type: { type: "string" },
      input: { schema: z.email().max(MAX_TEXT_LENGTH).optional(), allowed: "an email address (name@example.com)" },
      cli: { option: "email", parse: "text", hint: "<address>" },
    },
    planId: {
      description: "The plan that applies to the user (e.g. a `Plan`'s `id`).",
      type: { type: "string" },
      input: { schema: nonEmpty.optional(), allowed: "a non-empty Limitly plan id" },
      cli: { option: "plan-id", parse: "text", hint: "<id>" },
    },
    isDisabled: {
      description: "A disabled user's keys are refused. Default `false`.",
      type: { type: "boolean" },
      default: false,
      input: { schema: z.boolean().default(false), allowed: "true or false (default false)" },
      cli: { option: "disabled", parse: "boolean", hint: "true|false" },
    },
    customStart: {
      description: "Start of the user's billing periods, an ISO 8601 date (`2026-11-01`).",
      type: { type: "string" },
      input: { schema: isoDate.optional(), allowed: "an ISO 8601 date such as 2026-11-01" },
      cli: { option: "custom-start", parse: "text", hint: "<YYYY-MM-DD>" },
    },
    adoptUserId: {
      description:
        "Take over an existing user (the number Limitly assigned) instead of creating one. Read only at creation.",
      type: { type: "integer" },
      input: {
        schema: userNumber.optional(),
        allowed: "the positive whole number Limitly assigned to the user",
      },
    },
    createdAt: { description: "When Limitly created the user.", type: { type: "string" } },
    updatedAt: { description: "When Limitly last changed the user.", type: { type: "string" } },
  },
} satisfies ResourceDescriptor;
