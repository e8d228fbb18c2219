/**
 * The Limitly contract as route handlers over the {@link Store}. Handlers return the `data` (and
 * `count`) of the success envelope, or throw an {@link HttpError} carrying Limitly's error shape.
 */
import type { KeyRow, PlanRow, Store, UserRow } from "./store";
import { hashValue, newKeyValue } from "./store";
import {
  HttpError,
  asObject,
  bool,
  emailField,
  invalid,
  isoDateField,
  metadataField,
  oneOf,
  paging,
  positiveInt,
  str,
  userIdField,
} from "./validation";

export interface RouteContext {
  store: Store;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  ip: string;
}

export interface RouteResult {
  status?: number;
  data: unknown;
  count?: number;
  /** Sent as is, without the `{ data }` envelope (used by `/validate`). */
  raw?: boolean;
  /** Whether the handler changed state (persisted afterwards). */
  mutated?: boolean;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: string;
  handler: (ctx: RouteContext) => RouteResult;
}

const KEY_STATUSES = ["active", "inactive"] as const;
const PERIODS = ["day", "week", "month", "year"] as const;

const keyNotFound = () => new HttpError(404, "API_KEY_NOT_FOUND", "API key not found");
const notFound = (what: string) => new HttpError(404, "NOT_FOUND", `${what} not found`);

/** A key as Limitly shows it: without its value, which only create and regenerate return. */
function keyView(k: KeyRow, value?: string): Record<string, unknown> {
  const { value_hash: _hash, deleted_at: _deleted, ...rest } = k;
  return value === undefined ? rest : { ...rest, api_key: value };
}

function planView(p: PlanRow): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = p;
  return rest;
}

function userView(u: UserRow): Record<string, unknown> {
  const { deleted_at: _deleted, ...rest } = u;
  return rest;
}

function page<T>(items: T[], query: URLSearchParams): { data: T[]; count: number } {
  const { page, limit } = paging(query);
  return { data: items.slice((page - 1) * limit, page * limit), count: items.length };
}

function liveKey(store: Store, id: string): KeyRow {
  const k = store.keys.get(id);
  if (!k || k.deleted_at) throw keyNotFound();
  return k;
}

function livePlan(store: Store, id: string): PlanRow {
  const p = store.plans.get(id);
  if (!p || p.deleted_at) throw notFound("Plan");
  return p;
}

function liveUser(store: Store, id: string): UserRow {
  const n = Number(id);
  const u = Number.isInteger(n) ? store.users.get(n) : undefined;
  if (!u || u.deleted_at) throw notFound("User");
  return u;
}

/** The start and end of the current period, counted from the start of the UTC day/week/month/year. */
function periodBounds(period: string, now: Date): { start: Date; end: Date } {
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

function keyUsage(store: Store, k: KeyRow) {
  const plan = k.plan_id ? store.plans.get(k.plan_id) : undefined;
  const period = plan?.request_period ?? "month";
  const { start, end } = periodBounds(period, new Date());
  const used = store.requests.filter(
    (r) => r.api_key_id === k.id && r.allowed && Date.parse(r.timestamp) >= start.getTime(),
  ).length;
  const limit = plan && !plan.deleted_at ? plan.max_requests : null;
  return {
    current_usage: used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    reset_time: end.toISOString(),
    period,
    plan,
  };
}

export const routes: Route[] = [
  // ---- keys
  {
    method: "GET",
    pattern: "/keys",
    handler: ({ store, query }) =>
      page(
        store.liveKeys().map((k) => keyView(k)),
        query,
      ),
  },
  {
    method: "POST",
    pattern: "/keys",
    handler: ({ store, body }) => {
      const b = asObject(body);
      const name = str(b, "name", { required: true })!;
      const row: KeyRow = {
        id: store.newKeyId(),
        name,
        status: oneOf(b, "status", KEY_STATUSES) ?? "active",
        user_id: userIdField(b) ?? null,
        plan_id: str(b, "plan_id") ?? null,
        metadata: metadataField(b) ?? {},
        created_at: "",
        updated_at: "",
        last_used_at: null,
        value_hash: "",
        deleted_at: null,
      };
      row.created_at = row.updated_at = store.now();
      const value = newKeyValue();
      row.value_hash = hashValue(value);
      store.keys.set(row.id, row);
      return { status: 201, data: keyView(row, value), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/keys/:id",
    handler: ({ store, params }) => ({ data: keyView(liveKey(store, params.id)) }),
  },
  {
    method: "PUT",
    pattern: "/keys/:id",
    handler: ({ store, params, body }) => {
      const k = liveKey(store, params.id);
      const b = asObject(body);
      const name = str(b, "name", { nonEmpty: true });
      const status = oneOf(b, "status", KEY_STATUSES);
      const userId = userIdField(b);
      const planId = str(b, "plan_id");
      const metadata = metadataField(b);
      if (name !== undefined) k.name = name;
      if (status !== undefined) k.status = status;
      if (userId !== undefined) k.user_id = userId;
      if (planId !== undefined) k.plan_id = planId;
      if (metadata !== undefined) k.metadata = metadata;
      k.updated_at = store.now();
      return { data: keyView(k), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/keys/:id",
    handler: ({ store, params }) => {
      const k = liveKey(store, params.id);
      k.deleted_at = k.updated_at = store.now();
      return { data: { message: "API key deleted successfully" }, mutated: true };
    },
  },
  {
    method: "POST",
    pattern: "/keys/:id/regenerate",
    handler: ({ store, params }) => {
      const k = liveKey(store, params.id);
      const value = newKeyValue();
      k.value_hash = hashValue(value);
      k.updated_at = store.now();
      return { data: keyView(k, value), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/keys/:id/usage",
    handler: ({ store, params }) => {
      const { plan: _plan, ...usage } = keyUsage(store, liveKey(store, params.id));
      return { data: usage };
    },
  },
  {
    method: "GET",
    pattern: "/keys/:id/requests",
    handler: ({ store, params }) => {
      const k = liveKey(store, params.id);
      const requests = store.requests
        .filter((r) => r.api_key_id === k.id)
        .map((r) => ({
          timestamp: r.timestamp,
          endpoint: r.endpoint,
          method: r.method,
          status: r.allowed ? "allowed" : "denied",
          ip_address: r.ip_address,
        }));
      return { data: { requests, count: requests.length } };
    },
  },
  {
    method: "POST",
    pattern: "/validate",
    handler: ({ store, body, ip }) => {
      const b = asObject(body);
      const value = str(b, "api_key", { required: true })!;
      const endpoint = str(b, "endpoint", { required: true })!;
      const method = str(b, "method", { required: true })!;
      const hash = hashValue(value);
      const k = store.liveKeys().find((row) => row.value_hash === hash);
      if (!k || k.status !== "active") {
        return { raw: true, data: { success: false, error: k ? "API key is inactive" : "Invalid API key" } };
      }
      const usage = keyUsage(store, k);
      const allowed = usage.limit === null || usage.current_usage < usage.limit;
      const now = store.now();
      store.requests.push({
        api_key_id: k.id,
        timestamp: now,
        endpoint,
        method: method.toUpperCase(),
        allowed,
        ip_address: ip,
        response_time_ms: 1,
      });
      k.last_used_at = now;
      const used = usage.current_usage + (allowed ? 1 : 0);
      return {
        raw: true,
        mutated: true,
        data: {
          success: allowed,
          ...(allowed ? {} : { error: "Rate limit exceeded for this plan" }),
          details: {
            current_usage: used,
            limit: usage.limit,
            remaining: usage.limit === null ? null : Math.max(0, usage.limit - used),
            reset_time: usage.reset_time,
            plan_name: usage.plan?.name ?? null,
          },
        },
      };
    },
  },

  // ---- plans
  {
    method: "GET",
    pattern: "/plans",
    handler: ({ store, query }) => page(store.livePlans().map(planView), query),
  },
  {
    method: "POST",
    pattern: "/plans",
    handler: ({ store, body }) => {
      const b = asObject(body);
      const now = store.now();
      const row: PlanRow = {
        id: store.newPlanId(),
        name: str(b, "name", { required: true })!,
        description: str(b, "description") ?? null,
        max_requests: positiveInt(b, "max_requests", true)!,
        request_period: oneOf(b, "request_period", PERIODS, true)!,
        is_active: bool(b, "is_active") ?? true,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      store.plans.set(row.id, row);
      return { status: 201, data: planView(row), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/plans/:id",
    handler: ({ store, params }) => ({ data: planView(livePlan(store, params.id)) }),
  },
  {
    method: "PUT",
    pattern: "/plans/:id",
    handler: ({ store, params, body }) => {
      const p = livePlan(store, params.id);
      const b = asObject(body);
      const name = str(b, "name", { nonEmpty: true });
      const description = str(b, "description");
      const max = positiveInt(b, "max_requests");
      const period = oneOf(b, "request_period", PERIODS);
      const active = bool(b, "is_active");
      if (name !== undefined) p.name = name;
      if (description !== undefined) p.description = description;
      if (max !== undefined) p.max_requests = max;
      if (period !== undefined) p.request_period = period;
      if (active !== undefined) p.is_active = active;
      p.updated_at = store.now();
      return { data: planView(p), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/plans/:id",
    handler: ({ store, params }) => {
      const p = livePlan(store, params.id);
      // Limitly does not document this case; the emulator assumes the service refuses it.
      const keys = store
        .liveKeys()
        .filter((k) => k.plan_id === p.id)
        .map((k) => k.id);
      const users = store
        .liveUsers()
        .filter((u) => u.plan_id === p.id)
        .map((u) => u.user_id);
      if (keys.length || users.length) {
        const what = [
          keys.length ? `keys ${keys.join(", ")}` : "",
          users.length ? `users ${users.join(", ")}` : "",
        ].filter(Boolean);
        throw invalid("id", `plan ${p.id} is still referenced by ${what.join(" and ")}`);
      }
      p.deleted_at = p.updated_at = store.now();
      return { data: { message: "Plan deleted successfully" }, mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/plans/:id/usage",
    handler: ({ store, params }) => {
      const p = livePlan(store, params.id);
      const keys = store.liveKeys().filter((k) => k.plan_id === p.id);
      const ids = new Set(keys.map((k) => k.id));
      const { start, end } = periodBounds(p.request_period, new Date());
      const used = store.requests.filter(
        (r) => ids.has(r.api_key_id) && Date.parse(r.timestamp) >= start.getTime(),
      ).length;
      return {
        data: {
          plan_id: p.id,
          current_usage: used,
          limit: p.max_requests,
          period: p.request_period,
          reset_time: end.toISOString(),
          keys: keys.length,
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/plans/:id/users",
    handler: ({ store, params, query }) => {
      const p = livePlan(store, params.id);
      return page(
        store
          .liveUsers()
          .filter((u) => u.plan_id === p.id)
          .map(userView),
        query,
      );
    },
  },
  {
    method: "GET",
    pattern: "/plans/:id/keys",
    handler: ({ store, params, query }) => {
      const p = livePlan(store, params.id);
      return page(
        store
          .liveKeys()
          .filter((k) => k.plan_id === p.id)
          .map((k) => keyView(k)),
        query,
      );
    },
  },

  // ---- users
  {
    method: "GET",
    pattern: "/users",
    handler: ({ store, query }) => page(store.liveUsers().map(userView), query),
  },
  {
    method: "POST",
    pattern: "/users",
    handler: ({ store, body }) => {
      const b = asObject(body);
      const now = store.now();
      const row: UserRow = {
        user_id: 0,
        name: str(b, "name", { required: true })!,
        email: emailField(b) ?? null,
        is_disabled: bool(b, "is_disabled") ?? false,
        plan_id: str(b, "plan_id") ?? null,
        custom_start: isoDateField(b, "custom_start") ?? null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      row.user_id = store.nextUserId++;
      store.users.set(row.user_id, row);
      return { status: 201, data: userView(row), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id",
    handler: ({ store, params }) => ({ data: userView(liveUser(store, params.id)) }),
  },
  {
    method: "PUT",
    pattern: "/users/:id",
    handler: ({ store, params, body }) => {
      const u = liveUser(store, params.id);
      const b = asObject(body);
      const name = str(b, "name", { nonEmpty: true });
      const email = emailField(b);
      const disabled = bool(b, "is_disabled");
      const planId = str(b, "plan_id");
      const customStart = isoDateField(b, "custom_start");
      if (name !== undefined) u.name = name;
      if (email !== undefined) u.email = email;
      if (disabled !== undefined) u.is_disabled = disabled;
      if (planId !== undefined) u.plan_id = planId;
      if (customStart !== undefined) u.custom_start = customStart;
      u.updated_at = store.now();
      return { data: userView(u), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/users/:id",
    handler: ({ store, params }) => {
      const u = liveUser(store, params.id);
      const keys = store
        .liveKeys()
        .filter((k) => String(k.user_id) === String(u.user_id))
        .map((k) => k.id);
      if (keys.length) throw invalid("id", `user ${u.user_id} is still referenced by keys ${keys.join(", ")}`);
      u.deleted_at = u.updated_at = store.now();
      return { data: { message: "User deleted successfully" }, mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/keys",
    handler: ({ store, params, query }) => {
      const u = liveUser(store, params.id);
      return page(
        store
          .liveKeys()
          .filter((k) => String(k.user_id) === String(u.user_id))
          .map((k) => keyView(k)),
        query,
      );
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/usage",
    handler: ({ store, params }) => {
      const u = liveUser(store, params.id);
      const ids = new Set(
        store
          .liveKeys()
          .filter((k) => String(k.user_id) === String(u.user_id))
          .map((k) => k.id),
      );
      const plan = u.plan_id ? store.plans.get(u.plan_id) : undefined;
      const { start, end } = periodBounds(plan?.request_period ?? "month", new Date());
      const used = store.requests.filter(
        (r) => ids.has(r.api_key_id) && Date.parse(r.timestamp) >= start.getTime(),
      ).length;
      const limit = plan ? plan.max_requests : null;
      return {
        data: {
          current_usage: used,
          limit,
          remaining: limit === null ? null : Math.max(0, limit - used),
          reset_time: end.toISOString(),
          period: plan?.request_period ?? "month",
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/requests",
    handler: ({ store, params }) => {
      const u = liveUser(store, params.id);
      const ids = new Set(
        store
          .liveKeys()
          .filter((k) => String(k.user_id) === String(u.user_id))
          .map((k) => k.id),
      );
      const requests = store.requests
        .filter((r) => ids.has(r.api_key_id))
        .map((r) => ({
          timestamp: r.timestamp,
          endpoint: r.endpoint,
          method: r.method,
          status: r.allowed ? "allowed" : "denied",
          ip_address: r.ip_address,
        }));
      return { data: { requests, count: requests.length } };
    },
  },
];

/** Finds the route for a method and path; `allowed` lists methods of a path that exists. */
export function matchRoute(
  method: string,
  path: string,
): { route?: Route; params: Record<string, string>; pattern?: string; allowed: string[] } {
  const parts = path.split("/").filter(Boolean);
  const allowed: string[] = [];
  for (const route of routes) {
    const pat = route.pattern.split("/").filter(Boolean);
    if (pat.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pat.length; i++) {
      if (pat[i].startsWith(":")) params[pat[i].slice(1)] = decodeURIComponent(parts[i]);
      else if (pat[i] !== parts[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (route.method === method) return { route, params, pattern: route.pattern, allowed };
    allowed.push(route.method);
  }
  return { params: {}, allowed };
}
