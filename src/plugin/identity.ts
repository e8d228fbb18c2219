/**
 * Where the plugin keeps the stack identity that every key's owner tag names (see
 * src/provider/owner.ts): in the provider resource's own state. CheckConfig adds it to the
 * provider's inputs, which the engine records before any resource that uses the provider is
 * created, and copies it from the recorded inputs at every later run, so it stays what it was for
 * the life of the provider resource. A new provider resource (a new explicit provider, or the
 * default provider of a new plugin version) records a new identity: keys that a killed run left
 * behind before that are then strays for `limitly keys orphans`, never taken by another stack.
 */
import { randomUUID } from "node:crypto";
import { ownerTag } from "../provider/owner";

type Props = Record<string, unknown>;

/** The hidden provider input that holds the identity; not a setting a program passes. */
export const STACK_IDENTITY_SETTING = "__stackIdentity";

const valid = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/.test(v);

/** The identity CheckConfig records: the one the provider's state holds, else a new one. */
export function recordedIdentity(olds: Props, news: Props): string {
  const kept = [olds[STACK_IDENTITY_SETTING], news[STACK_IDENTITY_SETTING]].find(valid);
  return kept ?? randomUUID();
}

/** The owner tag of the key resource `urn`, or none when the provider recorded no identity. */
export function ownerOf(identity: unknown, urn: string): string | undefined {
  return valid(identity) ? ownerTag(identity, urn) : undefined;
}
