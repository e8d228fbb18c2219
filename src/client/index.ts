export { LimitlyClient, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE, type LimitlyClientOptions } from "./client";
export {
  LimitlyError,
  redact,
  LIMITLY_ERROR_CODES,
  PACKAGE_ERROR_CODES,
  type LimitlyErrorCode,
  type LimitlyServiceErrorCode,
  type PackageErrorCode,
} from "./errors";
export type { ApiKeysApi, Page, CreateApiKeyFields } from "./apiKeys";
export type { PlansApi, CreatePlanFields } from "./plans";
export type { UsersApi, CreateUserFields } from "./users";
export type {
  ApiKeyRecord,
  ApiKeyFields,
  KeyStatus,
  KeyUsage,
  KeyRequest,
  KeyRequestHistory,
  PlanRecord,
  PlanFields,
  UserRecord,
  UserFields,
} from "./records";
