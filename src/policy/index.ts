/**
 * pulumi-limitly/policy: a CrossGuard policy pack for Limitly key hygiene. Needs `@pulumi/policy`
 * (an optional peer dependency of pulumi-limitly).
 *
 * @example
 * // index.ts of a policy pack folder (with PulumiPolicy.yaml `runtime: nodejs`)
 * import { PolicyPack } from "@pulumi/policy";
 * import { keyHygienePolicies } from "pulumi-limitly/policy";
 * new PolicyPack("limitly-key-hygiene", { policies: keyHygienePolicies });
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { keysMustRotate, keysNeedUserAndPlan, keyValuesSecret, noInactiveKeysInProduction } from "./policies";

export {
  keysMustRotate,
  keyValuesSecret,
  noInactiveKeysInProduction,
  keysNeedUserAndPlan,
  KEY_TYPES,
  DEFAULT_PRODUCTION_PATTERN,
} from "./policies";

/**
 * Every key-hygiene policy, each advisory unless the pack's config sets its `enforcementLevel`:
 * `limitly-keys-must-rotate` (`maxDays`, default 90), `limitly-key-values-secret`,
 * `limitly-no-inactive-keys-in-production` (`productionStackPattern`) and
 * `limitly-keys-need-user-and-plan` (`requireUserId`, `requirePlanId`).
 */
export const keyHygienePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  keysMustRotate,
  keyValuesSecret,
  noInactiveKeysInProduction,
  keysNeedUserAndPlan,
];
