/**
 * The resource kinds, as plain names: what the public classes' type declarations may mention
 * without pulling the descriptors (and their schemas) into a user's type-checking.
 */
export type ResourceKind = "ApiKey" | "RotatingApiKey" | "Plan" | "User";

/**
 * The kinds the dynamic resources register: the resource kinds, and the stack identity every key's
 * owner tag names (owner.ts), which the plugin keeps in its provider's state instead.
 */
export type DynamicKind = ResourceKind | "StackIdentity";
