/** The typed Limitly REST client. */
import { ApiKeysApi } from "./apiKeys";
import { LimitlyError } from "./errors";
import { sharedPacer } from "./pacing";
import { PlansApi } from "./plans";
import { Transport, type RetryNotice } from "./transport";
import { UsersApi } from "./users";
import { CLIENT_DEFAULTS } from "./defaults";
import { WriteClock, accountKey } from "./account";
import { ListedReads } from "./listedReads";
import type { ApiKeyRecord, PlanRecord, UserRecord } from "./records";

export type { RetryNotice } from "./transport";
export { DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE } from "./defaults";

/** Options of a {@link LimitlyClient}. */
export interface LimitlyClientOptions {
  /** The account credential (`lk_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /**
   * API base URL. HTTPS is required unless the host is loopback.
   * @default "https://api.limitly.dev/functions/v1"
   */
  baseUrl?: string;
  /**
   * Deadline of one call, retries included, in ms.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * How many times a 5xx or a broken connection is repeated (a POST never blindly; a 429 is waited
   * out within the deadline, not counted).
   * @default 4
   */
  maxRetries?: number;
  /** @default "pulumi-limitly/<version>" */
  userAgent?: string;
  /**
   * Client-side pacing shared by every client of this process with the same credential and base
   * URL (Limitly's documented limit); 0 turns pacing off.
   * @default 1000
   */
  requestsPerMinute?: number;
  /**
   * Base of the exponential backoff between retries, in ms.
   * @default 250
   */
  backoffBaseMs?: number;
  /**
   * Cap of the exponential backoff between retries, in ms.
   * @default 8000
   */
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
    const o = { ...CLIENT_DEFAULTS, ...definedOnly(options) };
    const baseUrl = o.baseUrl.replace(/\/+$/, "");
    this.baseUrl = baseUrl;
    this.timeoutMs = o.timeoutMs;
    const account = sharedReads(accountKey(baseUrl, options.apiKey));
    this.transport = new Transport({
      ...o,
      baseUrl,
      pacer: o.requestsPerMinute > 0 ? sharedPacer(baseUrl, options.apiKey, o.requestsPerMinute) : undefined,
      writes: account.writes,
    });
    this.apiKeys = new ApiKeysApi(this.transport, account.keys);
    this.plans = new PlansApi(this.transport, account.plans);
    this.users = new UsersApi(this.transport, account.users);
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The listed reads of one account, shared by every client of the process with its credential and base URL. */
interface AccountReads {
  writes: WriteClock;
  keys: ListedReads<ApiKeyRecord>;
  plans: ListedReads<PlanRecord>;
  users: ListedReads<UserRecord>;
}

const readsByAccount = new Map<string, AccountReads>();

function sharedReads(key: string): AccountReads {
  let reads = readsByAccount.get(key);
  if (!reads) {
    const writes = new WriteClock();
    reads = { writes, keys: new ListedReads(writes), plans: new ListedReads(writes), users: new ListedReads(writes) };
    readsByAccount.set(key, reads);
  }
  return reads;
}

/** The options that are set: an explicit `undefined` means "the default" too. */
function definedOnly(o: LimitlyClientOptions): LimitlyClientOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as unknown as LimitlyClientOptions;
}
