/**
 * Provider settings from the `configure` hook (stack config `limitly:*`), falling back to the
 * environment. The settings, and the client built from them, are kept in a WeakMap keyed by the
 * provider object the host deserialized: closure serialization gives every serialized function its
 * own copy of captured variables, so the only state shared between hooks is `this` and modules
 * loaded with `require` (see the project's notes on dynamic providers).
 */
import { LimitlyClient } from "../client/client";
import { DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE } from "../client/defaults";
import { LimitlyError } from "../client/errors";

/** What the provider needs to talk to Limitly. */
export interface ProviderSettings {
  apiKey?: string;
  baseUrl: string;
  timeoutMs?: number;
  maxRetries?: number;
  requestsPerMinute: number;
  /** A config value that could not be used, reported at the first call that needs the API. */
  problem?: string;
}

/** Reads one stack config value; the host's `req.config.get`. */
export type ConfigGetter = (key: string) => string | undefined;

function numberSetting(
  get: ConfigGetter,
  key: string,
  check: (n: number) => boolean,
  what: string,
): { value?: number; problem?: string } {
  const raw = get(key);
  if (raw === undefined || raw === "") return {};
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n))
    return { problem: `stack config ${key} must be ${what}; got ${JSON.stringify(raw)}` };
  return { value: n };
}

/** Reads `limitly:apiKey`, `limitly:baseUrl`, `limitly:timeoutMs`, `limitly:maxRetries`, `limitly:requestsPerMinute`. */
export function readSettings(get: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const safeGet: ConfigGetter = (key) => {
    try {
      const v = get(key);
      return v === undefined || v === null ? undefined : String(v);
    } catch {
      // The host builds its Config from what Configure sent; without a Configure there is none.
      return undefined;
    }
  };
  const timeout = numberSetting(
    safeGet,
    "limitly:timeoutMs",
    (n) => Number.isInteger(n) && n > 0,
    "a positive integer (milliseconds)",
  );
  const retries = numberSetting(
    safeGet,
    "limitly:maxRetries",
    (n) => Number.isInteger(n) && n >= 0,
    "a whole number ≥ 0",
  );
  const rate = numberSetting(
    safeGet,
    "limitly:requestsPerMinute",
    (n) => n >= 0,
    "a number of requests per minute ≥ 0 (0 turns pacing off)",
  );
  return {
    apiKey: safeGet("limitly:apiKey") || env.LIMITLY_API_KEY || undefined,
    baseUrl: safeGet("limitly:baseUrl") || env.LIMITLY_BASE_URL || DEFAULT_BASE_URL,
    timeoutMs: timeout.value,
    maxRetries: retries.value,
    requestsPerMinute: rate.value ?? DEFAULT_REQUESTS_PER_MINUTE,
    problem: timeout.problem ?? retries.problem ?? rate.problem,
  };
}

interface ProviderState {
  settings: ProviderSettings;
  client?: LimitlyClient;
}

const states = new WeakMap<object, ProviderState>();

/** The `configure` hook: remembers the settings for this provider object. */
export function configure(self: object, req: { config: { get(key: string): unknown } } | undefined): void {
  const previous = states.get(self);
  void previous?.client?.close();
  states.set(self, { settings: readSettings((k) => req?.config?.get(k) as string | undefined) });
}

/** The settings of a provider object; from the environment alone if `configure` never ran. */
export function settingsOf(self: object): ProviderSettings {
  let s = states.get(self);
  if (!s) {
    s = { settings: readSettings(() => undefined) };
    states.set(self, s);
  }
  return s.settings;
}

/**
 * The client for a provider object, made on first use so that check and diff, which need no API,
 * work without a credential.
 */
export function clientOf(self: object): LimitlyClient {
  const settings = settingsOf(self);
  const state = states.get(self)!;
  state.client ??= clientFromSettings(settings);
  return state.client;
}

/** A client for the settings; a missing credential or bad value fails here, saying how to fix it. */
export function clientFromSettings(settings: ProviderSettings): LimitlyClient {
  if (settings.problem) throw new LimitlyError({ code: "INVALID_CONFIG", message: settings.problem });
  if (!settings.apiKey) {
    throw new LimitlyError({
      code: "MISSING_CREDENTIAL",
      message:
        "no Limitly account credential: set it with `pulumi config set --secret limitly:apiKey <key>` " +
        "or the LIMITLY_API_KEY environment variable",
    });
  }
  return new LimitlyClient({
    apiKey: settings.apiKey,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    requestsPerMinute: settings.requestsPerMinute,
  });
}
