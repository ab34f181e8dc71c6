/**
 * The outbound_items table as the posting worker uses it. An item moves queued → posting → posted → done
 * (or dead). Every change is one statement, so a replica that dies leaves the row in a state another replica
 * can continue from once the lease has run out.
 */
import type { Pool } from '../store/database.ts';
import type { z } from 'zod';
import type { outboundPayloadSchema } from './outbound-items.ts';

export type OutboundStatus = 'queued' | 'posting' | 'posted' | 'done' | 'dead';

export interface OutboundItem {
  idempotencyKey: string;
  kind: 'OpportunityHandoff' | 'LeadConverted';
  recordId: string;
  payload: z.infer<typeof outboundPayloadSchema>;
  status: OutboundStatus;
  attempts: number;
  receivedAt: Date;
  teamId: string | null;
  channelId: string | null;
  /** Set (committed) just before a send: the send may have reached Teams even if nothing was recorded. */
  postStartedAt: Date | null;
  messageId: string | null;
  messageUrl: string | null;
  postedAt: Date | null;
  lastError: string | null;
  /** Why no link was written back though the item is done (nothing to write to). */
  writebackNote?: string | null;
}

interface Row {
  idempotency_key: string;
  kind: OutboundItem['kind'];
  record_id: string;
  payload: OutboundItem['payload'];
  status: OutboundStatus;
  attempts: number;
  received_at: Date;
  team_id: string | null;
  channel_id: string | null;
  post_started_at: Date | null;
  message_id: string | null;
  message_url: string | null;
  posted_at: Date | null;
  last_error: string | null;
  writeback_attempts: number;
  writeback_note: string | null;
}

const fromRow = (r: Row): OutboundItem => ({
  idempotencyKey: r.idempotency_key,
  kind: r.kind,
  recordId: r.record_id,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  receivedAt: r.received_at,
  teamId: r.team_id,
  channelId: r.channel_id,
  postStartedAt: r.post_started_at,
  messageId: r.message_id,
  messageUrl: r.message_url,
  postedAt: r.posted_at,
  lastError: r.last_error,
  writebackNote: r.writeback_note,
});

/**
 * Takes up to `limit` due items no other replica holds, for `leaseSeconds`. Items still to be posted spend
 * an attempt; posted items only wait for their Salesforce write-back.
 */
export async function claimDueItems(
  pool: Pool,
  limit: number,
  leaseSeconds: number,
): Promise<OutboundItem[]> {
  const { rows } = await pool.query<Row>(
    `UPDATE outbound_items o
        SET status = CASE WHEN o.status = 'queued' THEN 'posting' ELSE o.status END,
            attempts = o.attempts + CASE WHEN o.status = 'posted' THEN 0 ELSE 1 END,
            lease_until = now() + $2 * interval '1 second'
      WHERE o.idempotency_key IN (
        SELECT idempotency_key FROM outbound_items
         WHERE status IN ('queued', 'posting', 'posted') AND next_attempt_at <= now()
           AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING o.*`,
    [limit, leaseSeconds],
  );
  return rows.map(fromRow);
}

export async function setTarget(pool: Pool, key: string, teamId: string, channelId: string): Promise<void> {
  await pool.query('UPDATE outbound_items SET team_id = $2, channel_id = $3 WHERE idempotency_key = $1', [
    key,
    teamId,
    channelId,
  ]);
}

/** Committed before the send: from here on the item may be in Teams. */
export async function markPostStarted(pool: Pool, key: string): Promise<void> {
  await pool.query('UPDATE outbound_items SET post_started_at = now() WHERE idempotency_key = $1', [key]);
}

export async function recordPosted(
  pool: Pool,
  key: string,
  messageId: string,
  messageUrl: string,
): Promise<void> {
  await pool.query(
    `UPDATE outbound_items SET status = 'posted', message_id = $2, message_url = $3, posted_at = now(),
            last_error = NULL WHERE idempotency_key = $1`,
    [key, messageId, messageUrl],
  );
}

/** Done; `note` says why no link was written back (nothing to write to), when that is so. */
export async function markDone(pool: Pool, key: string, note?: string): Promise<void> {
  await pool.query(
    `UPDATE outbound_items SET status = 'done', lease_until = NULL, writeback_note = $2,
            written_back_at = CASE WHEN $2::text IS NULL THEN now() ELSE NULL END
      WHERE idempotency_key = $1`,
    [key, note ?? null],
  );
}

/** One more failed write-back of a posted item; returns how many there were. */
export async function countWriteBackFailure(pool: Pool, key: string, error: string): Promise<number> {
  const { rows } = await pool.query<{ writeback_attempts: number }>(
    `UPDATE outbound_items SET writeback_attempts = writeback_attempts + 1, last_error = $2
      WHERE idempotency_key = $1 RETURNING writeback_attempts`,
    [key, error.slice(0, 4000)],
  );
  return rows[0]?.writeback_attempts ?? 0;
}

/**
 * Tries again after `delayMs`. `notPosted` says Teams answered that nothing was posted (a 4xx), so the next
 * attempt need not look for the message first; `spendAttempt: false` gives back the attempt (limiter waits,
 * Retry-After).
 */
export async function retryLater(
  pool: Pool,
  key: string,
  options: { delayMs: number; error?: string; notPosted: boolean; spendAttempt: boolean },
): Promise<void> {
  await pool.query(
    `UPDATE outbound_items
        SET next_attempt_at = now() + $2 * interval '1 millisecond', lease_until = NULL,
            last_error = COALESCE($3, last_error),
            post_started_at = CASE WHEN $4 THEN NULL ELSE post_started_at END,
            attempts = CASE WHEN $5 THEN attempts ELSE GREATEST(attempts - 1, 0) END
      WHERE idempotency_key = $1`,
    [
      key,
      Math.max(0, Math.round(options.delayMs)),
      options.error ?? null,
      options.notPosted,
      options.spendAttempt,
    ],
  );
}

export async function markDead(pool: Pool, key: string, error: string): Promise<void> {
  await pool.query(
    `UPDATE outbound_items SET status = 'dead', last_error = $2, lease_until = NULL WHERE idempotency_key = $1`,
    [key, error.slice(0, 4000)],
  );
}

/**
 * A dead letter's retry: back to the queue with fresh attempts (post_started_at kept: it may be posted). An
 * item already posted (its link recorded; a Workflows post may have no message id) only retries the
 * write-back: it is never posted again.
 */
export async function requeueItem(pool: Pool, key: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE outbound_items SET status = CASE WHEN message_url IS NULL THEN 'queued' ELSE 'posted' END,
            attempts = 0, writeback_attempts = 0, next_attempt_at = now(), lease_until = NULL
      WHERE idempotency_key = $1 AND status = 'dead'`,
    [key],
  );
  return (rowCount ?? 0) > 0;
}

export async function getItem(pool: Pool, key: string): Promise<OutboundItem | undefined> {
  const { rows } = await pool.query<Row>('SELECT * FROM outbound_items WHERE idempotency_key = $1', [key]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function findItemByMessage(pool: Pool, channelId: string, messageId: string) {
  const { rows } = await pool.query<Row>(
    'SELECT * FROM outbound_items WHERE channel_id = $1 AND message_id = $2 LIMIT 1',
    [channelId, messageId],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}
