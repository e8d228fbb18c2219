import * as pulumi from "@pulumi/pulumi";
import type { DynamicKind } from "../provider/descriptors/kinds";
import { REPLACE_ON_CHANGES_INPUT } from "../provider/replaceOnChanges";
import { quietStacks } from "./registration";

/**
 * What every dynamic resource of this package registers through: the type token
 * `pulumi-nodejs:dynamic/limitly:<kind>`, with the SDK's stack formatting quieted for the
 * registration (see registration.ts). Its constructor frame, like the subclasses', is left out of
 * the stack Pulumi records, so it costs no state bytes. A `replaceOnChanges` option travels to the
 * provider as a hidden input (see replaceOnChanges.ts), which applies it.
 */
export abstract class LimitlyResource extends pulumi.dynamic.Resource {
  constructor(
    kind: DynamicKind,
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const restore = quietStacks();
    try {
      const replaceOnChanges = opts?.replaceOnChanges?.length
        ? { [REPLACE_ON_CHANGES_INPUT]: opts.replaceOnChanges }
        : {};
      super(provider, name, { ...props, ...replaceOnChanges }, opts, "limitly", kind);
    } finally {
      restore();
    }
  }
}
