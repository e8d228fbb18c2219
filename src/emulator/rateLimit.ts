/**
 * The documented rate limit: a token bucket per account key holding a minute's worth of
 * requests and refilling continuously, answering how long to wait when it is empty.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(public perMinute: number) {}

  /** Takes one token; returns 0 when allowed, otherwise the ms until a token is available. */
  take(account: string, now = Date.now()): number {
    if (!(this.perMinute > 0)) return 0;
    const ratePerMs = this.perMinute / 60_000;
    const b = this.buckets.get(account) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(account, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / ratePerMs);
  }
}
