/**
 * Zod schemas for what Limitly sends, and the one place where its snake_case wire names become
 * the camelCase names the rest of the package (and Pulumi users) see. Each schema parses a wire
 * object and transforms it into the public type, so nothing past this file ever sees `user_id`.
 */
import { z } from "zod";
import type {
  ApiKeyFields,
  ApiKeyRecord,
  KeyLimitInfo,
  KeyUsage,
  PlanFields,
  PlanRecord,
  PlanUsage,
  UserFields,
  UserRecord,
  UserUsage,
} from "./records";

const isoish = z.string();
const optionalNullable = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);

/** Limitly's user ids are numbers in the REST reference and strings (`user_123`) in the JS docs. */
const userIdWire = z.union([z.number(), z.string()]);

export const keyStatus = z.enum(["active", "inactive"]);

const limitInfoWire = z
  .object({
    can_create: z.boolean(),
    current_count: z.number(),
    max_allowed: z.number(),
    remaining_keys: z.number(),
    plan_type: optionalNullable(z.string()),
  })
  .transform(
    (w): KeyLimitInfo => ({
      canCreate: w.can_create,
      currentCount: w.current_count,
      maxAllowed: w.max_allowed,
      remainingKeys: w.remaining_keys,
      planType: w.plan_type,
    }),
  );

export const apiKeyWire = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    status: keyStatus,
    user_id: optionalNullable(userIdWire),
    plan_id: optionalNullable(z.string()),
    metadata: optionalNullable(z.record(z.string(), z.unknown())),
    created_at: isoish,
    updated_at: optionalNullable(isoish),
    last_used_at: optionalNullable(isoish),
    api_key: optionalNullable(z.string()),
    limitInfo: optionalNullable(limitInfoWire),
  })
  .transform(
    (w): ApiKeyRecord => ({
      id: w.id,
      name: w.name,
      status: w.status,
      userId: w.user_id,
      planId: w.plan_id,
      metadata: w.metadata,
      createdAt: w.created_at,
      updatedAt: w.updated_at,
      lastUsedAt: w.last_used_at,
      apiKey: w.api_key,
      ...(w.limitInfo ? { limitInfo: w.limitInfo } : {}),
    }),
  );

export const planWire = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    description: optionalNullable(z.string()),
    max_requests: z.number(),
    request_period: z.enum(["day", "week", "month", "year"]),
    is_active: z.boolean().default(true),
    created_at: optionalNullable(isoish),
    updated_at: optionalNullable(isoish),
  })
  .transform(
    (w): PlanRecord => ({
      id: w.id,
      name: w.name,
      description: w.description,
      maxRequests: w.max_requests,
      requestPeriod: w.request_period,
      isActive: w.is_active,
      createdAt: w.created_at,
      updatedAt: w.updated_at,
    }),
  );

export const userWire = z
  .object({
    user_id: z.number(),
    name: z.string(),
    email: optionalNullable(z.string()),
    is_disabled: z.boolean().default(false),
    plan_id: optionalNullable(z.string()),
    custom_start: optionalNullable(z.string()),
    created_at: optionalNullable(isoish),
    updated_at: optionalNullable(isoish),
  })
  .transform(
    (w): UserRecord => ({
      userId: w.user_id,
      name: w.name,
      email: w.email,
      isDisabled: w.is_disabled,
      planId: w.plan_id,
      customStart: w.custom_start,
      createdAt: w.created_at,
      updatedAt: w.updated_at,
    }),
  );

/**
 * Key usage in either documented shape, or both in one object (as the emulator answers): the REST
 * reference's `current_usage, limit, remaining, reset_time, period` and the SDK types'
 * `apiKeyId … isUnlimited`. Where both carry a figure, the REST one wins.
 */
export const usageWire = z
  .object({
    current_usage: optionalNullable(z.number()),
    limit: optionalNullable(z.number()),
    remaining: optionalNullable(z.number()),
    reset_time: optionalNullable(isoish),
    period: optionalNullable(z.string()),
    apiKeyId: optionalNullable(z.string()),
    apiKeyName: optionalNullable(z.string()),
    totalRequests: optionalNullable(z.number()),
    requestsInPeriod: optionalNullable(z.number()),
    percentageUsed: optionalNullable(z.number()),
    planName: optionalNullable(z.string()),
    isUnlimited: optionalNullable(z.boolean()),
    periodStart: optionalNullable(isoish),
    periodEnd: optionalNullable(isoish),
  })
  .refine((w) => w.current_usage !== undefined || w.requestsInPeriod !== undefined, {
    message: "neither current_usage (REST shape) nor requestsInPeriod (SDK shape) is there",
  })
  .transform((w): KeyUsage => {
    const used = (w.current_usage ?? w.requestsInPeriod)!;
    const limit = w.limit;
    return {
      keyId: w.apiKeyId,
      keyName: w.apiKeyName,
      totalRequests: w.totalRequests,
      requestsInPeriod: used,
      limit,
      remaining: w.remaining ?? (typeof limit === "number" ? Math.max(0, limit - used) : undefined),
      percentageUsed: w.percentageUsed ?? (typeof limit === "number" && limit > 0 ? (used / limit) * 100 : undefined),
      isUnlimited: w.isUnlimited ?? limit === undefined,
      planName: w.planName,
      period: w.period,
      periodStart: w.periodStart,
      periodEnd: w.periodEnd,
      resetTime: w.reset_time ?? w.periodEnd,
    };
  });

/** Plan usage as the official SDK's `PlanUsage` describes it. */
export const planUsageWire = z
  .object({
    plan_id: z.string(),
    plan_name: optionalNullable(z.string()),
    max_requests: optionalNullable(z.number()),
    request_period: optionalNullable(z.string()),
    total_requests: z.number(),
    percentage_used: optionalNullable(z.number()),
    users_count: optionalNullable(z.number()),
    api_keys_count: optionalNullable(z.number()),
    is_unlimited: z.boolean().default(false),
  })
  .transform(
    (w): PlanUsage => ({
      planId: w.plan_id,
      planName: w.plan_name,
      maxRequests: w.max_requests,
      requestPeriod: w.request_period,
      totalRequests: w.total_requests,
      percentageUsed: w.percentage_used,
      usersCount: w.users_count,
      apiKeysCount: w.api_keys_count,
      isUnlimited: w.is_unlimited,
    }),
  );

/** User usage as the official SDK's `UserUsage` describes it (every number optional there). */
export const userUsageWire = z
  .object({
    type: z.literal("user").optional(),
    current_usage: optionalNullable(z.number()),
    limit: optionalNullable(z.number()),
    percentage_used: optionalNullable(z.number()),
    user_name: optionalNullable(z.string()),
    plan_name: optionalNullable(z.string()),
    period_start: optionalNullable(isoish),
    period_end: optionalNullable(isoish),
    is_unlimited: optionalNullable(z.boolean()),
  })
  .transform(
    (w): UserUsage => ({
      userName: w.user_name,
      planName: w.plan_name,
      currentUsage: w.current_usage ?? 0,
      limit: w.limit,
      percentageUsed: w.percentage_used,
      periodStart: w.period_start,
      periodEnd: w.period_end,
      isUnlimited: w.is_unlimited ?? w.limit === undefined,
    }),
  );

/** A plan's users: `{ plan, users }` as the SDK describes it, or a bare list. */
export const planUsersWire = z.union([
  z.object({ plan: z.unknown().optional(), users: z.array(userWire) }).transform((w) => w.users),
  z.array(userWire),
]);

/** A plan's keys: `{ plan, api_keys }` as the SDK describes it, or a bare list. */
export const planKeysWire = z.union([
  z.object({ plan: z.unknown().optional(), api_keys: z.array(apiKeyWire) }).transform((w) => w.api_keys),
  z.array(apiKeyWire),
]);

const requestRestEntry = z
  .object({
    timestamp: isoish,
    endpoint: z.string(),
    method: z.string(),
    status: z.enum(["allowed", "denied"]),
    ip_address: optionalNullable(z.string()),
  })
  .transform((w) => ({
    timestamp: w.timestamp,
    endpoint: w.endpoint,
    method: w.method,
    allowed: w.status === "allowed",
    ipAddress: w.ip_address,
    statusCode: undefined as number | undefined,
    responseTimeMs: undefined as number | undefined,
    keyId: undefined as string | undefined,
  }));

const requestSdkEntry = z
  .object({
    api_key_id: optionalNullable(z.string()),
    created_at: isoish,
    endpoint: z.string(),
    method: z.string(),
    status_code: z.number(),
    response_time_ms: optionalNullable(z.number()),
  })
  .transform((w) => ({
    timestamp: w.created_at,
    endpoint: w.endpoint,
    method: w.method,
    allowed: w.status_code < 400,
    ipAddress: undefined as string | undefined,
    statusCode: w.status_code,
    responseTimeMs: w.response_time_ms,
    keyId: w.api_key_id,
  }));

/** The REST shape, with the SDK's totals when the same answer carries them too (the emulator's does). */
const requestsRestWire = z
  .object({
    requests: z.array(requestRestEntry),
    count: optionalNullable(z.number()),
    totalRequests: optionalNullable(z.number()),
    requestsInPeriod: optionalNullable(z.number()),
  })
  .transform((w) => ({
    requests: w.requests,
    count: w.count ?? w.requests.length,
    totalRequests: w.totalRequests,
    requestsInPeriod: w.requestsInPeriod,
  }));

const requestsSdkWire = z
  .object({
    totalRequests: optionalNullable(z.number()),
    requestsInPeriod: optionalNullable(z.number()),
    requestsInPeriodDetails: z.array(requestSdkEntry),
  })
  .transform((w) => ({
    requests: w.requestsInPeriodDetails,
    count: w.requestsInPeriodDetails.length,
    totalRequests: w.totalRequests,
    requestsInPeriod: w.requestsInPeriod,
  }));

/** Either documented request-history shape; both become one {@link KeyRequestHistory}. */
export const requestsWire = z.union([requestsRestWire, requestsSdkWire]);

export const deletedWire = z.object({ message: z.string().optional() }).passthrough();

/** The error envelope: `{ error, code?, details? }`. */
export const errorEnvelope = z.object({
  error: z.string(),
  code: z.string().optional(),
  details: z.unknown().optional(),
});

/** The success envelope: `{ data, count?, success?, message? }`. */
export const successEnvelope = z.object({
  data: z.unknown(),
  count: z.number().optional(),
  success: z.boolean().optional(),
  message: z.string().optional(),
});

/** Turns camelCase key fields into the wire body; undefined fields are left out. */
export function apiKeyFieldsToWire(f: ApiKeyFields): Record<string, unknown> {
  return dropUndefined({
    name: f.name,
    user_id: f.userId,
    plan_id: f.planId,
    status: f.status,
    metadata: f.metadata,
  });
}

export function planFieldsToWire(f: PlanFields): Record<string, unknown> {
  return dropUndefined({
    name: f.name,
    description: f.description,
    max_requests: f.maxRequests,
    request_period: f.requestPeriod,
    is_active: f.isActive,
  });
}

export function userFieldsToWire(f: UserFields): Record<string, unknown> {
  return dropUndefined({
    name: f.name,
    email: f.email,
    plan_id: f.planId,
    is_disabled: f.isDisabled,
    custom_start: f.customStart,
  });
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
