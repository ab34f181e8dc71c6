import type { Metrics } from '../ops/metrics.ts';

/**
 * Daily API usage as Salesforce reports it in `Sforce-Limit-Info: api-usage=used/limit` (jsforce keeps the last
 * value in `conn.limitInfo`), plus the pause imposed after REQUEST_LIMIT_EXCEEDED.
 */
export class LimitTracker {
  used: number | undefined;
  limit: number | undefined;
  /** When the usage was last read from a response (0: never). */
  observedAt = 0;
  /** The longest a REQUEST_LIMIT_EXCEEDED pause lasts; probes end it as soon as Salesforce accepts calls. */
  pausedUntil = 0;
  /** While paused, the next moment one call may go through to see whether the allocation is back. */
  nextProbeAt = 0;

  constructor(
    private readonly criticalOnlyAbove: number,
    private readonly backoffSeconds: number,
    private readonly metrics?: Metrics,
    private readonly probeSeconds = 60,
  ) {}

  observe(limitInfo: { apiUsage?: { used: number; limit: number } } | undefined, now = Date.now()): void {
    const usage = limitInfo?.apiUsage;
    if (!usage || !(usage.limit > 0)) return;
    this.used = usage.used;
    this.limit = usage.limit;
    this.observedAt = now;
    this.metrics?.salesforceApiUsage.set({ kind: 'used' }, usage.used);
    this.metrics?.salesforceApiUsage.set({ kind: 'limit' }, usage.limit);
    this.metrics?.salesforceApiUsage.set({ kind: 'ratio' }, usage.used / usage.limit);
  }

  /** Fraction of the daily allocation used, 0 when not yet known. */
  get ratio(): number {
    return this.used !== undefined && this.limit ? this.used / this.limit : 0;
  }

  /** Above the threshold only critical rules run (deal desk keeps flowing, competitor flags wait). */
  get criticalOnly(): boolean {
    return this.ratio >= this.criticalOnlyAbove;
  }

  /**
   * REQUEST_LIMIT_EXCEEDED: pause for at most the backoff, probing every `probeSeconds` (never later than the
   * pause's end). Returns when paused work should be looked at again: the next probe.
   */
  pause(now = Date.now()): Date {
    this.pausedUntil = Math.max(this.pausedUntil, now + this.backoffSeconds * 1000);
    this.nextProbeAt = Math.min(this.pausedUntil, now + this.probeSeconds * 1000);
    return new Date(this.nextProbeAt);
  }

  /** While paused: may this call go through as the probe? (One per probe interval.) */
  takeProbe(now = Date.now()): boolean {
    if (!this.isPaused(now) || now < this.nextProbeAt) return false;
    this.nextProbeAt = Math.min(this.pausedUntil, now + this.probeSeconds * 1000);
    return true;
  }

  resume(): void {
    this.pausedUntil = 0;
    this.nextProbeAt = 0;
  }

  isPaused(now = Date.now()): boolean {
    return this.pausedUntil > now;
  }
}
