/**
 * Crash-safe create. A key whose create reached Limitly while the process running the provider
 * was killed (a CI runner stopped, a laptop closed) is in the account but not in the stack, and
 * the next `pulumi up` would create another. So every key carries its owner in its metadata
 * (`<project>/<stack>/<resource name>`, set by the resource class), and a create takes over a key
 * its owner left behind instead of creating one. The account is listed once per process, however
 * many resources are created.
 *
 * A replacement must never take over the key it replaces, which carries the same owner; and the
 * engine checks a replacement's inputs again without the old ones, so "no previous inputs" does not
 * tell a replacement from a first create. What does: the engine always diffs a resource (with its
 * id) before it replaces it, in the same provider process. Every id the provider is told about
 * (diff, read, update, delete) is tracked, and a tracked key is never taken over.
 */
import type { LimitlyClient } from "../client/client";
import type { ApiKeyRecord } from "../client/records";
import { OWNER_METADATA_KEY } from "./apiKeyInputs";

/** Hidden input with the owner, set by the resource class. */
export const OWNER_INPUT = "__limitlyOwner";

/** Ids of keys some resource of this run holds: never taken over. */
const tracked = new Set<string>();

/** Notes that a resource holds key `id`. */
export function trackKey(id: string | undefined): void {
  if (id) tracked.add(id);
}

const indexes = new WeakMap<LimitlyClient, Promise<Map<string, ApiKeyRecord[]>>>();

/** Keys by owner, from one listing of the account per client (the provider has one per process). */
function ownerIndex(client: LimitlyClient): Promise<Map<string, ApiKeyRecord[]>> {
  let index = indexes.get(client);
  if (!index) {
    index = (async () => {
      const byOwner = new Map<string, ApiKeyRecord[]>();
      try {
        for await (const k of client.apiKeys.listAll()) {
          const owner = k.metadata?.[OWNER_METADATA_KEY];
          if (typeof owner === "string") byOwner.set(owner, [...(byOwner.get(owner) ?? []), k]);
        }
      } catch {
        // Without the listing no left-behind key can be found; creating still works, and a key a
        // killed run left behind stays for `limitly keys orphans`. The next create lists again.
        indexes.delete(client);
        return new Map<string, ApiKeyRecord[]>();
      }
      return byOwner;
    })();
    indexes.set(client, index);
  }
  return index;
}

/** A key `owner` left behind, taken out of the index so no other create takes it too. */
export async function leftBehind(client: LimitlyClient, owner: string): Promise<ApiKeyRecord | undefined> {
  const index = await ownerIndex(client);
  const keys = (index.get(owner) ?? []).filter((k) => !tracked.has(k.id));
  const key = keys.shift();
  if (key) index.set(owner, keys);
  return key;
}
