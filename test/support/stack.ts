/** An emulator plus a configured provider host and engine: one stack, as the engine would run it. */
import { request } from "undici";
import { LimitlyClient } from "../../src/client";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";
import { Engine, ProviderHost } from "./engine";

export const ACCOUNT_KEY = "lk_acct_ENGINETEST_credential_7c1d";
export const API_KEY = "pulumi-nodejs:dynamic/limitly:ApiKey";

export interface Stack {
  emu: Emulator;
  host: ProviderHost;
  engine: Engine;
  /** A client for out-of-band changes, as someone in the dashboard would make them. */
  dashboard: LimitlyClient;
  emulatorLogs: string[];
  close(): Promise<void>;
}

export async function startStack(
  opts: {
    /** Replaces the whole stack config. */
    config?: Record<string, string>;
    /** Added to the default stack config (credential and base URL). */
    extraConfig?: Record<string, string>;
    env?: Record<string, string>;
    emulator?: EmulatorOptions;
  } = {},
): Promise<Stack> {
  const emulatorLogs: string[] = [];
  const emu = await startEmulator({ apiKeys: [ACCOUNT_KEY], log: (l) => emulatorLogs.push(l), ...opts.emulator });
  const host = await ProviderHost.start(opts.env);
  await host.configure(
    opts.config ?? { "limitly:apiKey": ACCOUNT_KEY, "limitly:baseUrl": emu.url, ...opts.extraConfig },
  );
  const dashboard = new LimitlyClient({ apiKey: ACCOUNT_KEY, baseUrl: emu.url, requestsPerMinute: 0 });
  const stack: Stack = {
    emu,
    host,
    engine: new Engine(host),
    dashboard,
    emulatorLogs,
    async close() {
      // Tests may swap in another host (other config); stop whichever is current.
      await stack.host.stop();
      await dashboard.close();
      await emu.close();
    },
  };
  return stack;
}

/** API calls the emulator received while `fn` ran (the dashboard's own calls excluded by the caller). */
export async function callsDuring(emu: Emulator, fn: () => Promise<unknown>): Promise<string[]> {
  const before = emu.calls.length;
  await fn();
  return emu.calls.slice(before).map((c) => `${c.method} ${c.route}`);
}

/** Whether Limitly accepts a key value right now (`POST /validate`), i.e. the value works. */
export async function validates(emu: Emulator, value: string): Promise<boolean> {
  const res = await request(`${emu.url}/validate`, {
    method: "POST",
    headers: { authorization: `Bearer ${emu.apiKeys[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ api_key: value, endpoint: "/x", method: "GET" }),
  });
  return ((await res.body.json()) as { success: boolean }).success;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}
