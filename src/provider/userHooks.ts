/** limitly.User: every change is an in-place update; the id is the number Limitly assigns. */
import type { UserRecord } from "../client/records";
import type { PropertySpec } from "./check";
import { makeCrudHooks, type CrudApi } from "./crudHooks";
import { computedOutputs, inputSpecs } from "./descriptor";
import { userDescriptor } from "./descriptors/user";

/** What `check` accepts for a User, from its descriptor; the `limitly` command applies the same rules. */
export const userSpecs: Record<string, PropertySpec> = inputSpecs(userDescriptor);

export const userHooks = makeCrudHooks<UserRecord>({
  typeName: "User",
  kind: "user",
  specs: userSpecs,
  managed: ["name", "email", "planId", "isDisabled", "customStart"],
  defaults: { isDisabled: false },
  computed: computedOutputs(userDescriptor),
  adoptProp: "adoptUserId",
  // Checked inputs carry every required field, so the generic field bag fits create.
  api: (c) => c.users as unknown as CrudApi<UserRecord>,
  idOf: (u) => String(u.userId),
  outputs: (u) => ({ ...u }),
});
