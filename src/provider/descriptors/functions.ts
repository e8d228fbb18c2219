/**
 * The functions programs call to read Limitly (`invoke`): usage and request history of keys, plans
 * and users. Each is declared once: its arguments and results for the schema, and the client call.
 */
import type { LimitlyClient } from "../../client/client";
import type { PropertySpec } from "../check";
import type { SchemaType } from "../descriptor";
import { nonEmpty, userNumber } from "./common";

export interface FieldDescriptor {
  description: string;
  type: SchemaType;
}

/** A function's argument: its schema entry, and the rule checked before any call. */
export interface ArgDescriptor extends FieldDescriptor {
  required?: boolean;
  input: PropertySpec;
}

export interface FunctionDescriptor {
  /** `getApiKeyUsage`, …; the token is `limitly:index:<name>`. */
  name: string;
  description: string;
  args: Record<string, ArgDescriptor>;
  results: Record<string, FieldDescriptor>;
  run(client: LimitlyClient, args: Record<string, unknown>): Promise<object>;
}

const str = (description: string): FieldDescriptor => ({ description, type: { type: "string" } });
const int = (description: string): FieldDescriptor => ({ description, type: { type: "integer" } });
const num = (description: string): FieldDescriptor => ({ description, type: { type: "number" } });
const bool = (description: string): FieldDescriptor => ({ description, type: { type: "boolean" } });

/** One request of a request history (the schema's `limitly:index:KeyRequest`). */
export const KEY_REQUEST_TYPE: Record<string, FieldDescriptor> = {
  timestamp: str("When the request was made (ISO 8601)."),
  endpoint: str("The endpoint the customer's server validated."),
  method: str("Its HTTP method."),
  allowed: bool("Whether Limitly let the request through."),
  statusCode: int("Limitly's answer status, when reported."),
  ipAddress: str("The caller's address, when reported."),
  responseTimeMs: int("How long Limitly took, when reported."),
  keyId: str("The key used, when reported."),
};

const USAGE = {
  requestsInPeriod: int("Requests counted in the current period."),
  totalRequests: int("Requests ever made with the key, when Limitly reports it."),
  limit: int("The plan's limit per period; absent when unlimited."),
  remaining: int("Requests left in the period."),
  percentageUsed: num("Share of the limit used, in percent."),
  isUnlimited: bool("Whether no limit applies."),
  planName: str("The plan's name."),
  period: str("`day`, `week`, `month` or `year`."),
  periodStart: str("Start of the current period."),
  periodEnd: str("End of the current period."),
  resetTime: str("When the period's count resets."),
  keyId: str("The key's id."),
  keyName: str("The key's name."),
};

const HISTORY = {
  requests: {
    description: "The requests, oldest first (one page).",
    type: { type: "array", items: { $ref: "#/types/limitly:index:KeyRequest" } },
  },
  count: int("How many requests there are in all."),
  totalRequests: int("Requests ever made, when Limitly reports it."),
  requestsInPeriod: int("Requests of the current period, when Limitly reports it."),
} satisfies Record<string, FieldDescriptor>;

/** A required id argument: a non-empty Limitly id. */
const idArg = (description: string, what: string): ArgDescriptor => ({
  ...str(description),
  required: true,
  input: { schema: nonEmpty, allowed: `a non-empty ${what} (it is required)` },
});

const keyId = { keyId: idArg("The Limitly key id (`key_…`), e.g. an `ApiKey`'s `id`.", "Limitly key id (key_…)") };

/** The user argument: the number Limitly assigned. */
const userId = {
  userId: {
    ...int("The number Limitly assigned to the user."),
    required: true,
    input: {
      schema: userNumber,
      allowed: "the positive whole number Limitly assigned to the user (it is required)",
    },
  },
} satisfies Record<string, ArgDescriptor>;

export const FUNCTIONS: FunctionDescriptor[] = [
  {
    name: "getApiKeyUsage",
    description: "Usage of a key in its current period, from either shape Limitly documents.",
    args: keyId,
    results: USAGE,
    run: (c, a) => c.apiKeys.getUsage(String(a.keyId)),
  },
  {
    name: "getApiKeyRequests",
    description: "Request history of a key (the first page).",
    args: keyId,
    results: HISTORY,
    run: (c, a) => c.apiKeys.getRequests(String(a.keyId)),
  },
  {
    name: "getPlanUsage",
    description: "Usage of a plan in its current period: requests by every key on it.",
    args: { planId: idArg("The Limitly plan id (`plan_…`).", "Limitly plan id (plan_…)") },
    results: {
      planId: str("The plan's id."),
      planName: str("The plan's name."),
      maxRequests: int("Requests allowed per period."),
      requestPeriod: str("The period."),
      totalRequests: int("Requests made with the plan's keys in the current period."),
      percentageUsed: num("Share of the limit used, in percent."),
      usersCount: int("Users on the plan."),
      apiKeysCount: int("Keys on the plan."),
      isUnlimited: bool("Whether no limit applies."),
    },
    run: (c, a) => c.plans.getUsage(String(a.planId)),
  },
  {
    name: "getUserUsage",
    description: "Usage of a user in the current period: requests by every key of the user.",
    args: userId,
    results: {
      userName: str("The user's name."),
      planName: str("The user's plan."),
      currentUsage: int("Requests counted in the current period."),
      limit: int("The plan's limit per period; absent when unlimited."),
      percentageUsed: num("Share of the limit used, in percent."),
      periodStart: str("Start of the current period."),
      periodEnd: str("End of the current period."),
      isUnlimited: bool("Whether no limit applies."),
    },
    run: (c, a) => c.users.getUsage(Number(a.userId)),
  },
  {
    name: "getUserRequests",
    description: "Request history of every key of a user (the first page).",
    args: userId,
    results: HISTORY,
    run: (c, a) => c.users.getRequests(Number(a.userId)),
  },
];
