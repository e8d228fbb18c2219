/** Creates many keys concurrently through the provider host; shared by the test and the bench. */
import type { Stack } from "./stack";
import { API_KEY } from "./stack";

export interface ThroughputReport {
  n: number;
  concurrency: number;
  seconds: number;
  failures: number;
  errors: string[];
  /** 429 answers the emulator sent during the run. */
  rateLimited: number;
}

export async function createMany(s: Stack, n: number, concurrency: number, prefix = "t"): Promise<ThroughputReport> {
  let next = 0;
  const errors: string[] = [];
  const before = s.emu.calls.length;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        try {
          await s.engine.up(API_KEY, `${prefix}${i}`, { name: `${prefix} key ${i}` });
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rateLimited = s.emu.calls.slice(before).filter((c) => c.status === 429).length;
  return { n, concurrency, seconds, failures: errors.length, errors, rateLimited };
}
