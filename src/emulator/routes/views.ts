/**
 * How the emulator shows its rows, finds live ones, pages lists and counts usage: the parts every
 * resource's routes share.
 */
import type { KeyRow, PlanRow, RequestRow, Store, UserRow } from "../store";
import { HttpError, oneOf, paging } from "../validation";

export const PERIODS = ["day", "week", "month", "year"] as const;
export type Period = (typeof PERIODS)[number];

export const keyNotFound = () => new HttpError(404, "API_KEY_NOT_FOUND", "API key not found");
export const notFound = (what: string) => new HttpError(404, "NOT_FOUND", `${what} not found`);

/** A key as Limitly shows it: without its value, which only create and regenerate return. */
export function keyView(k: KeyRow, value?: string): Record<string, unknown> {
  const { value_hash: _hash, deleted_at: _deleted, ...rest } = k;
  return value === undefined ? rest : { ...rest, api_key: value };
}

export function planView(p: PlanRow): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = p;
  return rest;
}

export function userView(u: UserRow): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = u;
  return rest;
}

/** One page of `items` and the total `count`, from the `page` and `limit` query parameters. */
export function page<T>(items: T[], query: URLSearchParams, defaultLimit = 10): { data: T[]; count: number } {
  const { page, limit } = paging(query, defaultLimit);
  return { data: items.slice((page - 1) * limit, page * limit), count: items.length };
}

export function liveKey(store: Store, id: string): KeyRow {
  const k = store.keys.get(id);
  if (!k || k.deleted_at) throw keyNotFound();
  return k;
}

export function livePlan(store: Store, id: string): PlanRow {
  const p = store.plans.get(id);
  if (!p || p.deleted_at) throw notFound("Plan");
  return p;
}

export function liveUser(store: Store, id: string): UserRow {
  const n = Number(id);
  const u = Number.isInteger(n) ? store.users.get(n) : undefined;
  if (!u || u.deleted_at) throw notFound("User");
  return u;
}

export const keysOfUser = (store: Store, u: UserRow) =>
  store.liveKeys().filter((k) => String(k.user_id) === String(u.user_id));

export const keysOfPlan = (store: Store, p: PlanRow) => store.liveKeys().filter((k) => k.plan_id === p.id);

/** The `?period=` of a usage call, else the plan's period, else a month. */
export function periodOf(query: URLSearchParams, plan?: PlanRow): Period {
  const asked = oneOf({ period: query.get("period") ?? undefined }, "period", PERIODS);
  return asked ?? plan?.request_period ?? "month";
}

/** The start and end of the current period, counted from the start of the UTC day/week/month/year. */
export function periodBounds(period: string, now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (period) {
    case "day":
      return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
    case "week": {
      const start = new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7)));
      return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
    }
    case "year":
      return { start: new Date(Date.UTC(y, 0, 1)), end: new Date(Date.UTC(y + 1, 0, 1)) };
    default:
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  }
}

/** Requests made with any of `keyIds` since `start`; `allowedOnly` counts only those let through. */
export function requestsSince(store: Store, keyIds: Set<string>, start: Date, allowedOnly = false): RequestRow[] {
  return store.requests.filter(
    (r) => keyIds.has(r.api_key_id) && (!allowedOnly || r.allowed) && Date.parse(r.timestamp) >= start.getTime(),
  );
}

/** A key's usage in its period (REST shape), and the plan it counts against. */
export function keyUsage(store: Store, k: KeyRow, period?: Period) {
  const plan = k.plan_id ? store.plans.get(k.plan_id) : undefined;
  const p = period ?? plan?.request_period ?? "month";
  const { start, end } = periodBounds(p, new Date());
  const used = requestsSince(store, new Set([k.id]), start, true).length;
  const limit = plan && !plan.deleted_at ? plan.max_requests : null;
  return {
    current_usage: used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    reset_time: end.toISOString(),
    period: p,
    plan,
  };
}

/** One page of request history (REST shape), newest last; `count` is the total. */
export function requestHistory(store: Store, keyIds: Set<string>, query: URLSearchParams) {
  const all = store.requests
    .filter((r) => keyIds.has(r.api_key_id))
    .map((r) => ({
      timestamp: r.timestamp,
      endpoint: r.endpoint,
      method: r.method,
      status: r.allowed ? "allowed" : "denied",
      ip_address: r.ip_address,
    }));
  const { data, count } = page(all, query, 20);
  return { requests: data, count };
}

export const percentage = (used: number, limit: number | null | undefined) =>
  typeof limit === "number" && limit > 0 ? Math.round((used / limit) * 10_000) / 100 : 0;
