/** The `/users` endpoints. */
import { z } from "zod";
import type { Transport } from "./transport";
import { segment } from "./segment";
import type { UserFields, UserRecord } from "./records";
import { deletedWire, userFieldsToWire, userWire } from "./schemas";
import { paginate, type Page } from "./apiKeys";

/** Fields to create a user with. */
export type CreateUserFields = UserFields & { name: string };

/** Calls on Limitly users; ids are the numbers Limitly assigns. */
export class UsersApi {
  constructor(private readonly t: Transport) {}

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
}
