/** Error helpers shared by the hooks. */
import { LimitlyError, redact, type LimitlyErrorCode } from "../client/errors";

/** The kinds of Limitly object the provider manages. */
export type ObjectKind = "key" | "plan" | "user";

/** What Limitly answers for a missing object of each kind (it sends `NOT_FOUND` for a route it lacks too). */
const NOT_FOUND_CODE: Record<ObjectKind, string> = { key: "API_KEY_NOT_FOUND", plan: "NOT_FOUND", user: "NOT_FOUND" };

/**
 * Whether `e` is Limitly's answer for a missing object of `kind`. Not proof that the object is gone
 * on its own: see gone.ts.
 */
export const saysNotFound = (e: unknown, kind: ObjectKind): boolean =>
  e instanceof LimitlyError && e.status === 404 && e.code === NOT_FOUND_CODE[kind];

/**
 * An error that the provider host turns into ErrorResourceInitFailed: the engine records the
 * object (`id`, `properties`) in the stack although the operation failed, so it is never orphaned.
 * The engine stores `properties` as they are, so they must carry the serialized provider
 * (`__provider`, from the operation's inputs): a later refresh or delete loads it from there.
 */
export function keepInState(
  code: LimitlyErrorCode,
  message: string,
  id: string,
  properties: Record<string, unknown>,
  inputs: Record<string, unknown>,
): LimitlyError {
  return Object.assign(new LimitlyError({ code, message }), {
    id,
    properties: { ...properties, __provider: inputs.__provider },
    reasons: [redact(message)],
  });
}

/** Limitly refused a create because the account's key quota is full: the quota's figures, then `advice`. */
export function quotaFull(e: LimitlyError, name: string, advice: string): LimitlyError {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const quota =
    typeof d.max_allowed === "number"
      ? ` (${String(d.current_count)} of ${d.max_allowed} keys${d.plan_type ? ` on the ${String(d.plan_type)} plan` : ""})`
      : "";
  return new LimitlyError({
    code: e.code,
    status: e.status,
    details: e.details,
    message: `Limitly refused to create key "${name}": the account's key quota is full${quota}; ${advice}. ${LimitlyError.describe(e)}`,
  });
}
