/**
 * HTTP transport for the Limitly API: one undici keep-alive pool per client, undici's own
 * RetryAgent driven by a retry policy that knows which failures are safe to repeat, a shared
 * pacing budget, and the translation of every failure into a redacted {@link LimitlyError}.
 */
import { Pool, RetryAgent, errors as undiciErrors } from "undici";
import type { Dispatcher } from "undici";
import { LimitlyError, redact, rememberSecret } from "./errors";
import { errorEnvelope, successEnvelope } from "./schemas";
import { Pacer, PacingDeadlineError } from "./pacing";

/** Settings of a {@link Transport}; see `LimitlyClientOptions` for their meaning. */
export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  userAgent: string;
  pacer?: Pacer;
  /** Base and cap of the exponential backoff, in ms. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Told before each wait for a retry. */
  onRetry?: (notice: RetryNotice) => void;
}

/** A failed attempt about to be repeated after `delayMs`. */
export interface RetryNotice {
  method: string;
  /** Path of the call, relative to the base URL. */
  path: string;
  /** Status of the failed attempt, when it was answered. */
  status?: number;
  /** Error code of the failed attempt, when it was not answered. */
  code?: string;
  /** Attempts made so far. */
  attempt: number;
  delayMs: number;
  /** What Limitly's `Retry-After` asked for, in ms. */
  retryAfterMs?: number;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Errors that mean the request never reached the server, so any method may be repeated. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);
/** Errors after which the server may or may not have acted on the request. */
const AMBIGUOUS_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Every non-success status, so that each one reaches the retry policy, which decides. */
const ALL_FAILURE_STATUSES = Array.from({ length: 300 }, (_, i) => i + 300);

/** True for hosts where plain HTTP is acceptable: the local machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds, or undefined. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

interface RetryDecisionInput {
  method: string;
  status?: number;
  code?: string;
}

/**
 * Whether a failed attempt may be repeated. A 429 was not processed, so any method may be; a 5xx
 * or a broken connection may have been processed, so only idempotent methods are repeated: a
 * repeated POST could mint a second key.
 */
export function isRetryable({ method, status, code }: RetryDecisionInput): boolean {
  if (status === 429) return true;
  if (status !== undefined) return status >= 500 && method !== "POST";
  if (code !== undefined && NOT_SENT_CODES.has(code)) return true;
  if (code !== undefined && AMBIGUOUS_CODES.has(code)) return method !== "POST";
  return false;
}

/**
 * What a call needs of a schema: zod's `safeParse`, described structurally so that the published
 * types never import zod (a user's compiler would then load zod's own declarations).
 */
export interface WireSchema<T> {
  safeParse(
    data: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
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

export class Transport {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly basePath: string;
  private closed = false;

  private readonly opts: Omit<TransportOptions, "apiKey">;

  constructor(options: TransportOptions) {
    const { apiKey, ...opts } = options;
    credentials.set(this, apiKey);
    rememberSecret(apiKey);
    this.opts = opts;
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
    this.pool = new Pool(this.origin, {
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connections: 128,
    });
  }

  private get apiKey(): string {
    return credentials.get(this) ?? "";
  }

  private get secrets(): string[] {
    return [this.apiKey];
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions<T>): Promise<TransportResult<T>> {
    if (this.closed) throw new LimitlyError({ code: "NETWORK_ERROR", message: "the client is closed", method, path });
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    let deadline = Date.now() + timeoutMs;
    const query = options.query
      ? Object.entries(options.query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join("&")
      : "";
    const fullPath = `${this.basePath}${path}${query ? `?${query}` : ""}`;
    const pacer = this.opts.pacer;
    let attempts = 0;
    /** Status of the last failed answer, so an error that ends the call later still reports it. */
    let lastStatus: number | undefined;
    /** Time spent waiting between attempts, for the message of an error that ends the call. */
    let waitedMs = 0;
    const fail = (init: Omit<ConstructorParameters<typeof LimitlyError>[0], "method" | "path">) =>
      new LimitlyError({ ...init, method, path, attempts }, this.secrets);

    // Waiting for this process's own budget is not the service being slow: the call's deadline
    // starts once its first slot comes up, so a long queue (a budget that learned a low limit) never
    // fails a call while Limitly keeps answering.
    if (pacer) {
      try {
        await pacer.acquire();
      } catch (e) {
        throw this.pacingError(e, fail);
      }
      deadline = Date.now() + timeoutMs;
    }

    const base = this.opts.backoffBaseMs ?? 250;
    const cap = this.opts.backoffCapMs ?? 8_000;
    const maxRetries = this.opts.maxRetries;
    const dispatcher = new RetryAgent(this.pool, {
      throwOnError: false,
      statusCodes: ALL_FAILURE_STATUSES,
      methods: ["GET", "POST", "PUT", "DELETE"],
      retry: (err, { state }, cb) => {
        const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[]> };
        const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
        const code = status === undefined ? e.code : undefined;
        if (status !== undefined) lastStatus = status;
        if (!isRetryable({ method, status, code })) return cb(err);
        // A 429 was not carried out and says when to come back: it is waited out for as long as the
        // deadline allows, not given up after a count. Other failures get `maxRetries` repeats.
        if (status !== 429 && state.counter > maxRetries) return cb(err);
        const retryAfter = status === 429 ? parseRetryAfter(e.headers?.["retry-after"]) : undefined;
        const delay = retryAfter ?? backoffDelay(Math.min(state.counter, 16), base, cap);
        if (status !== undefined) pacer?.observe(status === 429);
        if (retryAfter !== undefined) pacer?.backOff(retryAfter);
        if (Date.now() + delay >= deadline) return cb(err);
        waitedMs += delay;
        this.opts.onRetry?.({
          method,
          path,
          status,
          code,
          attempt: attempts,
          delayMs: delay,
          retryAfterMs: retryAfter,
        });
        setTimeout(() => {
          (pacer ? pacer.acquire(deadline) : Promise.resolve()).then(
            () => {
              attempts++;
              cb(null);
            },
            () => cb(err),
          );
        }, delay);
      },
    });

    attempts = 1;
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: this.origin,
        path: fullPath,
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: "application/json",
          "user-agent": this.opts.userAgent,
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
    } catch (e) {
      throw this.transportError(e, method, timeoutMs, lastStatus, fail);
    }

    let text: string;
    try {
      text = await response.body.text();
    } catch (e) {
      throw this.transportError(e, method, timeoutMs, lastStatus, fail);
    }
    const status = response.statusCode;
    pacer?.observe(status === 429);
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }

    if (status >= 400 || status < 200) {
      const parsed = errorEnvelope.safeParse(json);
      const message = parsed.success
        ? parsed.data.error
        : `unexpected HTTP ${status} answer without a Limitly error body`;
      const serverCode = parsed.success ? parsed.data.code : undefined;
      if (method === "POST" && status >= 500) {
        throw fail({
          status,
          code: "OUTCOME_UNKNOWN",
          message:
            `Limitly answered ${status} (${message}) to a POST, which may or may not have been carried ` +
            `out; it was not repeated because that could create a second object`,
          details: serverCode ? { serverCode } : undefined,
        });
      }
      throw fail({
        status,
        code: serverCode ?? (status === 429 ? "RATE_LIMIT_EXCEEDED" : "HTTP_ERROR"),
        message:
          status === 429
            ? `${message} (still rate limited after ${attempts} attempts and ${Math.round(waitedMs / 1000)} s of waiting, ` +
              `the most this call's deadline of ${Math.round(timeoutMs / 1000)} s allowed)`
            : message,
        details: parsed.success ? parsed.data.details : undefined,
      });
    }

    if (json === undefined) {
      throw fail({
        status,
        code: "INVALID_RESPONSE",
        message: `${method} ${path} answered ${status} with a body that is not JSON`,
      });
    }
    const envelope = successEnvelope.safeParse(json);
    if (!envelope.success) {
      throw fail({
        status,
        code: "INVALID_RESPONSE",
        message: `${method} ${path} answered without a "data" field in its envelope`,
      });
    }
    const data = options.schema.safeParse(envelope.data.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      const at = issue ? ["data", ...issue.path].map(String).join(".") : "data";
      throw fail({
        status,
        code: "INVALID_RESPONSE",
        message: `${method} ${path} answered with a body that does not fit the Limitly contract at ${at}: ${issue?.message ?? "invalid"}`,
      });
    }
    return { data: data.data, count: envelope.data.count, status, attempts };
  }

  private pacingError(e: unknown, fail: (i: { code: string; message: string }) => LimitlyError): Error {
    if (e instanceof PacingDeadlineError) {
      return fail({ code: "RATE_LIMIT_EXCEEDED", message: e.message });
    }
    return fail({ code: "NETWORK_ERROR", message: redact(String(e), this.secrets) });
  }

  private transportError(
    e: unknown,
    method: string,
    timeoutMs: number,
    lastStatus: number | undefined,
    fail: (i: { status?: number; code: string; message: string; details?: unknown }) => LimitlyError,
  ): LimitlyError {
    const err = e as Error & { code?: string; name?: string };
    const timedOut =
      err?.name === "TimeoutError" ||
      err?.name === "AbortError" ||
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError;
    const code = err?.code;
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    const earlier = lastStatus !== undefined ? `; earlier attempts were answered HTTP ${lastStatus}` : "";
    if (method === "POST" && !notSent) {
      return fail({
        status: lastStatus,
        code: "OUTCOME_UNKNOWN",
        message:
          `${timedOut ? `no answer within ${timeoutMs} ms` : `the connection failed (${code ?? err?.name ?? "error"})`} ` +
          `after a POST was sent; Limitly may or may not have carried it out, and it was not repeated ` +
          `because that could create a second object${earlier}`,
        details: { cause: code ?? err?.name },
      });
    }
    if (timedOut) {
      return fail({
        status: lastStatus,
        code: "TIMEOUT",
        message: `no answer within ${timeoutMs} ms (limitly:timeoutMs)${earlier}`,
      });
    }
    return fail({
      status: lastStatus,
      code: "NETWORK_ERROR",
      message:
        `could not reach Limitly at ${this.origin}: ${code ?? err?.name ?? "error"} ${redact(err?.message ?? "", this.secrets)}`.trim(),
      details: { cause: code ?? err?.name },
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }
}
