import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./delegate";
import { ownerInput } from "./stackIdentity";
import delegate = require("./delegates/rotatingApiKey");
import { KeyResource, type KeyFieldArgs } from "./keyResource";
import { withOutputKeys } from "./outputs";
import {
  outputNames,
  type DeclaredOutputs,
  type InputName,
  type OutputName,
  type SameNames,
} from "../provider/descriptor";
import { rotatingApiKeyDescriptor } from "../provider/descriptors/rotatingApiKey";

const OUTPUT_NAMES = outputNames(rotatingApiKeyDescriptor);

const provider = providerFor("RotatingApiKey", delegate);

/** Inputs of a {@link RotatingApiKey}. */
export interface RotatingApiKeyArgs extends KeyFieldArgs {
  /**
   * Any string or number; changing it rotates: a new key is created and becomes `apiKey`, and the
   * old one stays valid as `previousApiKey` until it is retired.
   */
  rotation?: pulumi.Input<string | number>;
  /** Rotate automatically once the current value is at least this many days old. */
  rotateAfterDays?: pulumi.Input<number>;
  /**
   * How long the previous key keeps working after a rotation: `"90m"`, `"36h"`, `"7d"`, `"1d12h"`
   * (default `"24h"`). The first `pulumi up` after it ends deletes the previous key, and
   * `pulumi preview` shows that update, with a warning if Limitly saw the key used in the last
   * 24 hours (as of the last refresh).
   */
  gracePeriod?: pulumi.Input<string>;
  /**
   * Retire the previous key as soon as Limitly has seen no use of it for this long (counted from
   * its last use after the rotation, or from the rotation), even before `gracePeriod` ends. Uses
   * `last_used_at` as read by the last refresh: run `pulumi up --refresh` on a schedule.
   */
  retireWhenUnusedFor?: pulumi.Input<string>;
}

// The compiler holds RotatingApiKeyArgs to the descriptor: a property added to one and not the other fails here.
const _rotatingArgs: SameNames<keyof RotatingApiKeyArgs, InputName<typeof rotatingApiKeyDescriptor>> = true;

/**
 * A Limitly API key that rotates without a cliff: after a rotation the previous key keeps working
 * for a grace period (or until its traffic has drained), so consumers that pick up the new value
 * late are not cut off.
 *
 * @example
 * const key = new limitly.RotatingApiKey("partner", { name: "Partner", rotation: "2026-11", gracePeriod: "7d", retireWhenUnusedFor: "24h" });
 * export const current = key.apiKey; // secret
 */
export class RotatingApiKey extends KeyResource {
  /** The current key's Limitly id. */
  declare readonly keyId: pulumi.Output<string>;
  /** The previous key value while it lives (after a rotation, until it is retired). Secret. */
  declare readonly previousApiKey: pulumi.Output<string | undefined>;
  /** The previous key's Limitly id while it lives. */
  declare readonly previousKeyId: pulumi.Output<string | undefined>;
  /** When Limitly last saw the previous key used, as of the last refresh. */
  declare readonly previousLastUsedAt: pulumi.Output<string | undefined>;
  /** When the previous key's grace period ends: the first `pulumi up` after it retires the key. */
  declare readonly previousRetiresAt: pulumi.Output<string | undefined>;
  /** The grace period in effect. */
  declare readonly gracePeriod: pulumi.Output<string>;
  /** The early-retirement rule in effect. */
  declare readonly retireWhenUnusedFor: pulumi.Output<string | undefined>;

  /**
   * @param name The Pulumi resource name (unique in the stack; not the key's display name).
   * @param args The key's settings.
   * @param opts Resource options. `additionalSecretOutputs` always includes both key values.
   */
  constructor(name: string, args: RotatingApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const secrets = [...(opts?.additionalSecretOutputs ?? []), "apiKey", "previousApiKey"];
    super(
      "RotatingApiKey",
      provider,
      name,
      { ...withOutputKeys(OUTPUT_NAMES, args), ...ownerInput("RotatingApiKey", name, opts) },
      {
        ...opts,
        additionalSecretOutputs: [...new Set(secrets)],
      },
    );
  }
}

// …and the class's output declarations to the descriptor's outputs.
const _rotatingApiKeyOutputs: SameNames<
  DeclaredOutputs<RotatingApiKey>,
  OutputName<typeof rotatingApiKeyDescriptor>
> = true;
