/** Error helpers shared by the hooks. */
import { LimitlyError } from "../client/errors";

export const isNotFound = (e: unknown): boolean => e instanceof LimitlyError && e.status === 404;

/**
 * An error that the provider host turns into ErrorResourceInitFailed: the engine records the
 * object (`id`, `properties`) in the stack although the operation failed, so it is never orphaned.
 * The engine stores `properties` as they are, so they must carry the serialized provider
 * (`__provider`, from the operation's inputs): a later refresh or delete loads it from there.
 */
export function keepInState(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  inputs: Record<string, unknown>,
): Error {
  return Object.assign(new Error(message), {
    id,
    properties: { ...properties, __provider: inputs.__provider },
    reasons: [message],
  });
}

/** Limitly refused a create because the account's key quota is full: the quota's figures, then `advice`. */
export function quotaFull(e: LimitlyError, name: string, advice: string): Error {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const quota =
    typeof d.max_allowed === "number"
      ? ` (${String(d.current_count)} of ${d.max_allowed} keys${d.plan_type ? ` on the ${String(d.plan_type)} plan` : ""})`
      : "";
  return new Error(
    `Limitly refused to create key "${name}": the account's key quota is full${quota}; ${advice}. ${e.message}`,
  );
}
