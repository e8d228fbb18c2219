import * as pulumi from "@pulumi/pulumi";
import { makeDelegate } from "./delegate";
import { withOutputKeys } from "./outputs";

const OUTPUT_NAMES = [
  "name",
  "userId",
  "planId",
  "status",
  "metadata",
  "rotation",
  "rotationStrategy",
  "rotateAfterDays",
  "adoptKeyId",
  "apiKey",
  "createdAt",
  "updatedAt",
  "lastUsedAt",
  "rotatedAt",
  "apiKeyLost",
] as const;

/** One serialized delegate for every ApiKey, so the SDK serializes it once per program. */
const provider = makeDelegate("ApiKey");

/** Inputs of an {@link ApiKey}. */
export interface ApiKeyArgs {
  /** Display name of the key in Limitly. Required, non-empty. Changes are updated in place. */
  name: pulumi.Input<string>;
  /**
   * The Limitly user the key belongs to: a positive integer, or a non-empty string id
   * (`42` and `"42"` are the same). Updated in place. Not set: Limitly keeps whatever it has.
   */
  userId?: pulumi.Input<number | string>;
  /** The Limitly plan whose limits apply to the key. Updated in place. */
  planId?: pulumi.Input<string>;
  /** `"active"` (default) or `"inactive"`; an inactive key is refused by Limitly. Updated in place. */
  status?: pulumi.Input<"active" | "inactive">;
  /** Free-form JSON object stored with the key. Key order does not matter. Updated in place. */
  metadata?: pulumi.Input<Record<string, unknown>>;
  /**
   * Any string or number; changing it rotates the key value (a date such as `"2026-11"` is a good
   * habit). How depends on {@link ApiKeyArgs.rotationStrategy}.
   */
  rotation?: pulumi.Input<string | number>;
  /**
   * How a rotation happens. `"replace"` (default): a new key is created, dependents move to it,
   * then the old key is deleted, so there is never a moment without a working key; the key id
   * changes. `"regenerate"`: the same key gets a new value (same id and usage history), and the
   * old value stops working at once.
   */
  rotationStrategy?: pulumi.Input<"replace" | "regenerate">;
  /**
   * Rotate automatically once the current value is at least this many days old, so a scheduled
   * `pulumi up` rotates keys without a commit. Uses {@link ApiKeyArgs.rotationStrategy}.
   */
  rotateAfterDays?: pulumi.Input<number>;
  /**
   * Take over an existing Limitly key (`key_…`) instead of creating one: its fields are set to
   * these inputs, and `apiKey` stays empty until the first rotation, because Limitly never
   * returns a key value again. Read only at creation. (Pulumi's `import` cannot work for dynamic
   * resources; this is the way to adopt.)
   */
  adoptKeyId?: pulumi.Input<string>;
}

/**
 * A Limitly API key managed by Pulumi.
 *
 * @example
 * const key = new limitly.ApiKey("prod", { name: "Production", userId: 42, planId: "plan_basic", rotation: "2026-11" });
 * export const prodKey = key.apiKey; // secret
 */
export class ApiKey extends pulumi.dynamic.Resource {
  /** The key value (`lk_…`). Secret: encrypted in the state and masked in output. Empty for an adopted key until it is rotated. */
  declare readonly apiKey: pulumi.Output<string>;
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** The Limitly user the key belongs to. */
  declare readonly userId: pulumi.Output<number | string | undefined>;
  /** The plan whose limits apply. */
  declare readonly planId: pulumi.Output<string | undefined>;
  /** `active` or `inactive`. */
  declare readonly status: pulumi.Output<"active" | "inactive">;
  /** The key's metadata. */
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;
  /** The rotation marker in effect. */
  declare readonly rotation: pulumi.Output<string | number | undefined>;
  /** `replace` or `regenerate`. */
  declare readonly rotationStrategy: pulumi.Output<"replace" | "regenerate">;
  /** Scheduled rotation age, in days. */
  declare readonly rotateAfterDays: pulumi.Output<number | undefined>;
  /** The id this key was adopted from, if it was. */
  declare readonly adoptKeyId: pulumi.Output<string | undefined>;
  /** When Limitly created the key (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** When Limitly last changed the key. */
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** When the key was last used, if ever. */
  declare readonly lastUsedAt: pulumi.Output<string | undefined>;
  /** When the current value was issued (creation or the last regenerate). */
  declare readonly rotatedAt: pulumi.Output<string>;
  /**
   * `true` when the stack holds no working value for this key: a create or regenerate reached
   * Limitly but its answer, the only copy of the value, was lost. The next `pulumi up` issues a
   * new value (regenerate or replace, per {@link ApiKeyArgs.rotationStrategy}).
   */
  declare readonly apiKeyLost: pulumi.Output<boolean | undefined>;

  /**
   * @param name The Pulumi resource name (unique in the stack; not the key's display name).
   * @param args The key's settings.
   * @param opts Resource options. `additionalSecretOutputs` always includes `apiKey`.
   */
  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    // Every key carries its stack and resource name, so a create a killed run left behind is found
    // and taken over instead of orphaned (a read of an existing key needs none).
    const owner =
      opts?.id === undefined ? { __limitlyOwner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}` } : {};
    super(
      provider,
      name,
      { ...withOutputKeys(OUTPUT_NAMES, args), ...owner },
      { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), "apiKey"])] },
      "limitly",
      "ApiKey",
    );
  }

  /**
   * A read-only reference to an existing key, by its Limitly id. Its `apiKey` is empty: Limitly
   * never returns a key value after creation.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ApiKey {
    return new ApiKey(name, {} as ApiKeyArgs, { ...opts, id });
  }
}
