import type { PgBoss } from 'pg-boss';
import { enqueueInboundJobs, type InboundJob } from '../inbound/job.ts';
import type { Pool } from './database.ts';
import { withoutNul } from './without-nul.ts';

/**
 * Messages whose non-critical rules were held back while the org's API usage was above the threshold. Parked
 * once per delivery; queued again (same delivery id, so it keeps its claims) when usage falls. The critical
 * rules' Tasks were written the first time: their keys are `written`, the second pass adds only the rest.
 */
export async function parkMessage(pool: Pool, job: InboundJob): Promise<void> {
  await pool.query(
    `INSERT INTO deferred_messages (delivery_id, payload) VALUES ($1, $2) ON CONFLICT (delivery_id) DO NOTHING`,
    [job.deliveryId, JSON.stringify(withoutNul(job))],
  );
}

export async function countParked(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM deferred_messages');
  return Number(rows[0]?.n ?? 0);
}

/**
 * Queues up to `limit` parked messages, oldest first, and forgets them. Queued before forgotten: a crash in
 * between queues one twice, which the idempotency keys absorb.
 */
export async function releaseParked(pool: Pool, boss: PgBoss, limit = 200): Promise<number> {
  const { rows } = await pool.query<{ delivery_id: string; payload: InboundJob }>(
    'SELECT delivery_id, payload FROM deferred_messages ORDER BY parked_at LIMIT $1',
    [limit],
  );
  if (rows.length === 0) return 0;
  await enqueueInboundJobs(
    boss,
    rows.map((r) => r.payload),
  );
  await pool.query('DELETE FROM deferred_messages WHERE delivery_id = ANY($1::text[])', [
    rows.map((r) => r.delivery_id),
  ]);
  return rows.length;
}
