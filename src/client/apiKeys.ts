/** The `/keys` endpoints. */
import { z } from "zod";
import type { Transport, WireSchema } from "./transport";
import type { ApiKeyFields, ApiKeyRecord, KeyRequestHistory, KeyUsage } from "./records";
import { rememberSecret } from "./errors";
import { segment } from "./segment";
import { apiKeyFieldsToWire, apiKeyWire, deletedWire, requestsWire, usageWire } from "./schemas";
import { PAGE_SIZE, type ListedKind, type ListedReads } from "./listedReads";

/** One page of keys and Limitly's total `count`. */
export interface Page<T> {
  items: T[];
  /** Total number of objects across all pages, when Limitly reports it. */
  count?: number;
  page: number;
  limit: number;
}

/** Fields to create a key with; `name` is required. */
export type CreateApiKeyFields = ApiKeyFields & { name: string };

const seg = (id: string) => segment(id, "key id (key_…)");

/** A key value Limitly issued is a secret this process must never print from here on. */
export function issued(rec: ApiKeyRecord): ApiKeyRecord {
  rememberSecret(rec.apiKey);
  return rec;
}

/** Calls on Limitly API keys, with camelCase results. */
export class ApiKeysApi {
  private readonly listed: ListedKind<ApiKeyRecord>;

  constructor(
    private readonly t: Transport,
    private readonly reads?: ListedReads<ApiKeyRecord>,
  ) {
    this.listed = {
      ...listedKind(
        t,
        "/keys",
        "key",
        apiKeyWire,
        (k) => k.id,
        (id) => this.get(id),
      ),
      // Limitly never lists a key's value; one that a listing carried anyway is not taken.
      fromListing: (k) => ({ ...k, apiKey: undefined }),
    };
  }

  /**
   * Reads a key like {@link get}, or from a listing of the account when many reads come at once and
   * the listing pays for itself (listedReads.ts: never more calls than reads plus one); a key missing
   * from the listing is read with its own GET.
   */
  read(id: string): Promise<ApiKeyRecord> {
    seg(id);
    return this.reads ? this.reads.read(id, this.listed) : this.get(id);
  }

  /** One page of keys (`page` from 1, `limit` up to 100). */
  async list(opts: { page?: number; limit?: number } = {}): Promise<Page<ApiKeyRecord>> {
    const page = opts.page ?? 1;
    const limit = opts.limit ?? 10;
    const r = await this.t.request("GET", "/keys", { query: { page, limit }, schema: z.array(apiKeyWire) });
    return { items: r.data, count: r.count, page, limit };
  }

  /** Every key, page by page (100 per request). */
  async *listAll(opts: { limit?: number } = {}): AsyncGenerator<ApiKeyRecord, void, undefined> {
    yield* paginate((p) => this.list(p), opts.limit ?? 100);
  }

  /** Creates a key; the answer is the only one that ever carries its `apiKey` value. */
  async create(fields: CreateApiKeyFields): Promise<ApiKeyRecord> {
    return issued(
      (await this.t.request("POST", "/keys", { body: apiKeyFieldsToWire(fields), schema: apiKeyWire })).data,
    );
  }

  /** Reads a key; `apiKey` is never part of the answer. */
  async get(id: string): Promise<ApiKeyRecord> {
    return (await this.t.request("GET", `/keys/${seg(id)}`, { schema: apiKeyWire })).data;
  }

  /** Changes the given fields of a key. */
  async update(id: string, fields: ApiKeyFields): Promise<ApiKeyRecord> {
    return (await this.t.request("PUT", `/keys/${seg(id)}`, { body: apiKeyFieldsToWire(fields), schema: apiKeyWire }))
      .data;
  }

  /** Soft-deletes a key; afterwards it answers 404. */
  async delete(id: string): Promise<{ message?: string }> {
    return (await this.t.request("DELETE", `/keys/${seg(id)}`, { schema: deletedWire })).data;
  }

  /** Issues a new value for the key (same id); the old value stops working at once. */
  async regenerate(id: string): Promise<ApiKeyRecord> {
    return issued((await this.t.request("POST", `/keys/${seg(id)}/regenerate`, { schema: apiKeyWire })).data);
  }

  /** Usage in the current period, normalized from either documented shape. */
  async getUsage(id: string, opts: { period?: "day" | "week" | "month" | "year" } = {}): Promise<KeyUsage> {
    const query = opts.period ? { period: opts.period } : undefined;
    return (await this.t.request("GET", `/keys/${seg(id)}/usage`, { query, schema: usageWire })).data;
  }

  /**
   * Request history, normalized from either documented shape: one page (`page` from 1, `limit`
   * up to 100; Limitly's defaults are page 1 of 20).
   */
  async getRequests(id: string, opts: { page?: number; limit?: number } = {}): Promise<KeyRequestHistory> {
    const query = opts.page || opts.limit ? { page: opts.page, limit: opts.limit } : undefined;
    return (await this.t.request("GET", `/keys/${seg(id)}/requests`, { query, schema: requestsWire })).data;
  }
}

/**
 * How {@link ListedReads} lists and reads one kind: pages of raw items (each checked on its own, so
 * one that does not fit fails only its own read), the item's id, and the GET of one object.
 */
export function listedKind<T>(
  t: Transport,
  path: string,
  what: string,
  schema: ListedKind<T>["schema"],
  idOf: (rec: T) => string,
  get: (id: string) => Promise<T>,
): ListedKind<T> {
  const rawIdField = path === "/users" ? "user_id" : "id";
  return {
    path,
    what,
    schema,
    idOf,
    get,
    fromListing: (rec) => rec,
    rawId: (item) => {
      const id = item && typeof item === "object" ? (item as Record<string, unknown>)[rawIdField] : undefined;
      return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
    },
    page: async (page) => {
      const r = await t.request("GET", path, { query: { page, limit: PAGE_SIZE }, schema: z.array(z.unknown()) });
      return { items: r.data, count: r.count };
    },
  };
}

/** Every item of the paged list at `path` (100 per request), as an array. */
export async function listEvery<T>(t: Transport, path: string, schema: WireSchema<T[]>): Promise<T[]> {
  const all: T[] = [];
  const pages = paginate(async ({ page, limit }) => {
    const r = await t.request("GET", path, { query: { page, limit }, schema });
    return { items: r.data, count: r.count, page, limit };
  }, 100);
  for await (const item of pages) all.push(item);
  return all;
}

/** Walks pages until one comes back short or `count` says there is no more. */
export async function* paginate<T>(
  fetchPage: (p: { page: number; limit: number }) => Promise<Page<T>>,
  limit: number,
): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  for (let page = 1; ; page++) {
    const r = await fetchPage({ page, limit });
    yield* r.items;
    seen += r.items.length;
    if (r.items.length < limit || (r.count !== undefined && seen >= r.count)) return;
  }
}
