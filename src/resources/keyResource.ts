import type * as pulumi from "@pulumi/pulumi";
import { LimitlyResource } from "./limitlyResource";

/** The inputs of every key resource: the fields Limitly stores for the (current) key. */
export interface KeyFieldArgs {
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
}

/** What {@link ApiKey} and {@link RotatingApiKey} have in common: one current Limitly key. */
export abstract class KeyResource extends LimitlyResource {
  /** The key value (`lk_…`). Secret: encrypted in the state and masked in output. */
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
  /** Scheduled rotation age, in days. */
  declare readonly rotateAfterDays: pulumi.Output<number | undefined>;
  /** When Limitly created the key (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string>;
  /** When Limitly last changed the key. */
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** When the key was last used, if ever, as of the last refresh. */
  declare readonly lastUsedAt: pulumi.Output<string | undefined>;
  /** When the current value was issued (creation, or the last rotation in place). */
  declare readonly rotatedAt: pulumi.Output<string>;
  /**
   * `true` when the stack holds no working value for this key: a create or regenerate reached
   * Limitly but its answer, the only copy of the value, was lost. The next `pulumi up` issues a
   * new value.
   */
  declare readonly apiKeyLost: pulumi.Output<boolean | undefined>;
}
