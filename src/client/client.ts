/** The typed Limitly REST client. */
import { ApiKeysApi } from "./apiKeys";
import { LimitlyError } from "./errors";
import { sharedPacer } from "./pacing";
import { PlansApi } from "./plans";
import { Transport, type RetryNotice } from "./transport";

export type { RetryNotice } from "./transport";
import { UsersApi } from "./users";
import { VERSION } from "../version";

/** Limitly's production API. */
export const DEFAULT_BASE_URL = "https://api.limitly.dev/functions/v1";
/** Limitly's documented limit per account key. */
export const DEFAULT_REQUESTS_PER_MINUTE = 1000;

/** Options of a {@link LimitlyClient}. */
export interface LimitlyClientOptions {
  /** The account credential (`lk_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** API base URL. HTTPS is required unless the host is loopback. Default: Limitly's production URL. */
  baseUrl?: string;
  /** Deadline of one call, retries included, in ms. Default 30 000. */
  timeoutMs?: number;
  /** How many times a retryable failure is repeated. Default 4. */
  maxRetries?: number;
  /** Default `pulumi-limitly/<version>`. */
  userAgent?: string;
  /**
   * Client-side pacing shared by every client of this process with the same credential and base
   * URL. Default 1000 (Limitly's documented limit); 0 turns pacing off.
   */
  requestsPerMinute?: number;
  /** Base and cap of the exponential backoff between retries, in ms. Default 250 and 8 000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * Called before each wait for a retry (a 429's `Retry-After`, a backoff after a 5xx), e.g. to
   * tell a user why a command is slow. It never receives the credential or a key value.
   */
  onRetry?: (notice: RetryNotice) => void;
}

/**
 * A client for the Limitly REST API. Results use camelCase names; every answer is checked against
 * the contract; failures are {@link LimitlyError}s that never contain the credential or a key value.
 *
 * @example
 * const client = new LimitlyClient({ apiKey: process.env.LIMITLY_API_KEY! });
 * for await (const key of client.apiKeys.listAll()) console.log(key.id, key.name);
 */
export class LimitlyClient {
  /** `/keys`: list, create, get, update, delete, regenerate, usage, request history. */
  readonly apiKeys: ApiKeysApi;
  /** `/plans`. */
  readonly plans: PlansApi;
  /** `/users`. */
  readonly users: UsersApi;
  /** The base URL in use. */
  readonly baseUrl: string;
  /** Deadline of one call, retries included, in ms. */
  readonly timeoutMs: number;
  private readonly transport: Transport;

  constructor(options: LimitlyClientOptions) {
    if (!options || typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
      throw new LimitlyError({
        code: "MISSING_CREDENTIAL",
        message:
          "no Limitly account credential: set it with `pulumi config set --secret limitly:apiKey <key>` " +
          "or the LIMITLY_API_KEY environment variable",
      });
    }
    const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const perMinute = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
    this.baseUrl = baseUrl;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transport = new Transport({
      apiKey: options.apiKey,
      baseUrl,
      timeoutMs: this.timeoutMs,
      maxRetries: options.maxRetries ?? 4,
      userAgent: options.userAgent ?? `pulumi-limitly/${VERSION}`,
      pacer: perMinute > 0 ? sharedPacer(baseUrl, options.apiKey, perMinute) : undefined,
      backoffBaseMs: options.backoffBaseMs,
      backoffCapMs: options.backoffCapMs,
      onRetry: options.onRetry,
    });
    this.apiKeys = new ApiKeysApi(this.transport);
    this.plans = new PlansApi(this.transport);
    this.users = new UsersApi(this.transport);
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
