/**
 * The object Pulumi serializes into every resource's state (inputs and outputs both, #1393).
 *
 * It has a single method, `configure`, because Pulumi's provider host calls `configure` on every
 * provider it deserializes before any other hook, and looks the other hooks up on the object at
 * call time (`@pulumi/pulumi/cmd/dynamic-provider`). `configure` loads the implementation from the
 * installed package with `require` and attaches check/diff/create/read/update/delete to `this`.
 * Seven serialized methods would cost ~2.5 KB per resource, twice over; this costs ~540 bytes,
 * captures nothing but the kind name (so no credential can land in the state), and upgrading the
 * package upgrades the behaviour of existing resources too.
 *
 * Do not reference anything else from this function: every captured value is copied into the state.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider/descriptors";

export function makeDelegate(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const delegate = {
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      require("pulumi-limitly/provider").attach(this, kind, req);
    },
  };
  // `create` and the other hooks exist once `configure` has run, which the host guarantees.
  return delegate as unknown as pulumi.dynamic.ResourceProvider;
}
