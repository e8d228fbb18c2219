/**
 * Which failed attempts are repeated, after how long, and the undici `RetryAgent` that carries that
 * out, built once per client. A call's own state (its method, deadline, counters) travels with the
 * dispatch options under {@link CALL}, so that one agent serves every call.
 */
import { RetryAgent, type Dispatcher } from "undici";
import { sleepUnless } from "./abort";
import { RETRY_AFTER_CAP_MS, type Pacer } from "./pacing";

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
  /** How long the client waits: what `Retry-After` asked for, at most a minute (`RETRY_AFTER_CAP_MS`). */
  delayMs: number;
  /** What Limitly's `Retry-After` asked for, in ms. */
  retryAfterMs?: number;
}

/** Errors that mean the request never reached the server, so any method may be repeated. */
export const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);
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

/** Dispatch-option key of a call's {@link CallState}. */
export const CALL = Symbol("limitly call");

/** One call, as the retry policy sees and updates it. */
export interface CallState {
  method: string;
  path: string;
  /** When the call gives up, in epoch ms. */
  deadline: number;
  /** Attempts made so far. */
  attempts: number;
  /** Status of the last failed answer, so an error that ends the call later still reports it. */
  lastStatus?: number;
  /** Time spent waiting between attempts, for the message of an error that ends the call. */
  waitedMs: number;
  /** What the last 429's `Retry-After` asked for, in ms, for the message of an error that ends the call. */
  retryAfterMs?: number;
  /**
   * When the attempt that Limitly may still carry out was sent: the last one, unless it was
   * answered 429 or never reached the server.
   */
  sentAt?: number;
  /** The call's cancellation, if its caller has one: every wait between attempts ends with it. */
  signal?: AbortSignal;
}

/** The policy's settings: the client's, fixed for its life. */
export interface RetryPolicy {
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  pacer?: Pacer;
  onRetry?: (notice: RetryNotice) => void;
}

/** An undici `RetryAgent` over `dispatcher` that repeats what {@link isRetryable} allows, within each call's deadline. */
export function retryAgent(dispatcher: Dispatcher, policy: RetryPolicy): RetryAgent {
  const { maxRetries, backoffBaseMs, backoffCapMs, pacer, onRetry } = policy;
  return new RetryAgent(dispatcher, {
    throwOnError: false,
    statusCodes: ALL_FAILURE_STATUSES,
    methods: ["GET", "POST", "PUT", "DELETE"],
    retry: (err, { state, opts }, cb) => {
      const call = (opts as unknown as Record<symbol, CallState>)[CALL];
      const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[]> };
      const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
      const code = status === undefined ? e.code : undefined;
      if (status !== undefined) call.lastStatus = status;
      // Refused unprocessed, or never delivered: this attempt can no longer be carried out.
      if (status === 429 || (code !== undefined && NOT_SENT_CODES.has(code))) call.sentAt = undefined;
      if (call.signal?.aborted || !isRetryable({ method: call.method, status, code })) return cb(err);
      // A 429 was not carried out and says when to come back: it is waited out for as long as the
      // deadline allows, not given up after a count. Other failures get `maxRetries` repeats.
      if (status !== 429 && state.counter > maxRetries) return cb(err);
      const retryAfter = status === 429 ? parseRetryAfter(e.headers?.["retry-after"]) : undefined;
      if (retryAfter !== undefined) call.retryAfterMs = retryAfter;
      const delay =
        retryAfter !== undefined
          ? Math.min(retryAfter, RETRY_AFTER_CAP_MS)
          : backoffDelay(Math.min(state.counter, 16), backoffBaseMs, backoffCapMs);
      if (status !== undefined) pacer?.observe(status === 429);
      if (retryAfter !== undefined) pacer?.backOff(retryAfter);
      if (Date.now() + delay >= call.deadline) return cb(err);
      call.waitedMs += delay;
      onRetry?.({
        method: call.method,
        path: call.path,
        status,
        code,
        attempt: call.attempts,
        delayMs: delay,
        retryAfterMs: retryAfter,
      });
      // This runs in undici's callbacks, not in the call's async context: its signal is passed in.
      sleepUnless(call.signal, delay)
        .then(() => pacer?.acquire(call.deadline, call.signal))
        .then(
          () => {
            call.attempts++;
            call.sentAt = Date.now();
            cb(null);
          },
          () => cb(err),
        );
    },
  });
}
