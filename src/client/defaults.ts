/**
 * Every default of the Limitly client, in one place: the client, the provider's settings and the
 * `limitly` command read them from here.
 */
import { VERSION } from "../version";

/** Limitly's production API. */
export const DEFAULT_BASE_URL = "https://api.limitly.dev/functions/v1";
/** Limitly's documented limit per account key. */
export const DEFAULT_REQUESTS_PER_MINUTE = 1000;

/** The value of each client option left unset. */
export const CLIENT_DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  /** Deadline of one call, retries included. */
  timeoutMs: 30_000,
  maxRetries: 4,
  requestsPerMinute: DEFAULT_REQUESTS_PER_MINUTE,
  backoffBaseMs: 250,
  backoffCapMs: 8_000,
  userAgent: `pulumi-limitly/${VERSION}`,
} as const;
