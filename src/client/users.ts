/** The `/users` endpoints. */
import { z } from "zod";
import type { Transport } from "./transport";
import { segment } from "./segment";
import type { ApiKeyRecord, KeyRequestHistory, UserFields, UserRecord, UserUsage } from "./records";
import { apiKeyWire, deletedWire, requestsWire, userFieldsToWire, userUsageWire, userWire } from "./schemas";
import { issued, listEvery, listedKind, paginate, type Page } from "./apiKeys";
import type { ListedKind, ListedReads } from "./listedReads";

/** Fields to create a user with. */
export type CreateUserFields = UserFields & { name: string };

/** Calls on Limitly users; ids are the numbers Limitly assigns. */
export class UsersApi {
  private readonly listed: ListedKind<UserRecord>;

  constructor(
    private readonly t: Transport,
    private readonly reads?: ListedReads<UserRecord>,
  ) {
    this.listed = listedKind(
      t,
      "/users",
      "user",
      userWire,
      (u) => String(u.userId),
      (id) => this.get(id),
    );
  }

  /** Reads a user like {@link get}, or from a listing when it pays for itself (see `ApiKeysApi.read`). */
  read(id: number | string): Promise<UserRecord> {
    segment(id, "user id");
    return this.reads ? this.reads.read(String(id), this.listed) : this.get(id);
  }

  async list(opts: { page?: number; limit?: number } = {}): Promise<Page<UserRecord>> {
    const page = opts.page ?? 1;
    const limit = opts.limit ?? 10;
    const r = await this.t.request("GET", "/users", { query: { page, limit }, schema: z.array(userWire) });
    return { items: r.data, count: r.count, page, limit };
  }

  async *listAll(): AsyncGenerator<UserRecord, void, undefined> {
    yield* paginate((p) => this.list(p), 100);
  }

  async create(fields: CreateUserFields): Promise<UserRecord> {
    return (await this.t.request("POST", "/users", { body: userFieldsToWire(fields), schema: userWire })).data;
  }

  async get(id: number | string): Promise<UserRecord> {
    return (await this.t.request("GET", `/users/${segment(id, "user id")}`, { schema: userWire })).data;
  }

  async update(id: number | string, fields: UserFields): Promise<UserRecord> {
    return (
      await this.t.request("PUT", `/users/${segment(id, "user id")}`, {
        body: userFieldsToWire(fields),
        schema: userWire,
      })
    ).data;
  }

  async delete(id: number | string): Promise<{ message?: string }> {
    return (await this.t.request("DELETE", `/users/${segment(id, "user id")}`, { schema: deletedWire })).data;
  }

  /** Requests made with the user's keys in the current period (or in `period`). */
  async getUsage(id: number | string, opts: { period?: "day" | "week" | "month" | "year" } = {}): Promise<UserUsage> {
    const query = opts.period ? { period: opts.period } : undefined;
    return (await this.t.request("GET", `/users/${segment(id, "user id")}/usage`, { query, schema: userUsageWire }))
      .data;
  }

  /** Request history of every key of the user, in either documented shape: one page, as for a key's. */
  async getRequests(id: number | string, opts: { page?: number; limit?: number } = {}): Promise<KeyRequestHistory> {
    const query = opts.page || opts.limit ? { page: opts.page, limit: opts.limit } : undefined;
    return (await this.t.request("GET", `/users/${segment(id, "user id")}/requests`, { query, schema: requestsWire }))
      .data;
  }

  /** Every key of the user (all pages). */
  keys(id: number | string): Promise<ApiKeyRecord[]> {
    return listEvery(this.t, `/users/${segment(id, "user id")}/keys`, z.array(apiKeyWire));
  }

  /** Creates a key for the user; the answer is the only one that ever carries its `apiKey` value. */
  async createKey(id: number | string, fields: { name: string }): Promise<ApiKeyRecord> {
    return issued(
      (
        await this.t.request("POST", `/users/${segment(id, "user id")}/keys`, {
          body: { name: fields.name },
          schema: apiKeyWire,
        })
      ).data,
    );
  }
}
