/** limitly.Plan: every change is an in-place update. */
import type { PlanRecord } from "../client/records";
import type { PropertySpec } from "./check";
import { makeCrudHooks, type CrudApi } from "./crudHooks";
import { computedOutputs, inputSpecs } from "./descriptor";
import { planDescriptor } from "./descriptors/plan";

/** What `check` accepts for a Plan, from its descriptor; the `limitly` command applies the same rules. */
export const planSpecs: Record<string, PropertySpec> = inputSpecs(planDescriptor);

export const planHooks = makeCrudHooks<PlanRecord>({
  typeName: "Plan",
  kind: "plan",
  specs: planSpecs,
  managed: ["name", "description", "maxRequests", "requestPeriod", "isActive"],
  defaults: { isActive: true },
  computed: computedOutputs(planDescriptor),
  adoptProp: "adoptPlanId",
  // Checked inputs carry every required field, so the generic field bag fits create.
  api: (c) => c.plans as unknown as CrudApi<PlanRecord>,
  idOf: (p) => p.id,
  outputs: (p) => ({ ...p, id: undefined }),
});
