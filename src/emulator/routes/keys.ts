/** `/keys` and `POST /users/{id}/keys`: keys, their values, the account's key quota. */
import type { KeyRow, Store } from "../store";
import { hashValue, newKeyValue } from "../store";
import { HttpError, asObject, metadataField, oneOf, str, userIdField } from "../validation";
import type { Route, RouteResult } from "./types";
import { keyUsage, keyView, liveKey, liveUser, page, periodOf, requestHistory } from "./views";

const KEY_STATUSES = ["active", "inactive"] as const;

/** The account's key quota as the official SDK's `LimitInfo` describes it. */
export function limitInfo(store: Store) {
  const current = store.liveKeys().length;
  const remaining = Math.max(0, store.maxKeys - current);
  return {
    can_create: remaining > 0,
    current_count: current,
    max_allowed: store.maxKeys,
    remaining_keys: remaining,
    plan_type: store.planType,
  };
}

/**
 * Creates a key with checked fields; over the quota, nothing is created. Limitly does not document
 * that answer; the emulator answers 403 `KEY_LIMIT_REACHED` with the quota in `details`.
 */
export function createKey(
  store: Store,
  fields: Omit<KeyRow, "id" | "created_at" | "updated_at" | "last_used_at" | "value_hash" | "deleted_at">,
): RouteResult {
  const before = limitInfo(store);
  if (!before.can_create) {
    throw new HttpError(
      403,
      "KEY_LIMIT_REACHED",
      `API key limit reached: ${before.current_count} of ${before.max_allowed} keys on the ${before.plan_type} plan`,
      before,
    );
  }
  const now = store.now();
  const value = newKeyValue(store.valueStyle);
  const row: KeyRow = {
    id: store.newKeyId(),
    ...fields,
    created_at: now,
    updated_at: now,
    last_used_at: null,
    value_hash: hashValue(value),
    deleted_at: null,
  };
  store.keys.set(row.id, row);
  store.touch(row);
  return { status: 201, data: { ...keyView(row, value), limitInfo: limitInfo(store) }, mutated: true };
}

export const keyRoutes: Route[] = [
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
      return createKey(store, {
        name: str(b, "name", { required: true })!,
        status: oneOf(b, "status", KEY_STATUSES) ?? "active",
        user_id: userIdField(b) ?? null,
        plan_id: str(b, "plan_id") ?? null,
        metadata: metadataField(b) ?? {},
      });
    },
  },
  {
    method: "POST",
    pattern: "/users/:id/keys",
    handler: ({ store, params, body }) => {
      const u = liveUser(store, params.id);
      const b = asObject(body);
      return createKey(store, {
        name: str(b, "name", { required: true })!,
        status: oneOf(b, "status", KEY_STATUSES) ?? "active",
        user_id: u.user_id,
        plan_id: str(b, "plan_id") ?? u.plan_id,
        metadata: metadataField(b) ?? {},
      });
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
      store.touch(k);
      return { data: keyView(k), mutated: true };
    },
  },
  {
    method: "DELETE",
    pattern: "/keys/:id",
    handler: ({ store, params }) => {
      const k = liveKey(store, params.id);
      k.deleted_at = k.updated_at = store.now();
      store.touch(k);
      return { data: { message: "API key deleted successfully" }, mutated: true };
    },
  },
  {
    method: "POST",
    pattern: "/keys/:id/regenerate",
    handler: ({ store, params }) => {
      const k = liveKey(store, params.id);
      const value = newKeyValue(store.valueStyle);
      k.value_hash = hashValue(value);
      k.updated_at = store.now();
      store.touch(k);
      return { data: keyView(k, value), mutated: true };
    },
  },
  {
    method: "GET",
    pattern: "/keys/:id/usage",
    handler: ({ store, params, query }) => {
      const k = liveKey(store, params.id);
      const plan = k.plan_id ? store.plans.get(k.plan_id) : undefined;
      const { plan: _plan, ...usage } = keyUsage(store, k, periodOf(query, plan));
      return { data: usage };
    },
  },
  {
    method: "GET",
    pattern: "/keys/:id/requests",
    handler: ({ store, params, query }) => {
      const k = liveKey(store, params.id);
      const plan = k.plan_id ? store.plans.get(k.plan_id) : undefined;
      return { data: requestHistory(store, new Set([k.id]), query, periodOf(query, plan), k) };
    },
  },
];
