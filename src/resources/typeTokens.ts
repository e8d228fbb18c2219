/**
 * The type tokens the key resources have in a stack: `pulumi-nodejs:dynamic/<module>:<type>`, as the
 * SDK composes them from the module and type each class passes to `dynamic.Resource`, and the
 * plugin's `limitly:index:<type>`. Read by code that inspects stacks (`limitly keys orphans`, the
 * policy pack) and by the owner tags' URNs; nothing here loads Pulumi.
 */
import type { DynamicKind } from "../provider/descriptors/kinds";

/** The type token Pulumi gives a dynamic resource of `kind` (its URN's type). */
export const dynamicType = (kind: DynamicKind) => `pulumi-nodejs:dynamic/limitly:${kind}`;

export const API_KEY_TYPE = dynamicType("ApiKey");
export const ROTATING_API_KEY_TYPE = dynamicType("RotatingApiKey");
export const STACK_IDENTITY_TYPE = dynamicType("StackIdentity");
/** The plugin's key types and its provider resources' type. */
export const PLUGIN_API_KEY_TYPE = "limitly:index:ApiKey";
export const PLUGIN_ROTATING_API_KEY_TYPE = "limitly:index:RotatingApiKey";
export const PLUGIN_PROVIDER_TYPE = "pulumi:providers:limitly";
