/** Sliding one-second windows, as Graph's per-app and per-channel limits behave. */
export class RateLimiter {
  private hits = new Map<string, number[]>();

  /** Counts a hit for `key` when under `limit` per `windowMs`; otherwise returns the seconds to wait. */
  take(key: string, limit: number, windowMs = 1000): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!(limit > 0) || !Number.isFinite(limit)) return { ok: true };
    const now = Date.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      const waitMs = windowMs - (now - recent[0]!);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { ok: true };
  }

  reset(): void {
    this.hits.clear();
  }
}
