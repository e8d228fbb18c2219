/** limitly.Plan: every change is an in-place update. */
import { z } from "zod";
import type { PlanRecord } from "../client/schemas";
import { makeCrudHooks } from "./crudHooks";

const nonEmpty = z.string().trim().min(1);

export const planHooks = makeCrudHooks<PlanRecord>({
  typeName: "Plan",
  specs: {
    name: { schema: nonEmpty, allowed: "a non-empty string (it is required)" },
    description: { schema: z.string().optional(), allowed: "a string" },
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
  },
  managed: ["name", "description", "maxRequests", "requestPeriod", "isActive"],
  defaults: { isActive: true },
  adoptProp: "adoptPlanId",
  api: (c) => ({
    get: (id) => c.plans.get(id),
    create: (f) => c.plans.create(f as unknown as Parameters<typeof c.plans.create>[0]),
    update: (id, f) => c.plans.update(id, f),
    delete: (id) => c.plans.delete(id),
    listAll: () => c.plans.listAll(),
  }),
  idOf: (p) => p.id,
  outputs: (p) => ({ ...p, id: undefined }),
});
