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
