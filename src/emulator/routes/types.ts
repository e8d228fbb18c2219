/** What a route handler gets and gives back. */
import type { Store } from "../store";

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
