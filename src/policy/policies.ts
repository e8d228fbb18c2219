/**
 * The key-hygiene policies. Each is advisory unless the pack's config says otherwise
 * (`pulumi preview --policy-pack <dir> --policy-pack-config <file>`), and each reads its settings
 * from that config too.
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { API_KEY_TYPE, ROTATING_API_KEY_TYPE } from "../resources/typeTokens";
import { keepWireForms, plaintextStrings, unwrapped, wireFormOf } from "./secretness";

// Before any stack is analyzed: the SDK deserializes a stack's resources before it calls a policy.
const seesSecrets = keepWireForms();

/** Type tokens of the resources that hold Limitly key values. */
export const KEY_TYPES: readonly string[] = [API_KEY_TYPE, ROTATING_API_KEY_TYPE];
const VALUE_OUTPUTS = ["apiKey", "previousApiKey"];

/** Stack names taken for production unless the config says otherwise. */
export const DEFAULT_PRODUCTION_PATTERN = "(^|[-_.])(prod|production|prd|live)($|[-_.])";

const isKey = (type: string) => KEY_TYPES.includes(type);
const kind = (type: string) => type.split(":").pop();
/** The stack a resource belongs to, from its URN (`urn:pulumi:<stack>::<project>::…`). */
const stackOf = (urn: string) => /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";

function onKeys(validate: (args: ResourceValidationArgs, report: (message: string) => void) => void) {
  return (args: ResourceValidationArgs, report: (message: string) => void) => {
    if (isKey(args.type)) validate(args, report);
  };
}

/** `rotateAfterDays` set, and at most `maxDays`. */
export const keysMustRotate: ResourceValidationPolicy = {
  name: "limitly-keys-must-rotate",
  description: "Every Limitly key rotates on a schedule: rotateAfterDays is set and at most maxDays (default 90).",
  enforcementLevel: "advisory",
  configSchema: { properties: { maxDays: { type: "integer", minimum: 1, default: 90 } } },
  validateResource: onKeys((args, report) => {
    const { maxDays } = args.getConfig<{ maxDays: number }>();
    const days = args.props.rotateAfterDays as unknown;
    if (typeof days !== "number") {
      report(`${kind(args.type)} "${args.name}" has no rotateAfterDays: set it to at most ${maxDays} days`);
    } else if (days > maxDays) {
      report(`${kind(args.type)} "${args.name}" rotates every ${days} days: at most ${maxDays} are allowed`);
    }
  }),
};

/** No key value outside a secret: not in a stack output, not in another resource's properties. */
export const keyValuesSecret: StackValidationPolicy = {
  name: "limitly-key-values-secret",
  description:
    "A Limitly key value never appears in plaintext: stack outputs and other resources' properties that hold one must be secret.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    if (!seesSecrets) {
      report("cannot tell secret values from plaintext with this version of @pulumi/policy (tested with 1.21)");
      return;
    }
    const values = new Set<string>();
    for (const r of args.resources.filter((x) => isKey(x.type))) {
      const wire = wireFormOf(r.props);
      for (const name of VALUE_OUTPUTS) {
        const v = unwrapped(wire?.[name]);
        // Empty for an adopted key; short strings are not values (and would match everywhere).
        if (typeof v === "string" && v.length >= 16) values.add(v);
      }
    }
    if (!values.size) return;
    for (const r of args.resources) {
      const wire = wireFormOf(r.props);
      if (!wire) continue;
      plaintextStrings(wire, (s, path) => {
        if (isKey(r.type) && VALUE_OUTPUTS.includes(path)) return;
        if ([...values].some((v) => s.includes(v))) report(leakMessage(r, path), r.urn);
      });
    }
  },
};

function leakMessage(r: PolicyResource, path: string): string {
  if (r.type === "pulumi:pulumi:Stack")
    return `stack output "${path}" holds a Limitly key value in plaintext: export the key's apiKey output as it is (it is secret), or wrap the value in pulumi.secret()`;
  return `property "${path}" of ${kind(r.type)} "${r.name}" holds a Limitly key value in plaintext: pass it as a secret (pulumi.secret(), or the key's apiKey output as it is)`;
}

/** No inactive key in a stack whose name looks like production. */
export const noInactiveKeysInProduction: ResourceValidationPolicy = {
  name: "limitly-no-inactive-keys-in-production",
  description: `Keys in production stacks are active. Production stacks are those whose name matches productionStackPattern (default ${DEFAULT_PRODUCTION_PATTERN}, case-insensitive).`,
  enforcementLevel: "advisory",
  configSchema: { properties: { productionStackPattern: { type: "string", default: DEFAULT_PRODUCTION_PATTERN } } },
  validateResource: onKeys((args, report) => {
    const { productionStackPattern } = args.getConfig<{ productionStackPattern: string }>();
    const stack = stackOf(args.urn);
    if (args.props.status === "inactive" && new RegExp(productionStackPattern, "i").test(stack))
      report(
        `${kind(args.type)} "${args.name}" is inactive in production stack "${stack}": Limitly refuses it; delete it or make it active`,
      );
  }),
};

/** Every key belongs to a user and a plan, so its traffic is attributed and limited. */
export const keysNeedUserAndPlan: ResourceValidationPolicy = {
  name: "limitly-keys-need-user-and-plan",
  description: "Every Limitly key names its user (userId) and its plan (planId); each requirement can be switched off.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      requireUserId: { type: "boolean", default: true },
      requirePlanId: { type: "boolean", default: true },
    },
  },
  validateResource: onKeys((args, report) => {
    const { requireUserId, requirePlanId } = args.getConfig<{ requireUserId: boolean; requirePlanId: boolean }>();
    const missing = [
      requireUserId && args.props.userId === undefined ? "userId" : undefined,
      requirePlanId && args.props.planId === undefined ? "planId" : undefined,
    ].filter(Boolean);
    if (missing.length)
      report(
        `${kind(args.type)} "${args.name}" has no ${missing.join(" and no ")}: its traffic is not attributed to a user and a plan`,
      );
  }),
};
