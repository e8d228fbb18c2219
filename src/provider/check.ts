/**
 * Input validation shared by every resource kind: one zod schema per property, each with a
 * sentence saying what is allowed, so a failure names the property and the fix. Values not known
 * yet (preview) pass unvalidated. Never throws, whatever JSON it is given.
 */
import type { z } from "zod";
import { redact } from "../client/errors";
import { isUnknown } from "./unknown";

/** One input property: its schema and what to tell the user when a value does not fit. */
export interface PropertySpec {
  schema: z.ZodType;
  /** Completes "<property> must be …", e.g. `"active" or "inactive"`. */
  allowed: string;
}

import type { CheckFailure } from "./checkFailure";
export type { CheckFailure } from "./checkFailure";

/** Inputs the provider and the resource classes set themselves: passed through as they are. */
const RESERVED = new Set(["__provider", "__limitlyOwner", "__replaceOnChanges"]);

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length <= 40 ? redact(JSON.stringify(v)) : "a long string";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `a value of type ${typeof v}`;
}

/**
 * Validates `news` against `specs`. Returns the normalized inputs (schemas may transform, e.g.
 * fill in defaults) and one failure per offending property; the value of a property named in
 * `secrets` is never described.
 */
export function checkInputs(
  typeName: string,
  specs: Record<string, PropertySpec>,
  news: unknown,
  secrets: ReadonlySet<string> = new Set(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const inputs: Record<string, unknown> = {};
  if (news === null || typeof news !== "object" || Array.isArray(news)) {
    return { inputs: {}, failures: [{ property: "", reason: `${typeName} inputs must be an object` }] };
  }
  const given = news as Record<string, unknown>;
  for (const [prop, value] of Object.entries(given)) {
    if (RESERVED.has(prop)) {
      inputs[prop] = value;
    } else if (!Object.hasOwn(specs, prop)) {
      // Not `prop in specs`: that matches built-in members (toString, constructor, …).
      failures.push({
        property: prop,
        reason: `${prop} is not a property of ${typeName}; allowed: ${Object.keys(specs).join(", ")}`,
      });
    }
  }
  for (const [prop, spec] of Object.entries(specs)) {
    const value = given[prop];
    if (isUnknown(value)) {
      inputs[prop] = value;
      continue;
    }
    let parsed: ReturnType<z.ZodType["safeParse"]>;
    try {
      parsed = spec.schema.safeParse(value);
    } catch {
      parsed = { success: false } as ReturnType<z.ZodType["safeParse"]>;
    }
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[prop] = parsed.data;
    } else {
      const got =
        value === undefined
          ? "it is missing"
          : secrets.has(prop)
            ? "got a secret value"
            : `got ${describeValue(value)}`;
      failures.push({ property: prop, reason: `${prop} must be ${spec.allowed}; ${got}` });
    }
  }
  return { inputs, failures };
}

/** Canonical JSON: object keys sorted at every depth, so key order never makes a difference. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Removes undefined values: protobuf Structs cannot carry them. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
