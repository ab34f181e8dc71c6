/**
 * The posting limiter every replica shares, in PostgreSQL: a post may go out only when each of its scopes
 * (the thread, the app in the tenant) has room in every sliding window, counted under a transaction-scoped
 * advisory lock per scope so two replicas never both take the last slot. A 429's Retry-After pauses the scope
 * for everyone. Windows are stretched by `padding` so requests that leave close together and arrive slightly
 * closer still fit the service's own windows.
 */
import type { Pool } from '../store/database.ts';
import type { LimitWindow } from './outbound-config.ts';

export interface Scope {
  key: string;
  windows: LimitWindow[];
}

export type Acquired = { ok: true } | { ok: false; waitMs: number };

export class PostLimiter {
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    private readonly padding = 1.1,
  ) {}

  async acquire(scopes: Scope[]): Promise<Acquired> {
    const ordered = [...scopes].sort((a, b) => a.key.localeCompare(b.key));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const scope of ordered) {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [scope.key]);
      }
      // Every window of every scope, and any Retry-After pause, in one statement.
      const windows = ordered.flatMap((scope) =>
        scope.windows
          .filter((w) => w.limit > 0)
          .map((w) => ({ key: scope.key, windowMs: Math.ceil(w.windowMs * this.padding), limit: w.limit })),
      );
      const { rows } = await client.query<{ wait_ms: number | null }>(
        `SELECT max(wait_ms)::float8 AS wait_ms FROM (
           SELECT ceil(extract(epoch FROM (until - clock_timestamp())) * 1000) AS wait_ms
             FROM post_pauses WHERE scope = ANY($1::text[]) AND until > clock_timestamp()
           UNION ALL
           SELECT greatest(1, ceil(extract(epoch FROM (
                    s.nth + w.window_ms * interval '1 millisecond' - clock_timestamp())) * 1000))
             FROM unnest($2::text[], $3::int[], $4::int[]) AS w(scope, window_ms, lim)
             CROSS JOIN LATERAL (
               SELECT at AS nth FROM post_slots
                WHERE scope = w.scope AND at > clock_timestamp() - w.window_ms * interval '1 millisecond'
                ORDER BY at DESC OFFSET w.lim - 1 LIMIT 1) s
         ) waits`,
        [
          ordered.map((s) => s.key),
          windows.map((w) => w.key),
          windows.map((w) => w.windowMs),
          windows.map((w) => w.limit),
        ],
      );
      const waitMs = Math.max(0, rows[0]?.wait_ms ?? 0);
      if (waitMs > 0) {
        await client.query('ROLLBACK');
        return { ok: false, waitMs };
      }
      await client.query(`INSERT INTO post_slots (scope, at) SELECT unnest($1::text[]), clock_timestamp()`, [
        ordered.map((s) => s.key),
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    await this.prune(scopes);
    return { ok: true };
  }

  /** Retry-After from Teams: nobody posts in this scope until it has passed. */
  async pause(scopeKey: string, seconds: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO post_pauses (scope, until) VALUES ($1, clock_timestamp() + $2 * interval '1 second')
       ON CONFLICT (scope) DO UPDATE SET until = GREATEST(post_pauses.until, EXCLUDED.until)`,
      [scopeKey, seconds],
    );
  }

  private async prune(scopes: Scope[]): Promise<void> {
    if (Date.now() - this.lastPrune < 10_000) return;
    this.lastPrune = Date.now();
    const longest = Math.max(...scopes.flatMap((s) => s.windows.map((w) => w.windowMs))) * this.padding;
    await this.pool.query(
      `DELETE FROM post_slots WHERE at < clock_timestamp() - $1 * interval '1 millisecond'`,
      [Math.ceil(longest)],
    );
    await this.pool.query('DELETE FROM post_pauses WHERE until < clock_timestamp()');
  }
}
