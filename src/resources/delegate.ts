/**
 * The object Pulumi serializes into every resource's state (inputs and outputs both, #1393).
 *
 * It has a single method, `configure`, because Pulumi's provider host calls `configure` on every
 * provider it deserializes before any other hook, and looks the other hooks up on the object at
 * call time (`@pulumi/pulumi/cmd/dynamic-provider`). `configure` loads the implementation and
 * attaches check/diff/create/read/update/delete to `this`, so no credential can land in the state
 * and upgrading the package upgrades the behaviour of existing resources too.
 *
 * Installed as a package (`node_modules/pulumi-limitly`), the object is the exports of a module of
 * its own per kind (`./delegates/*`): Pulumi's closure serializer writes a module's exports as
 * `require("pulumi-limitly/dist/resources/delegates/apiKey.js")`, about 290 bytes per copy instead
 * of the ~760 a serialized function takes, and every byte is written once per resource per
 * checkpoint. Anywhere else (a linked checkout, pnpm's `.pnpm/…` layout, where the serializer
 * would name a path Node cannot require) the function itself is serialized, as 0.1.0 did for
 * every resource.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DynamicKind } from "../provider/descriptors/kinds";

/**
 * The self-contained delegate. Do not reference anything else from this function: every captured
 * value is copied into the state. Stacks written by 0.1 hold this text; it keeps working because
 * `pulumi-limitly/provider` keeps `attach`.
 */
export function makeDelegate(kind: DynamicKind): pulumi.dynamic.ResourceProvider {
  const delegate = {
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      require("pulumi-limitly/provider").attach(this, kind, req);
    },
  };
  // `create` and the other hooks exist once `configure` has run, which the host guarantees.
  return delegate as unknown as pulumi.dynamic.ResourceProvider;
}

/** The exports of a `./delegates/*` module: the same `configure`, loading the core by relative path. */
export function delegateModule(kind: DynamicKind): pulumi.dynamic.ResourceProvider {
  const delegate = {
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      // Loaded here, not at the top, so that a program declaring resources never loads the core.
      (require("../provider") as typeof import("../provider")).attach(this, kind, req);
    },
  };
  return delegate as unknown as pulumi.dynamic.ResourceProvider;
}

/**
 * Whether Pulumi's serializer will name this package's modules by a path the provider host can
 * require: the first `node_modules` folder above this file must hold `pulumi-limitly` itself.
 */
export function requirableByName(dir: string): boolean {
  const parts = dir.split(/[\\/]/);
  const at = parts.indexOf("node_modules");
  return at >= 0 && parts[at + 1] === "pulumi-limitly" && parts[at + 2] === "dist";
}

/** The provider object for resources of `kind`; `exports` is its `./delegates/*` module's. */
export function providerFor(kind: DynamicKind, exports: pulumi.dynamic.ResourceProvider) {
  return requirableByName(__dirname) ? exports : makeDelegate(kind);
}
