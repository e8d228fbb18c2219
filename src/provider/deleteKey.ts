/**
 * Deletes a key surely. A delete without an answer (no response, or a 5xx) may still be carried
 * out later, which would leave a dead key in a stack that was told the delete failed: so its
 * in-flight window is waited out and the key looked at; gone is success, still there is deleted again.
 * A cancellation ends the waits at once: the key stays in the stack, and the next run deletes it.
 */
import { isCancelled } from "../client/abort";
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import { isGone } from "./gone";
import { persistently, settledAt, waitUntil } from "./exactlyOnce";

export async function deleteKey(client: LimitlyClient, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.apiKeys.delete(id);
      return;
    } catch (e) {
      if (await isGone(client, "key", e, `key ${id}`)) return;
      // The last attempt got no answer (earlier ones may have: `status` is theirs), or a 5xx.
      const unanswered =
        e instanceof LimitlyError &&
        (e.code === "TIMEOUT" || e.code === "NETWORK_ERROR" || (e.status !== undefined && e.status >= 500));
      if (!unanswered || attempt >= 3) throw e;
      // From the last try's send: the transport may have repeated the DELETE, and earlier tries' windows end sooner.
      await waitUntil(settledAt(client, e));
      try {
        await persistently(() => client.apiKeys.get(id));
      } catch (check) {
        if (await isGone(client, "key", check, `key ${id}`)) return;
        throw isCancelled(check) ? check : e;
      }
    }
  }
}
