/**
 * pulumi-limitly: Limitly API keys, plans and users as Pulumi resources.
 */
export * from "./client";
