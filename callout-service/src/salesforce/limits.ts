import type { Metrics } from '../ops/metrics.ts';

/**
 * Daily API usage as Salesforce reports it in `Sforce-Limit-Info: api-usage=used/limit` (jsforce keeps the last
 * value in `conn.limitInfo`), plus the pause imposed after REQUEST_LIMIT_EXCEEDED.
 */
export class LimitTracker {
  used: number | undefined;
  limit: number | undefined;
  pausedUntil = 0;

  constructor(
    private readonly criticalOnlyAbove: number,
    private readonly backoffSeconds: number,
    private readonly metrics?: Metrics,
  ) {}

  observe(limitInfo: { apiUsage?: { used: number; limit: number } } | undefined): void {
    const usage = limitInfo?.apiUsage;
    if (!usage || !(usage.limit > 0)) return;
    this.used = usage.used;
    this.limit = usage.limit;
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

  pause(now = Date.now()): Date {
    this.pausedUntil = Math.max(this.pausedUntil, now + this.backoffSeconds * 1000);
    return new Date(this.pausedUntil);
  }

  resume(): void {
    this.pausedUntil = 0;
  }

  isPaused(now = Date.now()): boolean {
    return this.pausedUntil > now;
  }
}
