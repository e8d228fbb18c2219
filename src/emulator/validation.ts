/**
 * Request-body checks with Limitly's error shape: 400 `VALIDATION_ERROR` with
 * `details: { field, message }`, naming the first offending field.
 */

import { MAX_METADATA_BYTES, MAX_TEXT_LENGTH, metadataFits } from "../client/limits";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalid = (field: string, message: string) =>
  new HttpError(400, "VALIDATION_ERROR", `Validation failed: ${field} ${message}`, { field, message });

type Body = Record<string, unknown>;

export function asObject(body: unknown): Body {
  if (body === undefined) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalid("body", "must be a JSON object");
  }
  return body as Body;
}

export function str(b: Body, field: string, opts: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    if (opts.required) throw invalid(field, "is required");
    return undefined;
  }
  if (typeof v !== "string") throw invalid(field, "must be a string");
  if (v.length > MAX_TEXT_LENGTH) throw invalid(field, `must be at most ${MAX_TEXT_LENGTH} characters`);
  if ((opts.nonEmpty || opts.required) && v.trim() === "") throw invalid(field, "must not be empty");
  return v;
}

export function positiveInt(b: Body, field: string, required = false): number | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) throw invalid(field, "is required");
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw invalid(field, "must be a positive integer");
  return v;
}

export function bool(b: Body, field: string): boolean | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw invalid(field, "must be true or false");
  return v;
}

export function oneOf<T extends string>(
  b: Body,
  field: string,
  allowed: readonly T[],
  required = false,
): T | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    if (required) throw invalid(field, "is required");
    return undefined;
  }
  if (typeof v !== "string" || !allowed.includes(v as T)) {
    throw invalid(field, `must be one of ${allowed.join(", ")}`);
  }
  return v as T;
}

/** `user_id` on keys: a positive integer (REST reference) or a non-empty string id (JS docs). */
export function userIdField(b: Body): number | string | undefined {
  const v = b.user_id;
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
  if (typeof v === "string" && v.trim() !== "") {
    if (v.length > MAX_TEXT_LENGTH) throw invalid("user_id", `must be at most ${MAX_TEXT_LENGTH} characters`);
    return v;
  }
  throw invalid("user_id", "must be a positive integer or a non-empty string");
}

export function metadataField(b: Body): Record<string, unknown> | undefined {
  const v = b.metadata;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw invalid("metadata", "must be a JSON object");
  if (!metadataFits(v)) throw invalid("metadata", `must be at most ${MAX_METADATA_BYTES} bytes of JSON`);
  return v as Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function emailField(b: Body): string | undefined {
  const v = str(b, "email");
  if (v !== undefined && !EMAIL.test(v)) throw invalid("email", "must be an email address");
  return v;
}

export function isoDateField(b: Body, field: string): string | undefined {
  const v = str(b, field);
  if (v !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(Date.parse(v)))) {
    throw invalid(field, "must be an ISO 8601 date");
  }
  return v;
}

/** `page` and `limit` query parameters: page ≥ 1, 1 ≤ limit ≤ 100 (default `defaultLimit`). */
export function paging(query: URLSearchParams, defaultLimit = 10): { page: number; limit: number } {
  const parse = (name: string, dflt: number, max: number) => {
    const raw = query.get(name);
    if (raw === null) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw invalid(name, max === Infinity ? "must be a positive integer" : `must be an integer from 1 to ${max}`);
    }
    return n;
  };
  return { page: parse("page", 1, Infinity), limit: parse("limit", defaultLimit, 100) };
}
