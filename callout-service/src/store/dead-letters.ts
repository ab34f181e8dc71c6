import type { PgBoss } from 'pg-boss';
import type { Pool } from './database.ts';

/**
 * Jobs that failed for good, kept with their error so an admin can list and retry them (GET /v1/dead-letters,
 * POST /v1/dead-letters/{id}/retry). A requeued job keeps its payload, including its delivery id, so it takes
 * back its own idempotency claims.
 */
export interface DeadLetter {
  id: string;
  queue: string;
  jobId: string | null;
  error: string;
  payload: unknown;
  failedAt: string;
  attempts: number;
  requeuedAt: string | null;
}

interface Row {
  id: string;
  queue: string;
  job_id: string | null;
  error: string;
  payload: unknown;
  failed_at: Date;
  attempts: number;
  requeued_at: Date | null;
}

const fromRow = (r: Row): DeadLetter => ({
  id: r.id,
  queue: r.queue,
  jobId: r.job_id,
  error: r.error,
  payload: r.payload,
  failedAt: r.failed_at.toISOString(),
  attempts: r.attempts,
  requeuedAt: r.requeued_at ? r.requeued_at.toISOString() : null,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function recordDeadLetter(
  pool: Pool,
  letter: { queue: string; jobId: string | null; payload: unknown; error: string; attempts: number },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO dead_letters (queue, job_id, payload, error, attempts) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      letter.queue,
      letter.jobId,
      JSON.stringify(letter.payload),
      letter.error.slice(0, 32000),
      letter.attempts,
    ],
  );
  return rows[0]!.id;
}

/** Open dead letters (not yet requeued), newest first. */
export async function listDeadLetters(
  pool: Pool,
  options: { limit?: number; offset?: number } = {},
): Promise<{ items: DeadLetter[]; total: number }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const offset = Math.max(options.offset ?? 0, 0);
  const [items, total] = await Promise.all([
    pool.query<Row>(
      `SELECT * FROM dead_letters WHERE requeued_at IS NULL ORDER BY failed_at DESC, id LIMIT $1 OFFSET $2`,
      [limit, offset],
    ),
    pool.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters WHERE requeued_at IS NULL'),
  ]);
  return { items: items.rows.map(fromRow), total: Number(total.rows[0]?.n ?? 0) };
}

export async function getDeadLetter(pool: Pool, id: string): Promise<DeadLetter | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await pool.query<Row>('SELECT * FROM dead_letters WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export type RequeueResult =
  { requeued: true; jobId: string } | { requeued: false; reason: 'not-found' | 'already' };

/**
 * Sends the dead letter's payload back to its queue and marks it requeued, in one transaction with the mark
 * (pg-boss writes through the same client), so a retry is neither lost nor sent twice.
 */
export async function requeueDeadLetter(pool: Pool, boss: PgBoss, id: string): Promise<RequeueResult> {
  if (!UUID.test(id)) return { requeued: false, reason: 'not-found' };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<Row>('SELECT * FROM dead_letters WHERE id = $1 FOR UPDATE', [id]);
    const row = rows[0];
    if (!row) {
      await client.query('ROLLBACK');
      return { requeued: false, reason: 'not-found' };
    }
    if (row.requeued_at) {
      await client.query('ROLLBACK');
      return { requeued: false, reason: 'already' };
    }
    const db = {
      executeSql: async (text: string, values?: unknown[]) => await client.query(text, values as unknown[]),
    };
    const jobId = await boss.send(row.queue, row.payload as object, { db });
    if (!jobId) throw new Error(`pg-boss did not accept the job for queue ${row.queue}`);
    await client.query('UPDATE dead_letters SET requeued_at = now() WHERE id = $1', [id]);
    await client.query('COMMIT');
    return { requeued: true, jobId };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
