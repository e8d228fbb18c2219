/**
 * When a 404 means "this object is gone". A 404 alone does not: a mistyped `limitly:baseUrl`, a
 * gateway in front of Limitly, or a path that is not Limitly's API answers 404 for every object, and
 * taking that for "gone" would make `pulumi refresh` drop every resource from the stack and
 * `pulumi destroy` report deletes it never made. So an object is gone only when (1) the answer is
 * Limitly's own "no such object" for its kind, and (2) the kind's list route answers 200 at the same
 * base URL with the same credential (a probe, made once per client and kind for the whole process).
 * Plans and users answer `NOT_FOUND`, which Limitly also sends for a route it does not have, so the
 * probe is what tells them apart; keys answer `API_KEY_NOT_FOUND`, which only Limitly sends.
 *
 * What the probe cannot tell: another account's valid credential answers the list route with 200,
 * and Limitly shows no account identity to compare with, so such a credential still reads every
 * object of the stack as gone.
 */
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import { saysNotFound, type ObjectKind } from "./errors";

const probes = new WeakMap<LimitlyClient, Map<ObjectKind, Promise<void>>>();

/** The kind's list route, one object long: it answers 200 only where a Limitly account's API is. */
function listOne(client: LimitlyClient, kind: ObjectKind): Promise<unknown> {
  const api = { key: client.apiKeys, plan: client.plans, user: client.users }[kind];
  return api.list({ page: 1, limit: 1 });
}

/** The base URL as it may be shown: without a user name, password or query. */
export function shownBaseUrl(client: LimitlyClient): string {
  try {
    const u = new URL(client.baseUrl);
    u.username = u.password = u.search = u.hash = "";
    return u.toString().replace(/\/+$/, "");
  } catch {
    return "(an invalid URL)";
  }
}

/** One successful probe per client and kind; a failed one is not kept, so the next 404 probes again. */
function probe(client: LimitlyClient, kind: ObjectKind): Promise<void> {
  let byKind = probes.get(client);
  if (!byKind) probes.set(client, (byKind = new Map()));
  let p = byKind.get(kind);
  if (!p) {
    p = listOne(client, kind).then(
      () => undefined,
      (e: unknown) => {
        byKind.delete(kind);
        throw e;
      },
    );
    byKind.set(kind, p);
  }
  return p;
}

/** The step fails: `answer` (a 404) did not come from a Limitly account's API for this kind. */
function notLimitly(client: LimitlyClient, answer: LimitlyError, why: string): LimitlyError {
  // The answer's own description already names its method, path and status.
  return new LimitlyError({
    code: answer.code,
    message:
      `${LimitlyError.describe(answer)}; ${why}, so ${shownBaseUrl(client)} does not lead to a Limitly account's API. ` +
      "Check limitly:baseUrl (or LIMITLY_BASE_URL). Nothing was treated as deleted and nothing left the stack",
  });
}

/**
 * Whether `e` proves that object `what` of `kind` is gone. False for anything but a 404; a 404 that
 * is not Limitly's answer for a missing object of this kind, or whose account probe fails, throws
 * an error naming the base URL (never the credential), so the caller's step fails and the stack
 * keeps the object.
 */
export async function isGone(client: LimitlyClient, kind: ObjectKind, e: unknown, what: string): Promise<boolean> {
  if (!(e instanceof LimitlyError) || e.status !== 404) return false;
  if (!saysNotFound(e, kind)) throw notLimitly(client, e, `it is not Limitly's answer for a missing ${kind}`);
  try {
    await probe(client, kind);
  } catch (p) {
    if (p instanceof LimitlyError && p.status === 404)
      throw notLimitly(
        client,
        p,
        `Limitly said ${what} does not exist, but the account's ${kind} list answers 404 too`,
      );
    throw new LimitlyError({
      code: LimitlyError.codeOf(p),
      message:
        `Limitly said ${what} does not exist, but checking that ${shownBaseUrl(client)} reaches a Limitly account ` +
        `failed (${LimitlyError.describe(p)}); nothing was treated as deleted: run again`,
    });
  }
  return true;
}
