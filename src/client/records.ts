/**
 * The client's public record and field types, as plain interfaces: what users' editors and
 * type-checkers see. The zod schemas in schemas.ts produce exactly these (each transform is typed
 * against its interface), and nothing here imports zod, so the published `.d.ts` files never
 * make a user's compiler load zod's declarations.
 */

/** `active` or `inactive`. */
export type KeyStatus = "active" | "inactive";

/**
 * A Limitly API key as the client returns it. `apiKey` (the secret value) is present only in the
 * answers to create and regenerate: Limitly never returns it again.
 */
export interface ApiKeyRecord {
  /** The key id (`key_…`). */
  id: string;
  name: string;
  status: KeyStatus;
  /** The user the key belongs to: a number, or a string id. */
  userId?: number | string;
  planId?: string;
  metadata?: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
  updatedAt?: string;
  lastUsedAt?: string;
  /** The key value; only in the answers to create and regenerate. */
  apiKey?: string;
  /** The account's key quota after a create, when Limitly reports it. */
  limitInfo?: KeyLimitInfo;
}

/** The account's key quota, as Limitly reports it in create answers. */
export interface KeyLimitInfo {
  canCreate: boolean;
  currentCount: number;
  maxAllowed: number;
  remainingKeys: number;
  planType?: string;
}

/** A Limitly plan. */
export interface PlanRecord {
  /** The plan id (`plan_…`). */
  id: string;
  name: string;
  description?: string;
  /** Requests allowed per period. */
  maxRequests: number;
  requestPeriod: "day" | "week" | "month" | "year";
  isActive: boolean;
  createdAt?: string;
  updatedAt?: string;
}

/** A Limitly user (a customer of the account). */
export interface UserRecord {
  /** The number Limitly assigns. */
  userId: number;
  name: string;
  email?: string;
  isDisabled: boolean;
  planId?: string;
  /** ISO 8601 date the user's periods count from. */
  customStart?: string;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Usage of one key in its current period, normalized from either shape Limitly documents.
 * Fields the answering shape does not carry are undefined.
 */
export interface KeyUsage {
  keyId?: string;
  keyName?: string;
  /** Requests counted in the current period. */
  requestsInPeriod: number;
  /** Requests ever made with the key, when the service reports it. */
  totalRequests?: number;
  /** The plan's limit per period; undefined when unlimited or unknown. */
  limit?: number;
  remaining?: number;
  percentageUsed?: number;
  isUnlimited: boolean;
  planName?: string;
  /** `day`, `week` or `month`. */
  period?: string;
  periodStart?: string;
  periodEnd?: string;
  /** When the period's count resets (ISO 8601). */
  resetTime?: string;
}

/** Usage of a plan in its current period: requests by every key on it. */
export interface PlanUsage {
  planId: string;
  planName?: string;
  maxRequests?: number;
  requestPeriod?: string;
  /** Requests made with the plan's keys in the current period. */
  totalRequests: number;
  percentageUsed?: number;
  usersCount?: number;
  apiKeysCount?: number;
  isUnlimited: boolean;
}

/** Usage of a user in the current period: requests by every key of the user. */
export interface UserUsage {
  userName?: string;
  planName?: string;
  /** Requests counted in the current period. */
  currentUsage: number;
  /** The plan's limit per period; undefined when unlimited or unknown. */
  limit?: number;
  percentageUsed?: number;
  periodStart?: string;
  periodEnd?: string;
  isUnlimited: boolean;
}

/** One request made with a key, normalized from either documented shape. */
export interface KeyRequest {
  timestamp: string;
  endpoint: string;
  method: string;
  /** Whether Limitly let the request through (REST `status`, or SDK `status_code` < 400). */
  allowed: boolean;
  statusCode?: number;
  ipAddress?: string;
  responseTimeMs?: number;
  keyId?: string;
}

/** Request history of one key, normalized from either documented shape. */
export interface KeyRequestHistory {
  requests: KeyRequest[];
  count: number;
  totalRequests?: number;
  requestsInPeriod?: number;
}

/** Fields accepted when creating or updating a key, in the package's camelCase names. */
export interface ApiKeyFields {
  name?: string;
  userId?: number | string;
  planId?: string;
  status?: KeyStatus;
  metadata?: Record<string, unknown>;
}

/** Fields accepted when creating or updating a plan. */
export interface PlanFields {
  name?: string;
  description?: string;
  maxRequests?: number;
  requestPeriod?: "day" | "week" | "month" | "year";
  isActive?: boolean;
}

/** Fields accepted when creating or updating a user. */
export interface UserFields {
  name?: string;
  email?: string;
  planId?: string;
  isDisabled?: boolean;
  customStart?: string;
}
