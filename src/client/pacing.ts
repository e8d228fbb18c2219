/**
 * One request budget per account credential and base URL, shared by every client in the process.
 * Pulumi runs all resources of a stack in one provider process and many operations at once, so
 * per-client pacing would let N resources spend N times Limitly's rate limit.
 */
import { accountKey } from "./account";
import { sleepUnless } from "./abort";

/**
 * The longest a 429's `Retry-After` is waited for, by the call and by everyone sharing its budget.
 * Limitly's limit is per minute: a minute after a 429, the requests that filled its window no longer
 * count. A longer `Retry-After` is not that limit's (a proxy's, or a wrong unit), and honouring it
 * would hold every later call of the process, silently, for as long as it says.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/**
 * A cell-rate pacer whose rate learns the limit the service enforces. Requests are spaced
 * `60_000 / rate` ms apart with a burst allowance; a 429 pushes every waiter back by the server's
 * `Retry-After`. The rate starts at the configured budget (`ceiling`) and follows the share of 429s
 * among the last answers: over a quarter (the budget is above the real limit) cuts it by 30%; under
 * a twentieth, over a full window, raises it by a quarter, back up to the budget. A scattered 429
 * (a busy moment, a flaky proxy) changes nothing, so it cannot starve a stack. At most one change a
 * second, each starting a new window. Every client sharing the budget shares what it learned.
 */
export class Pacer {
  /** The rate in use now, requests per minute: at most the configured budget. */
  rate: number;
  /** Theoretical arrival time of the next request. */
  private tat = 0;
  private lastChangeAt = -Infinity;
  /** Outcomes of the latest answers since the last change: true for a 429. */
  private window: boolean[] = [];
  /** Requests that had to wait, and for how long in all, for reporting. */
  waits = 0;
  waitedMs = 0;
  /** 429s seen. */
  limitedCount = 0;

  static readonly WINDOW = 20;

  constructor(
    readonly perMinute: number,
    private readonly burst?: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = perMinute;
  }

  private get intervalMs(): number {
    return 60_000 / this.rate;
  }

  private get toleranceMs(): number {
    const burst = this.burst ?? Math.max(1, Math.floor(this.rate / 60));
    return this.intervalMs * (Math.max(1, burst) - 1);
  }

  /** How long the next caller would wait, in ms, without reserving a slot. */
  delayFor(now = this.now()): number {
    return Math.max(0, Math.max(this.tat, now) - this.toleranceMs - now);
  }

  /**
   * Reserves the next slot and resolves when it is due. Slots are reserved synchronously, so
   * concurrent callers are served in call order. Rejects with a {@link PacingDeadlineError} when
   * the slot lies beyond `deadline`, and with a `CANCELLED` error as soon as `signal` is aborted.
   */
  async acquire(deadline = Infinity, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const wait = this.delayFor(now);
    if (now + wait > deadline) {
      throw new PacingDeadlineError(wait, Math.round(this.rate));
    }
    this.tat = Math.max(this.tat, now) + this.intervalMs;
    if (wait > 0) {
      this.waits++;
      this.waitedMs += wait;
      await sleepUnless(signal, wait, "waiting for the request budget");
    }
  }

  /**
   * The server said to back off: nobody sharing this budget sends before `ms` from now, or
   * {@link RETRY_AFTER_CAP_MS} if that is sooner.
   */
  backOff(ms: number): void {
    this.tat = Math.max(this.tat, this.now() + Math.min(ms, RETRY_AFTER_CAP_MS) + this.toleranceMs);
  }

  /** One answer from the service: `limited` when it was a 429. */
  observe(limited: boolean): void {
    if (limited) this.limitedCount++;
    this.window.push(limited);
    if (this.window.length > Pacer.WINDOW) this.window.shift();
    const now = this.now();
    if (this.window.length < Pacer.WINDOW / 2 || now - this.lastChangeAt < 1_000) return;
    const share = this.window.filter(Boolean).length / this.window.length;
    let next = this.rate;
    if (share > 0.25) next = Math.max(1, this.rate * 0.7);
    else if (share < 0.05 && this.window.length === Pacer.WINDOW) next = Math.min(this.perMinute, this.rate * 1.25);
    if (next === this.rate) return;
    this.rate = next;
    this.lastChangeAt = now;
    this.window = [];
  }
}

/** The pacing slot lies beyond the call's deadline. */
export class PacingDeadlineError extends Error {
  override readonly name = "PacingDeadlineError";
  readonly code = "RATE_LIMIT_EXCEEDED";

  constructor(
    readonly waitMs: number,
    readonly perMinute: number,
  ) {
    super(
      `the client-side rate budget of ${perMinute} requests per minute would delay this call ` +
        `${Math.ceil(waitMs)} ms, past its deadline`,
    );
  }
}

const pacers = new Map<string, Pacer>();

/**
 * The process-wide pacer for one credential and base URL. The map key holds a hash of the
 * credential, never the credential itself. A later caller asking for another rate replaces the
 * budget's rate, since configuration is per stack and the newest one is what the user set.
 */
export function sharedPacer(baseUrl: string, credential: string, perMinute: number): Pacer {
  const key = accountKey(baseUrl, credential);
  let pacer = pacers.get(key);
  if (!pacer || pacer.perMinute !== perMinute) {
    pacer = new Pacer(perMinute);
    pacers.set(key, pacer);
  }
  return pacer;
}
