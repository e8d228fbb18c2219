/**
 * One request budget per account credential and base URL, shared by every client in the process.
 * Pulumi runs all resources of a stack in one provider process and many operations at once, so
 * per-client pacing would let N resources spend N times Limitly's rate limit.
 */
import { createHash } from "node:crypto";

/**
 * A generic cell-rate pacer: requests are spaced `60_000 / perMinute` ms apart, with a burst
 * allowance, and a 429 pushes every waiter back by the server's `Retry-After`.
 */
export class Pacer {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  /** Theoretical arrival time of the next request. */
  private tat = 0;
  /** Requests that had to wait, and for how long in all, for reporting. */
  waits = 0;
  waitedMs = 0;

  constructor(
    readonly perMinute: number,
    burst = Math.max(1, Math.floor(perMinute / 60)),
  ) {
    this.intervalMs = 60_000 / perMinute;
    this.toleranceMs = this.intervalMs * (Math.max(1, burst) - 1);
  }

  /** How long the next caller would wait, in ms, without reserving a slot. */
  delayFor(now = Date.now()): number {
    return Math.max(0, Math.max(this.tat, now) - this.toleranceMs - now);
  }

  /**
   * Reserves the next slot and resolves when it is due. Slots are reserved synchronously, so
   * concurrent callers are served in call order. Rejects with the signal's reason if aborted, or
   * with a {@link PacingDeadlineError} when the slot lies beyond `deadline`.
   */
  async acquire(deadline = Infinity): Promise<void> {
    const now = Date.now();
    const wait = this.delayFor(now);
    if (now + wait > deadline) {
      throw new PacingDeadlineError(wait, this.perMinute);
    }
    this.tat = Math.max(this.tat, now) + this.intervalMs;
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** The server said to back off: nobody sharing this budget sends before `ms` from now. */
  backOff(ms: number): void {
    this.tat = Math.max(this.tat, Date.now() + ms + this.toleranceMs);
  }
}

/** The pacing slot lies beyond the call's deadline. */
export class PacingDeadlineError extends Error {
  constructor(
    readonly waitMs: number,
    readonly perMinute: number,
  ) {
    super(
      `the client-side rate budget of ${perMinute} requests per minute would delay this call ` +
        `${Math.ceil(waitMs)} ms, past its deadline`,
    );
    this.name = "PacingDeadlineError";
  }
}

const pacers = new Map<string, Pacer>();

/**
 * The process-wide pacer for one credential and base URL. The map key holds a hash of the
 * credential, never the credential itself. A later caller asking for another rate replaces the
 * budget's rate, since configuration is per stack and the newest one is what the user set.
 */
export function sharedPacer(baseUrl: string, credential: string, perMinute: number): Pacer {
  const fingerprint = createHash("sha256").update(credential).digest("hex").slice(0, 16);
  const key = `${baseUrl}|${fingerprint}`;
  let pacer = pacers.get(key);
  if (!pacer || pacer.perMinute !== perMinute) {
    pacer = new Pacer(perMinute);
    pacers.set(key, pacer);
  }
  return pacer;
}
