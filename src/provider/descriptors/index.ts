/** Every resource's descriptor, by type name. */
import type { ResourceDescriptor } from "../descriptor";
import type { ResourceKind } from "./kinds";
import { apiKeyDescriptor } from "./apiKey";
import { planDescriptor } from "./plan";
import { rotatingApiKeyDescriptor } from "./rotatingApiKey";
import { userDescriptor } from "./user";

export const DESCRIPTORS = {
  ApiKey: apiKeyDescriptor,
  RotatingApiKey: rotatingApiKeyDescriptor,
  Plan: planDescriptor,
  User: userDescriptor,
} as const satisfies Record<ResourceKind, ResourceDescriptor>;

export type { ResourceKind };
export { apiKeyDescriptor, planDescriptor, rotatingApiKeyDescriptor, userDescriptor };
