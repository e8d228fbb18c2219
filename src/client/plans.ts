/** The `/plans` endpoints. */
import { z } from "zod";
import type { Transport } from "./transport";
import { segment } from "./segment";
import type { ApiKeyRecord, PlanFields, PlanRecord, PlanUsage, UserRecord } from "./records";
import { deletedWire, planFieldsToWire, planKeysWire, planUsageWire, planUsersWire, planWire } from "./schemas";
import { listEvery, listedKind, paginate, type Page } from "./apiKeys";
import type { ListedKind, ListedReads } from "./listedReads";

/** Fields to create a plan with. */
export type CreatePlanFields = PlanFields & Required<Pick<PlanFields, "name" | "maxRequests" | "requestPeriod">>;

const seg = (id: string) => segment(id, "plan id");

/** Calls on Limitly plans. */
export class PlansApi {
  private readonly listed: ListedKind<PlanRecord>;

  constructor(
    private readonly t: Transport,
    private readonly reads?: ListedReads<PlanRecord>,
  ) {
    this.listed = listedKind(
      t,
      "/plans",
      "plan",
      planWire,
      (p) => p.id,
      (id) => this.get(id),
    );
  }

  /** Reads a plan like {@link get}, or from a listing when it pays for itself (see `ApiKeysApi.read`). */
  read(id: string): Promise<PlanRecord> {
    seg(id);
    return this.reads ? this.reads.read(id, this.listed) : this.get(id);
  }

  async list(opts: { page?: number; limit?: number } = {}): Promise<Page<PlanRecord>> {
    const page = opts.page ?? 1;
    const limit = opts.limit ?? 10;
    const r = await this.t.request("GET", "/plans", { query: { page, limit }, schema: z.array(planWire) });
    return { items: r.data, count: r.count, page, limit };
  }

  async *listAll(): AsyncGenerator<PlanRecord, void, undefined> {
    yield* paginate((p) => this.list(p), 100);
  }

  async create(fields: CreatePlanFields): Promise<PlanRecord> {
    return (await this.t.request("POST", "/plans", { body: planFieldsToWire(fields), schema: planWire })).data;
  }

  async get(id: string): Promise<PlanRecord> {
    return (await this.t.request("GET", `/plans/${seg(id)}`, { schema: planWire })).data;
  }

  async update(id: string, fields: PlanFields): Promise<PlanRecord> {
    return (await this.t.request("PUT", `/plans/${seg(id)}`, { body: planFieldsToWire(fields), schema: planWire }))
      .data;
  }

  async delete(id: string): Promise<{ message?: string }> {
    return (await this.t.request("DELETE", `/plans/${seg(id)}`, { schema: deletedWire })).data;
  }

  /** Requests made with the plan's keys in the current period (or in `period`). */
  async getUsage(id: string, opts: { period?: "day" | "week" | "month" | "year" } = {}): Promise<PlanUsage> {
    const query = opts.period ? { period: opts.period } : undefined;
    return (await this.t.request("GET", `/plans/${seg(id)}/usage`, { query, schema: planUsageWire })).data;
  }

  /** Every user on the plan (all pages). */
  users(id: string): Promise<UserRecord[]> {
    return listEvery(this.t, `/plans/${seg(id)}/users`, planUsersWire);
  }

  /** Every key on the plan (all pages). */
  keys(id: string): Promise<ApiKeyRecord[]> {
    return listEvery(this.t, `/plans/${seg(id)}/keys`, planKeysWire);
  }
}
