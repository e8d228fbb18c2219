/**
 * The resource kinds, as plain names: what the public classes' type declarations may mention
 * without pulling the descriptors (and their schemas) into a user's type-checking.
 */
export type ResourceKind = "ApiKey" | "RotatingApiKey" | "Plan" | "User";
