/**
 * What every client of this process with the same credential and base URL shares: the writes this
 * process makes to that account, which tell a listing whether it is older than the process's own
 * last change (listedReads.ts). One per account, held with its listed reads (client.ts), keyed by
 * {@link accountKey} like the pacing budget.
 */
import { createHash } from "node:crypto";

/**
 * Counts the writes (POST, PUT, DELETE) of this process to one account. `epoch` moves when a write
 * starts and when it ends, so a listing that saw the same epoch from its start to its use overlapped
 * no write of this process.
 */
export class WriteClock {
  /** Moves at the start and at the end of every write. */
  epoch = 0;
  /** Writes sent and not yet answered (or failed). */
  inFlight = 0;

  /** Runs one write, counting it. */
  async around<T>(write: () => Promise<T>): Promise<T> {
    this.epoch++;
    this.inFlight++;
    try {
      return await write();
    } finally {
      this.inFlight--;
      this.epoch++;
    }
  }
}

/** The key of one account: the base URL and a fingerprint of the credential (never the credential). */
export function accountKey(baseUrl: string, credential: string): string {
  return `${baseUrl}|${createHash("sha256").update(credential).digest("hex").slice(0, 16)}`;
}
