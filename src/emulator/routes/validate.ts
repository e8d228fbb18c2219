/** `POST /validate`: what a customer's server calls with an end user's key on every request. */
import { hashValue } from "../store";
import { asObject, str } from "../validation";
import type { Route } from "./types";
import { keyUsage } from "./views";

export const validateRoutes: Route[] = [
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
      store.touch(k);
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
            plan_name: usage.planName,
            period_start: usage.periodStart,
            period_end: usage.periodEnd,
          },
        },
      };
    },
  },
];
