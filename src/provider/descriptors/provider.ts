/**
 * The provider's own settings: stack config `limitly:<name>` for the default provider, the inputs
 * of an explicit provider resource otherwise. Declared once for config.ts, the plugin's schema and
 * its CheckConfig.
 */
import type { SchemaType } from "../descriptor";
import { CLIENT_DEFAULTS } from "../../client/defaults";

export interface SettingDescriptor {
  description: string;
  type: SchemaType;
  secret?: boolean;
  /** The environment variable read when the setting is not given. */
  env?: string;
}

export const PROVIDER_SETTINGS = {
  apiKey: {
    description:
      "The Limitly account credential (`lk_…`). Set it as a secret: `pulumi config set --secret limitly:apiKey …`, or `LIMITLY_API_KEY`.",
    type: { type: "string" },
    secret: true,
    env: "LIMITLY_API_KEY",
  },
  baseUrl: {
    description: `API base URL; HTTPS is required unless the host is loopback (the emulator). Default \`${CLIENT_DEFAULTS.baseUrl}\`, or \`LIMITLY_BASE_URL\`.`,
    type: { type: "string" },
    env: "LIMITLY_BASE_URL",
  },
  timeoutMs: {
    description: `Deadline of one API call, retries included, in milliseconds. Default ${CLIENT_DEFAULTS.timeoutMs}.`,
    type: { type: "integer" },
  },
  maxRetries: {
    description: `Retries of a 5xx or a broken connection on GET/PUT/DELETE (a POST is never repeated blindly). Default ${CLIENT_DEFAULTS.maxRetries}.`,
    type: { type: "integer" },
  },
  requestsPerMinute: {
    description: `The most the request budget may spend per minute (Limitly's documented limit); 0 turns pacing off. Default ${CLIENT_DEFAULTS.requestsPerMinute}.`,
    type: { type: "integer" },
  },
} satisfies Record<string, SettingDescriptor>;

export type SettingName = keyof typeof PROVIDER_SETTINGS;
