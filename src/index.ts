/**
 * pulumi-limitly: Limitly API keys, plans and users as Pulumi resources.
 *
 * The account credential comes from stack config `limitly:apiKey` (secret) or `LIMITLY_API_KEY`.
 */
export { ApiKey, type ApiKeyArgs } from "./resources/apiKey";
export { RotatingApiKey, type RotatingApiKeyArgs } from "./resources/rotatingApiKey";
export { Plan, type PlanArgs } from "./resources/plan";
export { User, type UserArgs } from "./resources/user";
export {
  getApiKeyUsage,
  getApiKeyUsageOutput,
  getApiKeyRequests,
  getApiKeyRequestsOutput,
  type GetApiKeyArgs,
  type GetApiKeyOutputArgs,
} from "./functions/usage";
export * from "./client";
