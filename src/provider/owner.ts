/**
 * Crash-safe create. A key whose create reached Limitly while the process running the provider
 * was killed (a CI runner stopped, a laptop closed) is in the account but not in the stack, and
 * the next `pulumi up` would create another. So every key carries its owner in its metadata, and a
 * create takes over a key that a killed run of this very resource left behind instead of creating
 * one. The account is listed once per process, however many resources are created.
 *
 * Who the owner is decides whose key may be taken, so it is the resource's whole identity: the
 * stack's identity (a random id the stack records in its own state before its first key: see
 * {@link ownerTag}) and the resource's whole URN (project, stack, parent chain, type, name). Two
 * stacks with the same names (two backends, a renamed and a new `dev`) have different identities;
 * a resource moved under a component has a new URN and never takes the old URN's key.
 *
 * A tag alone proves little: it is copied with a key's metadata (dashboard, SDK), and a key that
 * carries it may have been handed out since. So a key is taken only with its own evidence that it
 * was never handed out: created through a create token, never updated since it was created, never
 * used, and no other key with the same token (a copy). Anything else that carries the tag is left
 * alone and named in a warning; tags written by 0.1 (`<project>/<stack>/<name>`, which name no
 * stack identity) are never taken: `limitly keys orphans` lists them.
 *
 * A replacement must never take over the key it replaces, which carries the same owner; and the
 * engine checks a replacement's inputs again without the old ones, so "no previous inputs" does not
 * tell a replacement from a first create. What does: the engine always diffs a resource (with its
 * id) before it replaces it, in the same provider process. Every id the provider is told about
 * (diff, read, update, delete) is tracked, and a tracked key is never taken over.
 */
import type { LimitlyClient } from "../client/client";
import type { ApiKeyRecord } from "../client/records";
import { CREATE_TOKEN_KEY, OWNER_METADATA_KEY } from "./apiKeyInputs";
import { tellUser } from "./engineLog";
import { findInListing } from "./exactlyOnce";
import { shared, untilCancelled } from "../client/abort";

/** Hidden input with the owner tag, set by each door from the stack identity and the URN. */
export const OWNER_INPUT = "__limitlyOwner";

/** Between the stack identity and the URN in a tag; neither a UUID nor `urn:pulumi:` holds it. */
const SEPARATOR = "|";

/**
 * The owner tag of the resource `urn` in the stack whose identity is `stackId`. Both doors make
 * their tags here: the dynamic resources from their stack's `StackIdentity` resource, the plugin
 * from the identity its provider records in the provider's state.
 */
export function ownerTag(stackId: string, urn: string): string {
  return `${stackId}${SEPARATOR}${urn}`;
}

/** The stack identity and URN of a tag this version writes; undefined for 0.1's and foreign tags. */
export function parseOwnerTag(tag: unknown): { stackId: string; urn: string } | undefined {
  if (typeof tag !== "string") return undefined;
  const at = tag.indexOf(SEPARATOR);
  if (at <= 0 || !tag.startsWith("urn:pulumi:", at + 1)) return undefined;
  return { stackId: tag.slice(0, at), urn: tag.slice(at + 1) };
}

/** Ids of keys some resource of this run holds: never taken over. */
const tracked = new Set<string>();

/** Notes that a resource holds key `id`. */
export function trackKey(id: string | undefined): void {
  if (id) tracked.add(id);
}

const indexes = new WeakMap<LimitlyClient, Promise<Map<string, ApiKeyRecord[]>>>();

/**
 * Keys by owner tag, from one consistent listing of the account per client (the provider has one
 * per process): a listing that skipped a page would hide a left-behind key, and the create would
 * make a second one.
 */
function ownerIndex(client: LimitlyClient): Promise<Map<string, ApiKeyRecord[]>> {
  let index = indexes.get(client);
  if (!index) {
    // Shared by every create of the process: not cut short when the call that started it is cancelled.
    index = shared(async () => {
      const byOwner = new Map<string, Map<string, ApiKeyRecord>>();
      try {
        // Keyed by id, so a second pass adds nothing twice; a key deleted meanwhile stays listed, and
        // taking it over then fails as not found, which issueKey answers by creating a key.
        await findInListing(
          client,
          () => false,
          (k) => {
            const owner = k.metadata?.[OWNER_METADATA_KEY];
            if (typeof owner !== "string") return;
            if (!byOwner.has(owner)) byOwner.set(owner, new Map());
            byOwner.get(owner)!.set(k.id, k);
          },
        );
      } catch {
        // Without the listing no left-behind key can be found; creating still works, and a key a
        // killed run left behind stays for `limitly keys orphans`. The next create lists again.
        indexes.delete(client);
        return new Map<string, ApiKeyRecord[]>();
      }
      return new Map([...byOwner].map(([owner, keys]) => [owner, [...keys.values()]]));
    });
    indexes.set(client, index);
  }
  return index;
}

/** Why a key shows it was handed out since it was created (used, or changed), or undefined. */
export function usedOrChanged(k: ApiKeyRecord): string | undefined {
  if (k.lastUsedAt) return `it was used (last at ${k.lastUsedAt})`;
  if (k.updatedAt && k.updatedAt !== k.createdAt) return `it was changed after it was created (at ${k.updatedAt})`;
  return undefined;
}

/** Why a key that carries a resource's tag is not taken over, or undefined when it may be. */
function handedOut(k: ApiKeyRecord, sameToken: number): string | undefined {
  const token = k.metadata?.[CREATE_TOKEN_KEY];
  if (typeof token !== "string") return "it was not made by a create of this provider";
  if (sameToken > 1) return "another key carries the same create token (a copy)";
  return usedOrChanged(k);
}

/**
 * A key that a killed run of the resource tagged `owner` left behind, taken out of the index so no
 * other create takes it too. Keys that carry the tag without proof that they were never handed out,
 * and further left-behind keys of the same resource (two killed runs), are left alone, and the
 * person running Pulumi is told which.
 */
export async function leftBehind(client: LimitlyClient, owner: string): Promise<ApiKeyRecord | undefined> {
  const parsed = parseOwnerTag(owner);
  if (!parsed) return undefined;
  const index = await untilCancelled(ownerIndex(client), "listing the account for keys an interrupted run left behind");
  const tagged = index.get(owner) ?? [];
  const tokenOf = (k: ApiKeyRecord) => k.metadata?.[CREATE_TOKEN_KEY];
  const sameToken = (k: ApiKeyRecord) => tagged.filter((o) => tokenOf(o) === tokenOf(k)).length;
  const untracked = tagged.filter((k) => !tracked.has(k.id));
  const key = untracked.find((k) => !handedOut(k, sameToken(k)));
  const left = untracked
    .filter((k) => k !== key)
    .map((k) => `${k.id} (${handedOut(k, sameToken(k)) ?? "another key an interrupted run left behind"})`);
  // Taken or left alone, each key is looked at once per process.
  index.set(
    owner,
    tagged.filter((k) => tracked.has(k.id)),
  );
  if (key) trackKey(key.id);
  if (left.length) {
    const [one, many] = left.length === 1 ? ["it", false] : ["them", true];
    await tellUser(
      "WARNING",
      `${parsed.urn}: ${many ? "keys" : "key"} ${left.join(", ")} ${many ? "carry" : "carries"} this resource's ` +
        `owner tag but ${many ? "are" : "is"} not taken over${key ? ` (${key.id} is)` : ""}: ${one} may have been ` +
        `handed out. If an interrupted run left ${one} behind, \`limitly keys orphans\` lists ${one} for deletion`,
    );
  }
  return key;
}
