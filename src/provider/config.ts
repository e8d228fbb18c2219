/**
 * Provider settings from the `configure` hook (stack config `limitly:*`), falling back to the
 * environment. The settings, and the client built from them, are kept in a WeakMap keyed by the
 * provider object the host deserialized: closure serialization gives every serialized function its
 * own copy of captured variables, so the only state shared between hooks is `this` and modules
 * loaded with `require` (see the project's notes on dynamic providers).
 */
import { LimitlyClient } from "../client/client";
import { DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE } from "../client/defaults";
import { LimitlyError, redact } from "../client/errors";
import { isLoopbackHost } from "../client/transport";
import { isUnknown } from "./unknown";

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

/** The numeric settings: what each must be. */
const NUMERIC = {
  timeoutMs: { check: (n: number) => Number.isInteger(n) && n > 0, what: "a positive integer (milliseconds)" },
  maxRetries: { check: (n: number) => Number.isInteger(n) && n >= 0, what: "a whole number ≥ 0" },
  requestsPerMinute: {
    check: (n: number) => n >= 0,
    what: "a number of requests per minute ≥ 0 (0 turns pacing off)",
  },
} as const;

/**
 * What is wrong with one setting's value (`<name> must be …; got …`), or undefined when it is fine
 * or unset. The credential is never described, only its type. Used for stack config here and for
 * an explicit provider's inputs by the plugin's CheckConfig.
 */
export function settingProblem(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === "" || isUnknown(value)) return undefined;
  const got = `got ${redact(JSON.stringify(value))}`;
  if (name === "apiKey")
    return typeof value === "string" ? undefined : "apiKey must be a string (the account credential, lk_…)";
  if (name === "baseUrl") {
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      return `baseUrl must be a URL such as ${DEFAULT_BASE_URL}; ${got}`;
    }
    const ok = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
    return ok
      ? undefined
      : `baseUrl must be HTTPS (plain HTTP only for a loopback host); got ${url.protocol}//${url.host}`;
  }
  const numeric = NUMERIC[name as keyof typeof NUMERIC];
  if (!numeric) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && numeric.check(n) ? undefined : `${name} must be ${numeric.what}; ${got}`;
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
  const numbers: Partial<Record<keyof typeof NUMERIC, number>> = {};
  let problem: string | undefined;
  for (const name of Object.keys(NUMERIC) as (keyof typeof NUMERIC)[]) {
    const raw = safeGet(`limitly:${name}`);
    const wrong = settingProblem(name, raw);
    if (wrong) problem ??= `stack config limitly:${wrong}`;
    else if (raw !== undefined && raw !== "") numbers[name] = Number(raw);
  }
  return {
    apiKey: safeGet("limitly:apiKey") || env.LIMITLY_API_KEY || undefined,
    baseUrl: safeGet("limitly:baseUrl") || env.LIMITLY_BASE_URL || DEFAULT_BASE_URL,
    timeoutMs: numbers.timeoutMs,
    maxRetries: numbers.maxRetries,
    requestsPerMinute: numbers.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
    problem,
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
