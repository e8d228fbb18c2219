/**
 * Exactly-once key creation and regeneration. A POST whose answer is lost may or may not have been
 * carried out, and its answer was the only one that would ever carry the key's value.
 *
 * Create: every create is tagged with a random token in its metadata; after an ambiguous failure
 * the provider looks for the token. Found, it keeps that key and issues a value it can see with
 * regenerate. Not found, it concludes "not created" only when (1) the listing was consistent
 * (no page skipped by concurrent deletes: see {@link consistentListing}) and (2) the POST's
 * in-flight window has passed, since Limitly may carry out a request after the client gave up on
 * it (a slow commit); only then does it post again.
 *
 * Regenerate: repeating it is safe, since a value nobody saw is worth nothing; but an earlier
 * attempt that commits late would replace the value just seen. So once an attempt is answered after
 * lost ones, the provider waits until none of those can still be carried out and regenerates once
 * more: that value is the last. (Nothing Limitly returns could tell afterwards whether a late one
 * landed: a key's record carries no trace of its value, and `updated_at`, optional and of unknown
 * resolution, changes with any edit too.)
 *
 * The in-flight window is an assumption about the service: a request is carried out within it or
 * never. It is twice the client's deadline (`limitly:timeoutMs`), at least 2 s, counted from the
 * request's last send (after any wait for the budget or a 429), which the client's error gives.
 *
 * Cancellation (abort.ts) ends every wait here at once. A create cut off before its key is known
 * fails `CANCELLED`, saying the key may exist; once the key is known, it is kept ({@link KeyKeptError}).
 */
import { randomUUID } from "node:crypto";
import type { Page } from "../client/apiKeys";
import { isCancelled, sleep } from "../client/abort";
import type { LimitlyClient } from "../client/client";
import { LimitlyError, type PackageErrorCode } from "../client/errors";
import type { ApiKeyFields, ApiKeyRecord } from "../client/records";
import { CREATE_TOKEN_KEY } from "./apiKeyInputs";
import { saysNotFound } from "./errors";

/**
 * A POST that failed without an answer: it may have been carried out. That includes one cancelled
 * after it was sent (the error then says when: `sentAt`).
 */
export const isAmbiguous = (e: unknown): e is LimitlyError =>
  e instanceof LimitlyError && (e.code === "OUTCOME_UNKNOWN" || (e.code === "CANCELLED" && e.sentAt !== undefined));

/** How long after sending a request Limitly may still carry it out. */
export const inflightWindowMs = (client: LimitlyClient) => Math.max(2_000, 2 * client.timeoutMs);

/**
 * When a call that failed with `e` can no longer be carried out: the in-flight window from its last
 * send, or from now when the error does not say (later than any send, so never too soon).
 */
export const settledAt = (client: LimitlyClient, e: unknown) =>
  (e instanceof LimitlyError && e.sentAt !== undefined ? e.sentAt : Date.now()) + inflightWindowMs(client);

/** Waits until `until` (epoch ms), if it is still ahead; a cancellation ends the wait. */
export const waitUntil = (until: number) =>
  sleep(Math.max(0, until - Date.now()), "waiting out the in-flight window of a request without an answer");

/** One kind's listing: a page of 100 objects (`page` from 1), and an object's id. */
export interface Listing<T> {
  page(page: number): Promise<Page<T>>;
  idOf(rec: T): string;
}

/** The first key matching `match`, or undefined once the account provably has none (see {@link findInPages}). */
export function findInListing(
  client: LimitlyClient,
  match: (k: ApiKeyRecord) => boolean,
  seen: (k: ApiKeyRecord) => void = () => undefined,
  maxPasses = 20,
  maxFailures = 2,
): Promise<ApiKeyRecord | undefined> {
  const keys: Listing<ApiKeyRecord> = { page: (page) => client.apiKeys.list({ page, limit: 100 }), idOf: (k) => k.id };
  return findInPages(keys, match, seen, maxPasses, maxFailures);
}

/**
 * The first object matching `match`, or undefined once the listing provably has none. One pass pages
 * with `page`/`limit`, so an object deleted from a page already read shifts the later ones back by
 * one and the object at the next page's start is never seen. A match is trusted at once; "none" only
 * from a pass in which every page reported the same total and that many distinct objects were seen,
 * and after which a second pass still finds every object the first one saw (a pass of one page needs
 * no second: there is no later page to shift): a skip needs an object
 * already read to be deleted during the pass, and the second pass would miss it. Objects created
 * meanwhile change nothing, wherever the service lists them.
 */
export async function findInPages<T>(
  listing: Listing<T>,
  match: (k: T) => boolean,
  seen: (k: T) => void = () => undefined,
  maxPasses = 20,
  maxFailures = 2,
): Promise<T | undefined> {
  let previous: Set<string> | undefined;
  let failures = 0;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const keys = new Map<string, T>();
    const totals = new Set<number>();
    let pages = 0;
    try {
      for (let page = 1; ; page++) {
        // A listing changes nothing, so a failed page is fetched again, up to six times (about 5 s):
        // giving up here would leave an object that may exist unknown to the stack.
        const p = await persistently(() => listing.page(page));
        pages = page;
        if (p.count !== undefined) totals.add(p.count);
        for (const k of p.items) {
          if (match(k)) return k;
          seen(k);
          keys.set(listing.idOf(k), k);
        }
        if (p.items.length < 100 || (p.count !== undefined && page * 100 >= p.count)) break;
      }
    } catch (e) {
      if (isCancelled(e) || ++failures > maxFailures) throw e;
      previous = undefined;
      continue;
    }
    const ids = new Set(keys.keys());
    const selfConsistent = totals.size <= 1 && (totals.size === 0 || [...totals][0] === ids.size);
    // One page is one answer: nothing can shift between pages that are not there.
    if (pages === 1 && selfConsistent) return undefined;
    if (previous && [...previous].every((id) => ids.has(id))) return undefined;
    previous = selfConsistent ? ids : undefined;
  }
  throw new LimitlyError({
    code: "OUTCOME_UNKNOWN",
    message: `objects were deleted during each of ${maxPasses} listings, so none could be trusted`,
  });
}

/** A read that changes nothing, repeated after a failure that may pass (5xx, 429, no answer); never after a cancellation. */
export async function persistently<T>(read: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (e) {
      const refused = e instanceof LimitlyError && e.status !== undefined && e.status < 500 && e.status !== 429;
      if (i >= attempts || refused || isCancelled(e)) throw e;
      await sleep(Math.min(2_000, 100 * 2 ** i), "waiting to read again");
    }
  }
}

/** The key carrying `token`, if any; same-named keys seen while looking go to `candidates`. */
function findByToken(client: LimitlyClient, token: string, name: string, candidates: Set<string>) {
  return findInListing(
    client,
    (k) => k.metadata?.[CREATE_TOKEN_KEY] === token,
    (k) => void (k.name === name && candidates.add(k.id)),
  );
}

/**
 * Regenerates and returns a value that is the one Limitly holds. After `attempts` lost answers the
 * caller must assume Limitly holds a value it never saw. Every failure once the old value may be gone
 * (a regenerate was answered or lost) is {@link isAmbiguous}, a cancellation included, unless the
 * key is gone too (404).
 */
export async function regenerateSeen(
  client: LimitlyClient,
  id: string,
  attempts = 5,
  /**
   * An earlier operation's regenerates went unanswered (the key is marked lost): they may still be
   * carried out, so this one is sent after their window, counted from now (later than theirs).
   */
  afterLost = false,
): Promise<ApiKeyRecord> {
  if (afterLost) await waitUntil(Date.now() + inflightWindowMs(client));
  /** Until when the attempts whose answers were lost may still be carried out, and the last one's error. */
  let lost: { until: number; error: LimitlyError } | undefined;
  /** Answers lost: once there is one, the value held before may be gone. */
  let failures = 0;
  for (;;) {
    try {
      const rec = await client.apiKeys.regenerate(id);
      if (!lost) return rec;
      // A lost attempt may still be carried out and replace this value: once none can, the next one is final.
      await waitUntil(lost.until);
      lost = undefined;
    } catch (e) {
      if (isAmbiguous(e)) {
        if (isCancelled(e) || ++failures >= attempts) throw e;
        lost = { until: Math.max(lost?.until ?? 0, settledAt(client, e)), error: e as LimitlyError };
        continue;
      }
      throw failures > 0 && !saysNotFound(e, "key") ? valueGone(e, lost?.error) : e;
    }
  }
}

/**
 * A regenerate's failure once an earlier one was carried out, or may still be: the value held
 * before is gone and the one Limitly holds was never seen, which {@link isAmbiguous} says.
 */
function valueGone(e: unknown, lost?: LimitlyError): LimitlyError {
  return new LimitlyError({
    code: isCancelled(e) ? "CANCELLED" : "OUTCOME_UNKNOWN",
    message:
      `${LimitlyError.describe(e)}, after an earlier regenerate of the key was carried out or may still be` +
      (lost ? ` (${LimitlyError.describe(lost)})` : ""),
    sentAt: lost?.sentAt ?? Date.now(),
  });
}

/** The key exists but its value could not be obtained; the hooks keep it in the stack. */
export class KeyKeptError extends Error {
  override readonly name = "KeyKeptError";
  readonly code = "VALUE_LOST" satisfies PackageErrorCode;

  constructor(
    message: string,
    readonly record: ApiKeyRecord,
  ) {
    super(message);
  }
}

export interface ExactlyOnceResult {
  record: ApiKeyRecord;
  /** The key's value, when one could be obtained. */
  apiKey?: string;
  /** True when the create's answer was lost and the key was found again by its token. */
  recovered: boolean;
  /** How many POSTs were sent. */
  posts: number;
}

export async function createKeyExactlyOnce(
  client: LimitlyClient,
  fields: ApiKeyFields & { name: string },
  maxPosts = 3,
): Promise<ExactlyOnceResult> {
  const token = randomUUID();
  const metadata = { ...(fields.metadata ?? {}), [CREATE_TOKEN_KEY]: token };
  const candidates = new Set<string>();
  // Cancelled while the key may exist, before it was found: not waited out (the engine is
  // stopping); the token and the owner tag let the next run find it.
  const mayExist = (cancel: LimitlyError) =>
    new LimitlyError({
      code: "CANCELLED",
      message:
        `creating key "${fields.name}": ${LimitlyError.describe(cancel)}. The key may exist (metadata ` +
        `"${CREATE_TOKEN_KEY}" = "${token}"): the next \`pulumi up\` takes it over`,
      details: { token },
    });
  let last: unknown;
  for (let posts = 1; posts <= maxPosts; posts++) {
    let settled: number;
    try {
      const record = await client.apiKeys.create({ ...fields, metadata });
      return { record, apiKey: record.apiKey, recovered: false, posts };
    } catch (e) {
      if (isCancelled(e)) throw isAmbiguous(e) ? mayExist(e) : e;
      if (!isAmbiguous(e)) throw e;
      last = e;
      settled = settledAt(client, e);
    }
    const lookup = async () => {
      try {
        return await findByToken(client, token, fields.name, candidates);
      } catch (lookupError) {
        if (isCancelled(lookupError)) throw mayExist(lookupError);
        const ids = [...candidates];
        throw new LimitlyError({
          code: "OUTCOME_UNKNOWN",
          message:
            `creating key "${fields.name}" failed without an answer, and looking it up failed too ` +
            `(${(lookupError as Error).message}). It may exist: look for metadata "${CREATE_TOKEN_KEY}" = "${token}"` +
            (ids.length
              ? `; keys with that name: ${ids.join(", ")}`
              : "; no key with that name was seen before the lookup failed") +
            `. Adopt it with adoptKeyId, or delete it, before running again`,
          details: { token, candidates: ids },
        });
      }
    };
    let found = await lookup();
    if (!found) {
      // Not there yet is not "never": wait until the POST can no longer be carried out, then look again.
      try {
        await waitUntil(settled);
      } catch (e) {
        throw isCancelled(e) ? mayExist(e) : e;
      }
      found = await lookup();
    }
    if (found) {
      try {
        const record = await regenerateSeen(client, found.id);
        return { record, apiKey: record.apiKey, recovered: true, posts };
      } catch (e) {
        // The key exists but no value could be obtained: keep it in the state rather than orphan it.
        const why = isCancelled(e) ? "obtaining a value was cancelled" : "regenerating it failed";
        throw new KeyKeptError(
          `key ${found.id} was created but its value was lost and ${why} (${(e as Error).message}); ` +
            "it is kept in the stack without a value: the next `pulumi up` issues one",
          found,
        );
      }
    }
  }
  throw new LimitlyError({
    code: "OUTCOME_UNKNOWN",
    message: `creating key "${fields.name}" failed ${maxPosts} times without an answer; each time a lookup confirmed no key was created (last: ${(last as Error).message})`,
  });
}
