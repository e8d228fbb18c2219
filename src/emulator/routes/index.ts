/**
 * The Limitly contract as route handlers over the {@link Store}. Handlers return the `data` (and
 * `count`) of the success envelope, or throw an {@link HttpError} carrying Limitly's error shape.
 */
import { keyRoutes } from "./keys";
import { planRoutes } from "./plans";
import type { Route } from "./types";
import { userRoutes } from "./users";
import { validateRoutes } from "./validate";

export type { Route, RouteContext, RouteResult } from "./types";

export const routes: Route[] = [...keyRoutes, ...validateRoutes, ...planRoutes, ...userRoutes];

/** A path segment as text; a malformed escape (`%zz`) is kept as sent, so it is simply not found. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

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
      if (pat[i].startsWith(":")) params[pat[i].slice(1)] = decoded(parts[i]);
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
