import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./delegate";
import { ownerInput } from "./stackIdentity";
import delegate = require("./delegates/apiKey");
import { KeyResource, type KeyFieldArgs } from "./keyResource";
import { withOutputKeys } from "./outputs";
import {
  outputNames,
  type DeclaredOutputs,
  type InputName,
  type OutputName,
  type SameNames,
} from "../provider/descriptor";
import { apiKeyDescriptor } from "../provider/descriptors/apiKey";

const OUTPUT_NAMES = outputNames(apiKeyDescriptor);

/** One serialized delegate for every ApiKey, so the SDK serializes it once per program. */
const provider = providerFor("ApiKey", delegate);

/** Inputs of an {@link ApiKey}. */
export interface ApiKeyArgs extends KeyFieldArgs {
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

// The compiler holds ApiKeyArgs to the descriptor: a property added to one and not the other fails here.
const _apiKeyArgs: SameNames<keyof ApiKeyArgs, InputName<typeof apiKeyDescriptor>> = true;

/**
 * A Limitly API key managed by Pulumi.
 *
 * @example
 * const key = new limitly.ApiKey("prod", { name: "Production", userId: 42, planId: "plan_basic", rotation: "2026-11" });
 * export const prodKey = key.apiKey; // secret
 */
export class ApiKey extends KeyResource {
  /** `replace` or `regenerate`. */
  declare readonly rotationStrategy: pulumi.Output<"replace" | "regenerate">;
  /** The id this key was adopted from, if it was. Its `apiKey` is empty until it is rotated. */
  declare readonly adoptKeyId: pulumi.Output<string | undefined>;

  /**
   * @param name The Pulumi resource name (unique in the stack; not the key's display name).
   * @param args The key's settings.
   * @param opts Resource options. `additionalSecretOutputs` always includes `apiKey`.
   */
  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "ApiKey",
      provider,
      name,
      { ...withOutputKeys(OUTPUT_NAMES, args), ...ownerInput("ApiKey", name, opts) },
      {
        ...opts,
        additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), "apiKey"])],
      },
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

// …and the class's output declarations to the descriptor's outputs.
const _apiKeyOutputs: SameNames<DeclaredOutputs<ApiKey>, OutputName<typeof apiKeyDescriptor>> = true;
