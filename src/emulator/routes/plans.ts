/** `/plans`: plans, the keys and users on them, and their usage. */
import type { PlanRow } from "../store";
import { asObject, bool, invalid, oneOf, positiveInt, str } from "../validation";
import type { Route } from "./types";
import {
  PERIODS,
  keyView,
  keysOfPlan,
  livePlan,
  page,
  percentage,
  periodBounds,
  periodOf,
  planView,
  requestsSince,
  userView,
} from "./views";

export const planRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/plans",
    handler: ({ store, query }) =>
      page(
        store.livePlans().map((p) => planView(store, p)),
        query,
      ),
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
      store.touch(row);
      return { status: 201, data: planView(store, row), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/plans/:id",
    handler: ({ store, params }) => ({ data: planView(store, livePlan(store, params.id)) }),
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
      store.touch(p);
      return { data: planView(store, p), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/plans/:id",
    handler: ({ store, params }) => {
      const p = livePlan(store, params.id);
      // Limitly does not document this case; the emulator assumes the service refuses it.
      const keys = keysOfPlan(store, p).map((k) => k.id);
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
      store.touch(p);
      return { data: { message: "Plan deleted successfully" }, mutated: true };
    },
  },
  {
    // The shape of the official SDK's `PlanUsage`.
    method: "GET",
    pattern: "/plans/:id/usage",
    handler: ({ store, params, query }) => {
      const p = livePlan(store, params.id);
      const keys = keysOfPlan(store, p);
      const { start } = periodBounds(periodOf(query, p), new Date());
      const total = requestsSince(store, new Set(keys.map((k) => k.id)), start).length;
      return {
        data: {
          plan_id: p.id,
          plan_name: p.name,
          max_requests: p.max_requests,
          request_period: p.request_period,
          total_requests: total,
          percentage_used: percentage(total, p.max_requests),
          users_count: store.liveUsers().filter((u) => u.plan_id === p.id).length,
          api_keys_count: keys.length,
          is_unlimited: false,
        },
      };
    },
  },
  {
    // The shape of the official SDK's `PlanUsersResponse`. Not a list call for the Python SDK, which
    // builds its envelope from the top-level keys: the total goes inside `data`, not beside it.
    method: "GET",
    pattern: "/plans/:id/users",
    handler: ({ store, params, query }) => {
      const p = livePlan(store, params.id);
      const { data, count } = page(
        store
          .liveUsers()
          .filter((u) => u.plan_id === p.id)
          .map(userView),
        query,
      );
      return { data: { plan: planView(store, p), users: data, count } };
    },
  },
  {
    // The shape of the official SDK's `PlanKeysResponse`; the total inside `data`, as for users.
    method: "GET",
    pattern: "/plans/:id/keys",
    handler: ({ store, params, query }) => {
      const p = livePlan(store, params.id);
      const { data, count } = page(
        keysOfPlan(store, p).map((k) => keyView(k)),
        query,
      );
      return { data: { plan: planView(store, p), api_keys: data, count } };
    },
  },
];
