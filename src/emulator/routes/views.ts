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

/** A plan as Limitly shows it, with the account that owns it (the Python SDK's `Plan.owner_id`). */
export function planView(store: Store, p: PlanRow): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = p;
  return { ...rest, owner_id: store.ownerId };
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

/**
 * A key's usage in its period, and the plan it counts against. The answer carries both documented
 * shapes in one object: the REST reference's (`current_usage`, `limit`, `remaining`, `reset_time`,
 * `period`) and the Python SDK's `ApiKeyUsage` (`apiKeyId` … `isUnlimited`); `limit` is in both.
 */
export function keyUsage(store: Store, k: KeyRow, period?: Period) {
  const plan = k.plan_id ? store.plans.get(k.plan_id) : undefined;
  const live = plan && !plan.deleted_at ? plan : undefined;
  const p = period ?? plan?.request_period ?? "month";
  const { start, end } = periodBounds(p, new Date());
  const used = requestsSince(store, new Set([k.id]), start, true).length;
  const limit = live ? live.max_requests : null;
  return {
    current_usage: used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    reset_time: end.toISOString(),
    period: p,
    apiKeyId: k.id,
    apiKeyName: k.name,
    created_at: k.created_at,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    totalRequests: store.requests.filter((r) => r.api_key_id === k.id).length,
    requestsInPeriod: used,
    percentageUsed: percentage(used, limit),
    planName: live?.name ?? null,
    isUnlimited: limit === null,
    plan,
  };
}

/**
 * One page of request history, newest last, in both documented shapes: the REST reference's
 * `requests[]` (`timestamp`, `endpoint`, `method`, `status`, `ip_address`) with `count`, the total;
 * and the Python SDK's `ApiKeyRequestsResponse`: `totalRequests`, `requestsInPeriod` (the current
 * period, counted from `period`) and `requestsInPeriodDetails[]`, the page's requests of that period.
 * `key` names the key for a key's history (`apiKeyId`, `apiKeyName`, `created_at`).
 */
export function requestHistory(
  store: Store,
  keyIds: Set<string>,
  query: URLSearchParams,
  period: Period,
  key?: KeyRow,
) {
  const { start, end } = periodBounds(period, new Date());
  const rows = store.requests.filter((r) => keyIds.has(r.api_key_id));
  const { data, count } = page(rows, query, 20);
  const inPeriod = (r: RequestRow) => Date.parse(r.timestamp) >= start.getTime();
  return {
    requests: data.map((r) => ({
      timestamp: r.timestamp,
      endpoint: r.endpoint,
      method: r.method,
      status: r.allowed ? "allowed" : "denied",
      ip_address: r.ip_address,
    })),
    count,
    ...(key ? { apiKeyId: key.id, apiKeyName: key.name, created_at: key.created_at } : {}),
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    totalRequests: count,
    requestsInPeriod: rows.filter(inPeriod).length,
    requestsInPeriodDetails: data.filter(inPeriod).map((r) => ({
      api_key_id: r.api_key_id,
      created_at: r.timestamp,
      endpoint: r.endpoint,
      method: r.method,
      // Limitly's own answer to the validated request: let through, or refused over the plan's limit.
      status_code: r.allowed ? 200 : 429,
      response_time_ms: r.response_time_ms,
    })),
  };
}

export const percentage = (used: number, limit: number | null | undefined) =>
  typeof limit === "number" && limit > 0 ? Math.round((used / limit) * 10_000) / 100 : 0;
