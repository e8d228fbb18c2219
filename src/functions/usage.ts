/**
 * Usage and request history of a key, for use in Pulumi programs (dashboards, alerts, exports).
 * They read the same settings as the provider: stack config `limitly:*`, then the environment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { KeyRequestHistory, KeyUsage } from "../client/records";
import type { LimitlyClient } from "../client/client";
import { clientFromSettings, readSettings } from "../provider/config";

/** Arguments of {@link getApiKeyUsage} and {@link getApiKeyRequests}. */
export interface GetApiKeyArgs {
  /** The Limitly key id (`key_…`), e.g. an `ApiKey`'s `id`. */
  keyId: string;
}

/** {@link GetApiKeyArgs} with inputs, for the `…Output` variants. */
export interface GetApiKeyOutputArgs {
  keyId: pulumi.Input<string>;
}

async function withClient<T>(fn: (c: LimitlyClient) => Promise<T>): Promise<T> {
  // runtime.getConfig reads the raw value, so a secret credential does not trigger the SDK's
  // "secret read as plain" warning; it never leaves this function.
  const client = clientFromSettings(readSettings((key) => pulumi.runtime.getConfig(key)));
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/**
 * Usage of a key in its current period, normalized from either shape Limitly documents.
 *
 * @example
 * const usage = await limitly.getApiKeyUsage({ keyId: "key_123" });
 * console.log(`${usage.requestsInPeriod} of ${usage.limit ?? "unlimited"}`);
 */
export function getApiKeyUsage(args: GetApiKeyArgs): Promise<KeyUsage> {
  return withClient((c) => c.apiKeys.getUsage(args.keyId));
}

/** {@link getApiKeyUsage} for inputs: `getApiKeyUsageOutput({ keyId: key.id })`. */
export function getApiKeyUsageOutput(args: GetApiKeyOutputArgs): pulumi.Output<KeyUsage> {
  return pulumi.output(args.keyId).apply((keyId) => getApiKeyUsage({ keyId }));
}

/** Request history of a key, normalized from either shape Limitly documents. */
export function getApiKeyRequests(args: GetApiKeyArgs): Promise<KeyRequestHistory> {
  return withClient((c) => c.apiKeys.getRequests(args.keyId));
}

/** {@link getApiKeyRequests} for inputs. */
export function getApiKeyRequestsOutput(args: GetApiKeyOutputArgs): pulumi.Output<KeyRequestHistory> {
  return pulumi.output(args.keyId).apply((keyId) => getApiKeyRequests({ keyId }));
}
