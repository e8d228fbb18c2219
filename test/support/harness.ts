/** Starts an emulator and a client that talks to it, with fast backoff for tests. */
import { LimitlyClient, type LimitlyClientOptions } from "../../src/client";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";

export const ACCOUNT_KEY = "lk_acct_TESTCREDENTIAL_9f8e7d6c";

export interface Harness {
  emu: Emulator;
  client: LimitlyClient;
  logs: string[];
  close(): Promise<void>;
}

export async function startHarness(
  clientOpts: Partial<LimitlyClientOptions> = {},
  emuOpts: EmulatorOptions = {},
): Promise<Harness> {
  const logs: string[] = [];
  const emu = await startEmulator({ apiKeys: [ACCOUNT_KEY], log: (l) => logs.push(l), ...emuOpts });
  const client = new LimitlyClient({
    apiKey: ACCOUNT_KEY,
    baseUrl: emu.url,
    backoffBaseMs: 5,
    backoffCapMs: 50,
    requestsPerMinute: 0,
    ...clientOpts,
  });
  return {
    emu,
    client,
    logs,
    async close() {
      await client.close();
      await emu.close();
    },
  };
}
