/** The `/plans` endpoints. */
import { z } from "zod";
import type { Transport } from "./transport";
import { segment } from "./segment";
import type { PlanFields, PlanRecord } from "./records";
import { deletedWire, planFieldsToWire, planWire } from "./schemas";
import { paginate, type Page } from "./apiKeys";

/** Fields to create a plan with. */
export type CreatePlanFields = PlanFields & Required<Pick<PlanFields, "name" | "maxRequests" | "requestPeriod">>;

const seg = (id: string) => segment(id, "plan id");

/** Calls on Limitly plans. */
export class PlansApi {
  constructor(private readonly t: Transport) {}

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
}
