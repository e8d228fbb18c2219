/**
 * What a call's outcome means: an answer (either documented envelope, any status) becomes its
 * parsed `data` or a {@link LimitlyError}; a failure without an answer becomes the error that says
 * whether Limitly may have carried the call out.
 */
import { errors as undiciErrors } from "undici";
import { cancelReason, isCancelled } from "./abort";
import { LimitlyError, redact, type LimitlyErrorInit } from "./errors";
import { PacingDeadlineError, RETRY_AFTER_CAP_MS } from "./pacing";
import { NOT_SENT_CODES, type CallState } from "./retryPolicy";
import { errorEnvelope, successEnvelope } from "./schemas";

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

/** Builds the error that ends `call`, with its method, path and attempts, redacting `secrets`. */
export type Fail = (init: Omit<LimitlyErrorInit, "method" | "path" | "attempts">) => LimitlyError;

export function failer(call: CallState, secrets: readonly string[]): Fail {
  return (init) =>
    new LimitlyError({ ...init, method: call.method, path: call.path, attempts: call.attempts }, secrets);
}

/** An answer's `data` (checked against `schema`) and `count`, or the error it means. */
export function readAnswer<T>(
  call: CallState,
  status: number,
  text: string,
  schema: WireSchema<T>,
  timeoutMs: number,
  fail: Fail,
): { data: T; count?: number } {
  const { method, path } = call;
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
        sentAt: call.sentAt,
        message:
          `Limitly answered ${status} (${message}) to a POST, which may or may not have been carried ` +
          `out; it was not repeated because that could create a second object`,
        details: serverCode ? { serverCode } : undefined,
      });
    }
    throw fail({
      status,
      code: serverCode ?? (status === 429 ? "RATE_LIMIT_EXCEEDED" : "HTTP_ERROR"),
      message: status === 429 ? `${message} (${stillLimited(call, timeoutMs)})` : message,
      details: parsed.success ? parsed.data.details : undefined,
      sentAt: status >= 500 ? call.sentAt : undefined,
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
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    const issue = data.error.issues[0];
    const at = issue ? ["data", ...issue.path].map(String).join(".") : "data";
    throw fail({
      status,
      code: "INVALID_RESPONSE",
      message: `${method} ${path} answered with a body that does not fit the Limitly contract at ${at}: ${issue?.message ?? "invalid"}`,
    });
  }
  return { data: data.data, count: envelope.data.count };
}

/** Why a call still rate limited gave up: how long it waited, and what Limitly asked for. */
function stillLimited(call: CallState, timeoutMs: number): string {
  const s = (ms: number) => `${Math.round(ms / 1000)} s`;
  const asked = call.retryAfterMs;
  return (
    `still rate limited after ${call.attempts} attempts and ${s(call.waitedMs)} of waiting, ` +
    `the most this call's deadline of ${s(timeoutMs)} allowed` +
    (asked === undefined
      ? ""
      : `; Limitly asked to retry after ${s(asked)}` +
        (asked > RETRY_AFTER_CAP_MS
          ? `, which is waited for ${s(RETRY_AFTER_CAP_MS)} at most (its limit is per minute)`
          : ""))
  );
}

/** The error for a call whose budget slot lies past its deadline, or that was cancelled while it waited for one. */
export function pacingFailure(e: unknown, fail: Fail, secrets: readonly string[]): LimitlyError {
  if (e instanceof PacingDeadlineError) return fail({ code: "RATE_LIMIT_EXCEEDED", message: e.message });
  if (isCancelled(e)) return fail({ code: "CANCELLED", message: `${LimitlyError.describe(e)}; nothing was sent` });
  return fail({ code: "NETWORK_ERROR", message: redact(String(e), secrets) });
}

/**
 * The error for a call whose caller cancelled it. One cut off after it was sent may still be
 * carried out; for a POST that could be a new object, which the message says.
 */
export function cancelFailure(call: CallState, signal: AbortSignal, fail: Fail): LimitlyError {
  const reason = cancelReason(signal);
  if (call.sentAt === undefined)
    return fail({ code: "CANCELLED", message: `cancelled (${reason}) before Limitly carried it out` });
  return fail({
    code: "CANCELLED",
    sentAt: call.sentAt,
    message:
      `cancelled (${reason}) after it was sent, without an answer` +
      (call.method === "GET" ? "" : `: Limitly may or may not have carried it out`),
  });
}

/** The error for a call that got no (whole) answer: a POST's outcome is unknown unless it was never sent. */
export function sendFailure(
  e: unknown,
  call: CallState,
  timeoutMs: number,
  origin: string,
  fail: Fail,
  secrets: readonly string[],
): LimitlyError {
  const err = e as Error & { code?: string; name?: string };
  const timedOut =
    err?.name === "TimeoutError" ||
    err?.name === "AbortError" ||
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError;
  const code = err?.code;
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  const lastStatus = call.lastStatus;
  const earlier = lastStatus !== undefined ? `; earlier attempts were answered HTTP ${lastStatus}` : "";
  const sentAt = notSent ? undefined : call.sentAt;
  if (call.method === "POST" && !notSent) {
    return fail({
      status: lastStatus,
      code: "OUTCOME_UNKNOWN",
      sentAt,
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
      sentAt,
      message: `no answer within ${timeoutMs} ms (limitly:timeoutMs)${earlier}`,
    });
  }
  return fail({
    status: lastStatus,
    code: "NETWORK_ERROR",
    sentAt,
    message:
      `could not reach Limitly at ${origin}: ${code ?? err?.name ?? "error"} ${redact(err?.message ?? "", secrets)}`.trim(),
    details: { cause: code ?? err?.name },
  });
}
