/**
 * pulumi-limitly: Limitly API keys, plans and users as Pulumi resources.
 */
export { ApiKey, type ApiKeyArgs } from "./resources/apiKey";
export * from "./client";
