/** limitly.Plan: every change is an in-place update. */
import { z } from "zod";
import { MAX_TEXT_LENGTH } from "../client/limits";
import type { PlanRecord } from "../client/records";
import type { PropertySpec } from "./check";
import { makeCrudHooks, type CrudApi } from "./crudHooks";

const nonEmpty = z.string().trim().min(1).max(MAX_TEXT_LENGTH);

/** What `check` accepts for a Plan; the `limitly` command applies the same rules. */
export const planSpecs: Record<string, PropertySpec> = {
  name: { schema: nonEmpty, allowed: `a non-empty string of at most ${MAX_TEXT_LENGTH} characters (it is required)` },
  description: {
    schema: z.string().max(MAX_TEXT_LENGTH).optional(),
    allowed: `a string of at most ${MAX_TEXT_LENGTH} characters`,
  },
  maxRequests: {
    schema: z.number().int().positive(),
    allowed: "a positive whole number of requests per period (it is required)",
  },
  requestPeriod: {
    schema: z.enum(["day", "week", "month", "year"]),
    allowed: `"day", "week", "month" or "year" (it is required)`,
  },
  isActive: { schema: z.boolean().default(true), allowed: "true or false (default true)" },
  adoptPlanId: { schema: nonEmpty.optional(), allowed: "a non-empty Limitly plan id" },
};

export const planHooks = makeCrudHooks<PlanRecord>({
  typeName: "Plan",
  specs: planSpecs,
  managed: ["name", "description", "maxRequests", "requestPeriod", "isActive"],
  defaults: { isActive: true },
  adoptProp: "adoptPlanId",
  // Checked inputs carry every required field, so the generic field bag fits create.
  api: (c) => c.plans as unknown as CrudApi<PlanRecord>,
  idOf: (p) => p.id,
  outputs: (p) => ({ ...p, id: undefined }),
});
