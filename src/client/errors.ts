/**
 * Errors raised by the Limitly client. Every message is passed through {@link redact} so that
 * neither the account credential nor a key value can leak through an error, a log line or a stack.
 */

/** Limitly key values and account credentials both start with `lk_`. */
const SECRET_PATTERN = /lk_[A-Za-z0-9_\-]{4,}/g;
const WHOLE_SECRET = new RegExp(`^${SECRET_PATTERN.source}$`);

/**
 * Secrets this process has handled, whatever their shape: every account credential a client was
 * given and every key value Limitly issued to it. A pattern alone misses credentials of other shapes.
 */
const known = new Set<string>();

/** Remembers a secret, so that every later {@link redact} in this process removes it. */
export function rememberSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) known.add(secret);
}

/**
 * Values a program handed over in secret (any input it marks secret: a name, an id from secret
 * config), each with the pattern that finds it as a whole word: removed from messages like the
 * secrets above, but not taken for a credential or a key value, so that a secret id is still sent
 * where an id belongs; and a secret `active` leaves the word `inactive` alone.
 */
const hidden = new Map<string, RegExp>();

/** Remembers a value a program marked secret (four characters or more), so that every later {@link redact} removes it. */
export function hideInMessages(value: string | undefined): void {
  if (value && value.length >= 4 && !hidden.has(value))
    hidden.set(value, new RegExp(`(?<![\\w-])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"));
}

/** Whether `text` is a secret: one this process has handled, or anything shaped like a Limitly key. */
export function isSecret(text: string): boolean {
  return known.has(text) || WHOLE_SECRET.test(text);
}

/**
 * Removes the secrets this process has handled, anything that looks like a Limitly credential or
 * key value, and the given extra secrets, from a piece of text.
 */
export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...extraSecrets, ...known]) {
    if (secret && secret.length >= 4)
      out = out.split(secret).join(secret.startsWith("lk_") ? "lk_[redacted]" : "[redacted]");
  }
  for (const pattern of hidden.values()) out = out.replace(pattern, "[redacted]");
  return out.replace(SECRET_PATTERN, "lk_[redacted]");
}

/** Deep-redacts strings inside a JSON-like value (used for the server's `details`). */
export function redactValue(value: unknown, extraSecrets: readonly string[] = []): unknown {
  if (typeof value === "string") return redact(value, extraSecrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, extraSecrets));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, extraSecrets)]));
  }
  return value;
}

/**
 * Codes Limitly itself sends in its error envelope, passed through unchanged: the documented ones,
 * and `KEY_LIMIT_REACHED` for a full key quota (undocumented; the emulator's assumption). A code
 * Limitly adds later is passed through too, so {@link LimitlyErrorCode} stays open to it.
 */
export const LIMITLY_ERROR_CODES = [
  "INVALID_API_KEY",
  "UNAUTHORIZED",
  "VALIDATION_ERROR",
  "NOT_FOUND",
  "API_KEY_NOT_FOUND",
  "RATE_LIMIT_EXCEEDED",
  "KEY_LIMIT_REACHED",
] as const;

/** The codes this package gives its own errors; the "Error codes" table of docs/troubleshooting.md says when and what to do. */
export const PACKAGE_ERROR_CODES = [
  "HTTP_ERROR",
  "INVALID_RESPONSE",
  "OUTCOME_UNKNOWN",
  "TIMEOUT",
  "NETWORK_ERROR",
  "INSECURE_URL",
  "MISSING_CREDENTIAL",
  "INVALID_CONFIG",
  "INVALID_ID",
  "VALUE_LOST",
  "UNKNOWN_RESOURCE_KIND",
  "USAGE",
  "INVALID_STATE_FILE",
  "INTERNAL_ERROR",
  "CANCELLED",
] as const;

/** A code Limitly sends; open-ended, because Limitly may add codes that this version does not know. */
export type LimitlyServiceErrorCode = (typeof LIMITLY_ERROR_CODES)[number] | (string & {});
/** A code of this package's own. */
export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];
/** The `code` of every error pulumi-limitly throws: Limitly's own, or the package's. */
export type LimitlyErrorCode = PackageErrorCode | LimitlyServiceErrorCode;

/** What a {@link LimitlyError} is built from. */
export interface LimitlyErrorInit {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Limitly's error code (`VALIDATION_ERROR`, …) or one of the package's ({@link PACKAGE_ERROR_CODES}). */
  code: LimitlyErrorCode;
  /** The server's message, or the client's description of what went wrong. */
  message: string;
  /** The server's `details` (`{ field, message }` for validation errors). */
  details?: unknown;
  method?: string;
  path?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** When the attempt that Limitly may still carry out was sent, in epoch ms. */
  sentAt?: number;
}

/**
 * An error from the Limitly API or from talking to it. It carries the HTTP status, Limitly's
 * `code`, the server's message and `details`, and the method and path of the call. It never
 * carries the account credential, a key value, or the request headers.
 */
export class LimitlyError extends Error {
  /** HTTP status of the last response; undefined when no response arrived. */
  readonly status?: number;
  /** Limitly's error code, or the package's own (`INVALID_RESPONSE`, `OUTCOME_UNKNOWN`, `TIMEOUT`, …). */
  readonly code: LimitlyErrorCode;
  /** The server's `details`, if any (redacted). */
  readonly details?: unknown;
  /** HTTP method of the failed call. */
  readonly method?: string;
  /** Path of the failed call, relative to the base URL. */
  readonly path?: string;
  /** How many attempts were made. */
  readonly attempts?: number;
  /**
   * For a call whose outcome is unknown (no answer, a 5xx, or cancelled after it was sent): when
   * its last attempt was sent, in epoch ms. Limitly may still carry that attempt out for a while
   * after the client gave up on it. Undefined when no attempt can have been carried out.
   */
  readonly sentAt?: number;

  constructor(init: LimitlyErrorInit, extraSecrets: readonly string[] = []) {
    const where = init.method && init.path ? ` (${init.method} ${init.path}` : "";
    const status = init.status !== undefined ? `, HTTP ${init.status}` : "";
    const suffix = where ? `${where}${status})` : status ? ` (${status.slice(2)})` : "";
    super(redact(`Limitly ${init.code}: ${init.message}${suffix}`, extraSecrets));
    this.name = "LimitlyError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details === undefined ? undefined : redactValue(init.details, extraSecrets);
    this.method = init.method;
    this.path = init.path === undefined ? undefined : redact(init.path, extraSecrets);
    this.attempts = init.attempts;
    this.sentAt = init.sentAt;
  }

  /**
   * The message without the `Limitly <code>: ` this class puts in front, so that an error built on
   * another (`new LimitlyError({ code: e.code, message: `${LimitlyError.describe(e)}; …` })`) does not
   * say it twice. Any other error gives its message.
   */
  static describe(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    return e instanceof LimitlyError ? message.replace(`Limitly ${e.code}: `, "") : message;
  }

  /** The code of any error: a {@link LimitlyError}'s or another coded error's; `INTERNAL_ERROR` for the rest. */
  static codeOf(e: unknown): LimitlyErrorCode {
    const code = (e as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : "INTERNAL_ERROR";
  }

  /** True for 404 answers (`NOT_FOUND`, `API_KEY_NOT_FOUND`, …). */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** A JSON view without the stack, for logs and CLI output. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      details: this.details,
      method: this.method,
      path: this.path,
    };
  }
}
