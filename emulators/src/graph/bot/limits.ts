/**
 * Teams' documented limits for bots sending messages, as the connector enforces them with 429 + Retry-After
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit):
 * per bot per thread 7 operations / 1 s, 8 / 2 s, 60 / 30 s and 1,800 / 3,600 s; per app per tenant 50 / s.
 */
export interface LimitWindow {
  limit: number;
  windowMs: number;
}

export interface BotLimits {
  perThread: LimitWindow[];
  perAppPerTenant: LimitWindow[];
}

export const documentedBotLimits = (): BotLimits => ({
  perThread: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  perAppPerTenant: [{ limit: 50, windowMs: 1_000 }],
});

export type LimitCheck =
  { ok: true } | { ok: false; retryAfterSeconds: number; scope: 'thread' | 'app'; window: LimitWindow };

/** Sliding windows; a request counts only when every window of every scope has room. */
export class BotThrottle {
  private hits = new Map<string, number[]>();

  constructor(public limits: BotLimits = documentedBotLimits()) {}

  take(appKey: string, threadKey: string, now = Date.now()): LimitCheck {
    const scopes: [string, 'thread' | 'app', LimitWindow[]][] = [
      [`thread:${appKey}:${threadKey}`, 'thread', this.limits.perThread],
      [`app:${appKey}`, 'app', this.limits.perAppPerTenant],
    ];
    for (const [key, scope, windows] of scopes) {
      const longest = Math.max(0, ...windows.map((w) => w.windowMs));
      const recent = (this.hits.get(key) ?? []).filter((at) => now - at < longest);
      this.hits.set(key, recent);
      for (const window of windows) {
        if (!(window.limit > 0)) continue;
        const inWindow = recent.filter((at) => now - at < window.windowMs);
        if (inWindow.length >= window.limit) {
          const waitMs = window.windowMs - (now - inWindow[0]!);
          return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), scope, window };
        }
      }
    }
    for (const [key] of scopes) this.hits.get(key)!.push(now);
    return { ok: true };
  }

  reset(limits?: BotLimits): void {
    this.hits.clear();
    if (limits) this.limits = limits;
  }
}
