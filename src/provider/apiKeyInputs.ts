/**
 * The ApiKey inputs: what `check` accepts (the descriptor's rules) and how it normalizes them.
 */
import { checkInputs, type PropertySpec } from "./check";
import { inputSpecs } from "./descriptor";
import { apiKeyDescriptor } from "./descriptors/apiKey";

export { CREATE_TOKEN_KEY, OWNER_METADATA_KEY } from "./descriptors/apiKey";

/** What `check` accepts for an ApiKey, from its descriptor; the `limitly` command applies the same rules. */
export const apiKeySpecs: Record<string, PropertySpec> = inputSpecs(apiKeyDescriptor);

/** Checked ApiKey inputs. Values may be the unknown sentinel during preview. */
export interface ApiKeyInputs {
  name: string;
  userId?: number | string;
  planId?: string;
  status: "active" | "inactive";
  metadata?: Record<string, unknown>;
  rotation?: string | number;
  rotationStrategy: "replace" | "regenerate";
  rotateAfterDays?: number;
  adoptKeyId?: string;
}

export function checkApiKey(news: unknown, secrets?: ReadonlySet<string>) {
  return checkInputs("ApiKey", apiKeySpecs, news, secrets);
}
