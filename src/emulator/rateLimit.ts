/**
 * The documented rate limit: a token bucket per account key refilling at `perMinute`, holding a
 * minute's worth of requests by default (Limitly documents the rate, not the burst; `burst`
 * makes it stricter for tests), answering how long to wait when it is empty.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    public perMinute: number,
    public burst?: number,
  ) {}

  /** Takes one token; returns 0 when allowed, otherwise the ms until a token is available. */
  take(account: string, now = Date.now()): number {
    if (!(this.perMinute > 0)) return 0;
    const ratePerMs = this.perMinute / 60_000;
    const capacity = this.burst ?? this.perMinute;
    const b = this.buckets.get(account) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * ratePerMs);
    b.at = now;
    this.buckets.set(account, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / ratePerMs);
  }
}
