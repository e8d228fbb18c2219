/**
 * Sending calls to the Limitly API: one undici keep-alive pool and one retry layer per client
 * (retryPolicy.ts), the shared pacing budget (pacing.ts), and the meaning of each outcome
 * (answer.ts). Credentials never live on the object, so no log or inspection can show them.
 */
import { Pool, type Dispatcher } from "undici";
import { currentSignal } from "./abort";
import { LimitlyError, rememberSecret } from "./errors";
import { cancelFailure, failer, pacingFailure, readAnswer, sendFailure, type WireSchema } from "./answer";
import type { Pacer } from "./pacing";
import type { WriteClock } from "./account";
import { CALL, retryAgent, type CallState, type RetryNotice } from "./retryPolicy";

export type { RetryNotice } from "./retryPolicy";
export type { WireSchema } from "./answer";

/** Settings of a {@link Transport}, every one resolved (defaults.ts); see `LimitlyClientOptions` for their meaning. */
export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  userAgent: string;
  pacer?: Pacer;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Told before each wait for a retry. */
  onRetry?: (notice: RetryNotice) => void;
  /** Counts this process's writes to the account (account.ts). */
  writes?: WriteClock;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** True for hosts where plain HTTP is acceptable: the local machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Options of one call. */
export interface RequestOptions<T> {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Schema of `data` in the success envelope. */
  schema: WireSchema<T>;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
}

/** What a call returned: parsed `data` and the envelope's `count`. */
export interface TransportResult<T> {
  data: T;
  count?: number;
  status: number;
  attempts: number;
}

/**
 * Credentials live here rather than on the transport, so that logging, inspecting or
 * JSON-serializing a client (or capturing it in a Pulumi closure) cannot reveal them.
 */
const credentials = new WeakMap<Transport, string>();

function queryString(query: RequestOptions<unknown>["query"]): string {
  if (!query) return "";
  const s = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return s ? `?${s}` : "";
}

export class Transport {
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly pacer?: Pacer;
  private readonly writes?: WriteClock;
  private closed = false;

  constructor(options: TransportOptions) {
    const { apiKey, ...opts } = options;
    credentials.set(this, apiKey);
    rememberSecret(apiKey);
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new LimitlyError({ code: "INSECURE_URL", message: `baseUrl is not a valid URL: ${opts.baseUrl}` });
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
      throw new LimitlyError({
        code: "INSECURE_URL",
        message:
          `Limitly accepts HTTPS only; ${url.protocol}//${url.host} is neither HTTPS nor a loopback ` +
          `address (plain HTTP is allowed for 127.0.0.1, ::1 and localhost, e.g. the emulator)`,
      });
    }
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs;
    this.userAgent = opts.userAgent;
    this.pacer = opts.pacer;
    this.writes = opts.writes;
    this.pool = new Pool(this.origin, {
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connections: 128,
    });
    this.dispatcher = retryAgent(this.pool, opts);
  }

  private get secrets(): string[] {
    return [credentials.get(this) ?? ""];
  }

  /**
   * Sends one call. Under `withSignal` (abort.ts), cancelling the signal ends it at once, wherever
   * it is (waiting for the budget, in flight, waiting to retry), with a `CANCELLED` error.
   */
  request<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<TransportResult<T>> {
    // A listing that overlapped a write of this process must not answer a read of what it wrote.
    if (method !== "GET" && this.writes) return this.writes.around(() => this.send(method, path, options));
    return this.send(method, path, options);
  }

  private async send<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<TransportResult<T>> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const cancel = currentSignal();
    const call: CallState = {
      method,
      path,
      deadline: Date.now() + timeoutMs,
      attempts: 0,
      waitedMs: 0,
      signal: cancel,
    };
    const fail = failer(call, this.secrets);
    if (this.closed) throw fail({ code: "NETWORK_ERROR", message: "the client is closed" });
    if (cancel?.aborted) throw cancelFailure(call, cancel, fail);

    // Waiting for this process's own budget is not the service being slow: the call's deadline
    // starts once its first slot comes up, so a long queue (a budget that learned a low limit) never
    // fails a call while Limitly keeps answering.
    if (this.pacer) {
      try {
        await this.pacer.acquire(Infinity, cancel);
      } catch (e) {
        throw pacingFailure(e, fail, this.secrets);
      }
      call.deadline = Date.now() + timeoutMs;
    }

    call.attempts = 1;
    call.sentAt = Date.now();
    const deadline = AbortSignal.timeout(Math.max(1, call.deadline - Date.now()));
    let status: number;
    let text: string;
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: `${this.basePath}${path}${queryString(options.query)}`,
        method,
        headers: {
          authorization: `Bearer ${credentials.get(this) ?? ""}`,
          accept: "application/json",
          "user-agent": this.userAgent,
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: cancel ? AbortSignal.any([cancel, deadline]) : deadline,
        [CALL]: call,
      } as Dispatcher.RequestOptions);
      status = response.statusCode;
      text = await response.body.text();
    } catch (e) {
      if (cancel?.aborted) throw cancelFailure(call, cancel, fail);
      throw sendFailure(e, call, timeoutMs, this.origin, fail, this.secrets);
    }
    this.pacer?.observe(status === 429);
    // A whole success is kept (it may carry a key's only value); a failure seen after the call was
    // cancelled (a retry given up because of it) is the cancellation.
    if (cancel?.aborted && (status < 200 || status >= 300)) throw cancelFailure(call, cancel, fail);
    const { data, count } = readAnswer(call, status, text, options.schema, timeoutMs, fail);
    return { data, count, status, attempts: call.attempts };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }
}
