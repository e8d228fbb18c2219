/**
 * How Pulumi marks a secret in a property map on the wire (provider protocol, policy packs, state):
 * an object whose signature key holds the secret signature, with the value beside it.
 */

/** The key every special value of a property map carries (pulumi sdk `resource/sig`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The signature key's value for a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
