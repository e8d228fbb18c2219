/**
 * The RotatingApiKey input schema: ApiKey's, without what belongs to a single key (the strategy,
 * adoption), plus the grace rules of its previous key.
 */
import type { ApiKeyInputs } from "./apiKeyInputs";
import { checkInputs, type PropertySpec } from "./check";
import { inputSpecs } from "./descriptor";
import { rotatingApiKeyDescriptor } from "./descriptors/rotatingApiKey";

export { DEFAULT_GRACE } from "./descriptors/rotatingApiKey";

export const rotatingApiKeySpecs: Record<string, PropertySpec> = inputSpecs(rotatingApiKeyDescriptor);

/** Checked RotatingApiKey inputs. Values may be the unknown sentinel during preview. */
export interface RotatingApiKeyInputs extends Omit<ApiKeyInputs, "rotationStrategy" | "adoptKeyId"> {
  gracePeriod: string;
  retireWhenUnusedFor?: string;
}

export function checkRotatingApiKey(news: unknown, secrets?: ReadonlySet<string>) {
  return checkInputs("RotatingApiKey", rotatingApiKeySpecs, news, secrets);
}
