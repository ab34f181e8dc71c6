import type { Pool } from './database.ts';

/**
 * The PostgreSQL half of "exactly one Task per (message, rule)". A job claims each key before it writes; the
 * key becomes `written` once Salesforce confirmed the upsert. A claim held by another delivery is left alone
 * unless its lease ran out (that delivery's job died and was not retried); the same delivery (a retry, a
 * rescheduled or requeued job) always takes its own claim back. A claim taken back or over is `reclaimed`: the
 * Task writer then looks the key up in Salesforce and updates the Task a crashed attempt left, instead of
 * creating a second one.
 */
export interface KeyClaim {
  key: string;
  teamId: string;
  channelId: string;
  messageId: string;
  rule: string;
}

/**
 * `claimed`: a fresh claim, no earlier attempt can have written the Task; `reclaimed`: this delivery's own claim
 * taken back, or a stale one taken over, so an earlier attempt may have written it (look it up before writing).
 */
export type ClaimResult = 'claimed' | 'reclaimed' | 'written' | 'held-elsewhere';

export async function claimKeys(
  pool: Pool,
  claims: KeyClaim[],
  deliveryId: string,
  leaseSeconds: number,
): Promise<Map<string, ClaimResult>> {
  const result = new Map<string, ClaimResult>();
  if (claims.length === 0) return result;
  const { rows } = await pool.query<{
    key: string;
    state: string;
    delivery_id: string;
    mine: boolean;
    existed: boolean;
  }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         AS i(key, team_id, channel_id, message_id, rule)
     ), upserted AS (
       INSERT INTO processed_keys AS p (key, team_id, channel_id, message_id, rule, delivery_id, state)
       SELECT key, team_id, channel_id, message_id, rule, $6, 'pending' FROM input
       ON CONFLICT (key) DO UPDATE SET delivery_id = EXCLUDED.delivery_id, claimed_at = now()
         WHERE p.state = 'pending'
           AND (p.delivery_id = EXCLUDED.delivery_id OR p.claimed_at < now() - make_interval(secs => $7))
       RETURNING p.key
     )
     SELECT i.key, COALESCE(p.state, 'pending') AS state, COALESCE(p.delivery_id, $6) AS delivery_id,
            (u.key IS NOT NULL) AS mine, (p.key IS NOT NULL) AS existed
     FROM input i LEFT JOIN upserted u ON u.key = i.key LEFT JOIN processed_keys p ON p.key = i.key`,
    [
      claims.map((c) => c.key),
      claims.map((c) => c.teamId),
      claims.map((c) => c.channelId),
      claims.map((c) => c.messageId),
      claims.map((c) => c.rule),
      deliveryId,
      leaseSeconds,
    ],
  );
  for (const r of rows) {
    // `p` is the snapshot before this statement: a fresh insert shows no row there, hence COALESCE.
    result.set(
      r.key,
      r.mine ? (r.existed ? 'reclaimed' : 'claimed') : r.state === 'written' ? 'written' : 'held-elsewhere',
    );
  }
  return result;
}

export async function markWritten(pool: Pool, written: { key: string; taskId: string }[]): Promise<void> {
  if (written.length === 0) return;
  await pool.query(
    `UPDATE processed_keys p SET state = 'written', task_id = w.task_id, written_at = now()
     FROM unnest($1::text[], $2::text[]) AS w(key, task_id) WHERE p.key = w.key`,
    [written.map((w) => w.key), written.map((w) => w.taskId)],
  );
}

export async function countProcessedKeys(pool: Pool): Promise<{ pending: number; written: number }> {
  const { rows } = await pool.query<{ state: string; n: string }>(
    'SELECT state, count(*) AS n FROM processed_keys GROUP BY state',
  );
  const get = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { pending: get('pending'), written: get('written') };
}

/**
 * Forgets written keys older than `days`. Safe for exactly-once: a message processed again after that (an old
 * message in a backfill) upserts the same Task on the same external id instead of creating a second one.
 */
export async function pruneProcessedKeys(pool: Pool, days: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM processed_keys WHERE state = 'written' AND written_at < now() - make_interval(days => $1)`,
    [days],
  );
  return rowCount ?? 0;
}
