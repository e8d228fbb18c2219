/**
 * One Limitly account on an in-process emulator for a CLI suite: its credential, a dashboard client
 * for changes made behind Pulumi's back, and the checks every suite makes against it.
 */
import { LimitlyClient } from "../../../src/client";
import { startEmulator, type Emulator } from "../../../src/emulator";

export interface Account {
  emu: Emulator;
  /** The account credential (a fresh one per suite, so a sweep can look for it). */
  credential: string;
  /** A client as someone using Limitly's dashboard would change things. */
  dashboard: LimitlyClient;
  /** Whether Limitly accepts a key value (`POST /validate`). */
  validates(value: string): Promise<boolean>;
  /** The requests the emulator saw while `fn` ran, as `METHOD route`. */
  callsDuring(fn: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export async function startAccount(label: string): Promise<Account> {
  const credential = `lk_acct_${label}_${Math.random().toString(36).slice(2, 10)}`;
  const emu = await startEmulator({ apiKeys: [credential] });
  const dashboard = new LimitlyClient({ apiKey: credential, baseUrl: emu.url, requestsPerMinute: 0 });
  return {
    emu,
    credential,
    dashboard,
    async validates(value) {
      const res = await fetch(`${emu.url}/validate`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
        body: JSON.stringify({ api_key: value, endpoint: "/cli-suite", method: "GET" }),
      });
      return ((await res.json()) as { success: boolean }).success;
    },
    async callsDuring(fn) {
      const from = emu.calls.length;
      await fn();
      return emu.calls.slice(from).map((c) => `${c.method} ${c.route}`);
    },
    async close() {
      await dashboard.close();
      await emu.close();
    },
  };
}
