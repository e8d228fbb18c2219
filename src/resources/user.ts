import * as pulumi from "@pulumi/pulumi";
import { providerFor } from "./delegate";
import delegate = require("./delegates/user");
import { withOutputKeys } from "./outputs";
import { LimitlyResource } from "./limitlyResource";
import {
  outputNames,
  type DeclaredOutputs,
  type InputName,
  type OutputName,
  type SameNames,
} from "../provider/descriptor";
import { userDescriptor } from "../provider/descriptors/user";

const provider = providerFor("User", delegate);
const OUTPUT_NAMES = outputNames(userDescriptor);

/** Inputs of a {@link User}. Every change is an in-place update. */
export interface UserArgs {
  /** Display name. Required, non-empty. */
  name: pulumi.Input<string>;
  /** Contact address; must look like an email address. */
  email?: pulumi.Input<string>;
  /** The plan that applies to the user (e.g. a `limitly.Plan`'s `id`). */
  planId?: pulumi.Input<string>;
  /** A disabled user's keys are refused. Default `false`. */
  isDisabled?: pulumi.Input<boolean>;
  /** Start of the user's billing periods, an ISO 8601 date (`2026-11-01`). */
  customStart?: pulumi.Input<string>;
  /** Take over an existing user (the number Limitly assigned) instead of creating one. Read only at creation. */
  adoptUserId?: pulumi.Input<number>;
}

// The compiler holds UserArgs to the descriptor: a property added to one and not the other fails here.
const _userArgs: SameNames<keyof UserArgs, InputName<typeof userDescriptor>> = true;

/**
 * A Limitly user: one of your customers, to whom keys are issued.
 *
 * @example
 * const user = new limitly.User("acme", { name: "Acme Corp", email: "ops@acme.example", planId: plan.id });
 * new limitly.ApiKey("acme-prod", { name: "Acme production", userId: user.userId, planId: plan.id });
 */
export class User extends LimitlyResource {
  /** The number Limitly assigned; also the resource id (as a string). */
  declare readonly userId: pulumi.Output<number>;
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** Contact address. */
  declare readonly email: pulumi.Output<string | undefined>;
  /** The plan that applies. */
  declare readonly planId: pulumi.Output<string | undefined>;
  /** Whether the user is disabled. */
  declare readonly isDisabled: pulumi.Output<boolean>;
  /** Start of the billing periods. */
  declare readonly customStart: pulumi.Output<string | undefined>;
  /** The id this user was adopted from, if it was. */
  declare readonly adoptUserId: pulumi.Output<number | undefined>;
  /** When Limitly created the user. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When Limitly last changed the user. */
  declare readonly updatedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super("User", provider, name, withOutputKeys(OUTPUT_NAMES, args), opts);
  }

  /** A read-only reference to an existing user, by the number Limitly assigned. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): User {
    return new User(name, {} as UserArgs, { ...opts, id });
  }
}

// …and the class's output declarations to the descriptor's outputs.
const _userOutputs: SameNames<DeclaredOutputs<User>, OutputName<typeof userDescriptor>> = true;
