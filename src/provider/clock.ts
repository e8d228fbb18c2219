/**
 * The provider's clock. Scheduled rotation compares key ages with it; tests and dry runs can pin
 * it with `PULUMI_LIMITLY_NOW` (an ISO 8601 time) in the provider host's environment.
 */
export function now(env: NodeJS.ProcessEnv = process.env): number {
  const pinned = env.PULUMI_LIMITLY_NOW;
  if (pinned) {
    const t = Date.parse(pinned);
    if (!Number.isNaN(t)) return t;
  }
  return Date.now();
}
