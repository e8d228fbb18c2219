import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./delegate";
import delegate = require("./delegates/plan");
import { withOutputKeys } from "./outputs";
import { LimitlyResource } from "./limitlyResource";
import {
  outputNames,
  type DeclaredOutputs,
  type InputName,
  type OutputName,
  type SameNames,
} from "../provider/descriptor";
import { planDescriptor } from "../provider/descriptors/plan";

const provider = providerFor("Plan", delegate);
const OUTPUT_NAMES = outputNames(planDescriptor);

/** Inputs of a {@link Plan}. Every change is an in-place update. */
export interface PlanArgs {
  /** Display name. Required, non-empty. */
  name: pulumi.Input<string>;
  /** Free text shown in Limitly. */
  description?: pulumi.Input<string>;
  /** Requests allowed per period. Required, a positive whole number. */
  maxRequests: pulumi.Input<number>;
  /** The period `maxRequests` counts over: `"day"`, `"week"`, `"month"` or `"year"`. Required. */
  requestPeriod: pulumi.Input<"day" | "week" | "month" | "year">;
  /** Whether the plan is in use. Default `true`. */
  isActive?: pulumi.Input<boolean>;
  /** Take over an existing plan (`plan_…`) instead of creating one. Read only at creation. */
  adoptPlanId?: pulumi.Input<string>;
}

// The compiler holds PlanArgs to the descriptor: a property added to one and not the other fails here.
const _planArgs: SameNames<keyof PlanArgs, InputName<typeof planDescriptor>> = true;

/**
 * A Limitly plan: the limits that apply to the keys and users that reference it.
 *
 * @example
 * const plan = new limitly.Plan("pro", { name: "Pro", maxRequests: 100_000, requestPeriod: "month" });
 */
export class Plan extends LimitlyResource {
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** Free text. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Requests allowed per period. */
  declare readonly maxRequests: pulumi.Output<number>;
  /** `day`, `week`, `month` or `year`. */
  declare readonly requestPeriod: pulumi.Output<"day" | "week" | "month" | "year">;
  /** Whether the plan is in use. */
  declare readonly isActive: pulumi.Output<boolean>;
  /** The id this plan was adopted from, if it was. */
  declare readonly adoptPlanId: pulumi.Output<string | undefined>;
  /** When Limitly created the plan. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When Limitly last changed the plan. */
  declare readonly updatedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: PlanArgs, opts?: pulumi.CustomResourceOptions) {
    super("Plan", provider, name, withOutputKeys(OUTPUT_NAMES, args), opts);
  }

  /** A read-only reference to an existing plan, by its Limitly id (`plan_…`). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Plan {
    return new Plan(name, {} as PlanArgs, { ...opts, id });
  }
}

// …and the class's output declarations to the descriptor's outputs.
const _planOutputs: SameNames<DeclaredOutputs<Plan>, OutputName<typeof planDescriptor>> = true;
