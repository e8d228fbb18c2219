/**
 * Exactly-once key creation. A `POST /keys` whose answer is lost may or may not have created a
 * key, and that answer was the only one that would ever carry the key's value. Every create is
 * therefore tagged with a random token in its metadata; after an ambiguous failure the provider
 * looks for the token: found, it keeps that key and issues a value it can see with regenerate;
 * not found, it posts again. Nothing is orphaned and no second key is minted.
 */
import { randomUUID } from "node:crypto";
import type { LimitlyClient } from "../client/client";
import { LimitlyError } from "../client/errors";
import type { ApiKeyFields, ApiKeyRecord } from "../client/records";
import { CREATE_TOKEN_KEY } from "./apiKeyInputs";

/** A POST that failed without an answer: it may have been carried out. */
export const isAmbiguous = (e: unknown) => e instanceof LimitlyError && e.code === "OUTCOME_UNKNOWN";

/** The key carrying `token`, if any, and the ids of same-named keys seen while looking. */
async function findByToken(
  client: LimitlyClient,
  token: string,
  name: string,
  candidates: Set<string>,
): Promise<ApiKeyRecord | undefined> {
  for await (const key of client.apiKeys.listAll()) {
    if (key.metadata?.[CREATE_TOKEN_KEY] === token) return key;
    if (key.name === name) candidates.add(key.id);
  }
  return undefined;
}

/**
 * Regenerate is a POST too; repeating it is safe because a value nobody saw is worth nothing. After
 * `attempts` answers lost in a row the caller must assume Limitly holds a value it never saw.
 */
export async function regenerateSeen(client: LimitlyClient, id: string, attempts = 5): Promise<ApiKeyRecord> {
  for (let i = 1; ; i++) {
    try {
      return await client.apiKeys.regenerate(id);
    } catch (e) {
      if (!isAmbiguous(e) || i >= attempts) throw e;
    }
  }
}

/** The key exists but its value could not be obtained; the hooks keep it in the stack. */
export class KeyKeptError extends Error {
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
  let last: unknown;
  for (let posts = 1; posts <= maxPosts; posts++) {
    try {
      const record = await client.apiKeys.create({ ...fields, metadata });
      return { record, apiKey: record.apiKey, recovered: false, posts };
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      last = e;
    }
    let found: ApiKeyRecord | undefined;
    try {
      found = await findByToken(client, token, fields.name, candidates);
    } catch (lookupError) {
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
    if (found) {
      try {
        const record = await regenerateSeen(client, found.id);
        return { record, apiKey: record.apiKey, recovered: true, posts };
      } catch (e) {
        // The key exists but no value could be obtained: keep it in the state rather than orphan it.
        throw new KeyKeptError(
          `key ${found.id} was created but its value was lost and regenerating it failed ` +
            `(${(e as Error).message}); it is kept in the stack without a value: change \`rotation\` to issue one`,
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
