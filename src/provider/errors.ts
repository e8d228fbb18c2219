/** Error helpers shared by the hooks. */
import { LimitlyError } from "../client/errors";

export const isNotFound = (e: unknown): boolean => e instanceof LimitlyError && e.status === 404;

/**
 * An error that the provider host turns into ErrorResourceInitFailed: the engine records the
 * object (`id`, `properties`) in the stack although the operation failed, so it is never orphaned.
 */
export function keepInState(e: Error, id: string, properties: Record<string, unknown>): Error {
  return Object.assign(new Error(e.message), { id, properties, reasons: [e.message] });
}
