/** The Plan descriptor: every change is an in-place update. */
import { z } from "zod";
import { MAX_TEXT_LENGTH } from "../../client/limits";
import type { ResourceDescriptor } from "../descriptor";
import { DISPLAY_NAME, nonEmpty } from "./common";

export const planDescriptor = {
  typeName: "Plan",
  description: "A Limitly plan: the limits that apply to the keys and users that reference it.",
  importId: "the Limitly plan id (`plan_…`)",
  properties: {
    name: DISPLAY_NAME,
    description: {
      description: "Free text shown in Limitly.",
      type: { type: "string" },
      input: {
        schema: z.string().max(MAX_TEXT_LENGTH).optional(),
        allowed: `a string of at most ${MAX_TEXT_LENGTH} characters`,
      },
      cli: { option: "description", parse: "text", hint: "<text>" },
    },
    maxRequests: {
      description: "Requests allowed per period. Required, a positive whole number.",
      type: { type: "integer" },
      required: true,
      input: {
        schema: z.number().int().positive(),
        allowed: "a positive whole number of requests per period (it is required)",
      },
      cli: { option: "max-requests", parse: "number", hint: "<n>", requiredOnCreate: true },
    },
    requestPeriod: {
      description: 'The period `maxRequests` counts over: `"day"`, `"week"`, `"month"` or `"year"`. Required.',
      type: { type: "string" },
      required: true,
      input: {
        schema: z.enum(["day", "week", "month", "year"]),
        allowed: `"day", "week", "month" or "year" (it is required)`,
      },
      cli: { option: "request-period", parse: "text", hint: "day|week|month|year", requiredOnCreate: true },
    },
    isActive: {
      description: "Whether the plan is in use. Default `true`.",
      type: { type: "boolean" },
      default: true,
      input: { schema: z.boolean().default(true), allowed: "true or false (default true)" },
      cli: { option: "active", parse: "boolean", hint: "true|false" },
    },
    adoptPlanId: {
      description: "Take over an existing plan (`plan_…`) instead of creating one. Read only at creation.",
      type: { type: "string" },
      input: { schema: nonEmpty.optional(), allowed: "a non-empty Limitly plan id" },
    },
    createdAt: { description: "When Limitly created the plan.", type: { type: "string" } },
    updatedAt: { description: "When Limitly last changed the plan.", type: { type: "string" } },
  },
} satisfies ResourceDescriptor;
