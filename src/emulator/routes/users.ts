/** `/users`: users, their keys, usage and request history. */
import type { UserRow } from "../store";
import { asObject, bool, emailField, invalid, isoDateField, str } from "../validation";
import type { Route } from "./types";
import {
  keyView,
  keysOfUser,
  liveUser,
  page,
  percentage,
  periodBounds,
  periodOf,
  requestHistory,
  requestsSince,
  userView,
} from "./views";

export const userRoutes: Route[] = [
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
      store.touch(row);
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
      store.touch(u);
      return { data: userView(u), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/users/:id",
    handler: ({ store, params }) => {
      const u = liveUser(store, params.id);
      const keys = keysOfUser(store, u).map((k) => k.id);
      if (keys.length) throw invalid("id", `user ${u.user_id} is still referenced by keys ${keys.join(", ")}`);
      u.deleted_at = u.updated_at = store.now();
      store.touch(u);
      return { data: { message: "User deleted successfully" }, mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/keys",
    handler: ({ store, params, query }) =>
      page(
        keysOfUser(store, liveUser(store, params.id)).map((k) => keyView(k)),
        query,
      ),
  },
  {
    // The shape of the official SDK's `UserUsage`: allowed requests of the user's keys this period.
    method: "GET",
    pattern: "/users/:id/usage",
    handler: ({ store, params, query }) => {
      const u = liveUser(store, params.id);
      const plan = u.plan_id ? store.plans.get(u.plan_id) : undefined;
      const live = plan && !plan.deleted_at ? plan : undefined;
      const { start, end } = periodBounds(periodOf(query, live), new Date());
      const used = requestsSince(store, new Set(keysOfUser(store, u).map((k) => k.id)), start, true).length;
      const limit = live?.max_requests ?? null;
      return {
        data: {
          type: "user",
          current_usage: used,
          limit,
          percentage_used: percentage(used, limit),
          user_name: u.name,
          plan_name: live?.name ?? null,
          period_start: start.toISOString(),
          period_end: end.toISOString(),
          is_unlimited: limit === null,
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/users/:id/requests",
    handler: ({ store, params, query }) => {
      const u = liveUser(store, params.id);
      const plan = u.plan_id ? store.plans.get(u.plan_id) : undefined;
      const period = periodOf(query, plan && !plan.deleted_at ? plan : undefined);
      return { data: requestHistory(store, new Set(keysOfUser(store, u).map((k) => k.id)), query, period) };
    },
  },
];
