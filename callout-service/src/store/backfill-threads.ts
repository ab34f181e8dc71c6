import type { Pool } from './database.ts';

/** Root messages whose replies the backfill lists (Graph's delta carries no replies). */
export interface BackfillThread {
  messageId: string;
  rootCreatedAt: Date;
  /** Replies older than this are history (the channel was not watched yet). */
  watchFrom: Date;
}

export async function watchThreads(
  pool: Pool,
  teamId: string,
  channelId: string,
  threads: BackfillThread[],
): Promise<void> {
  if (threads.length === 0) return;
  await pool.query(
    `INSERT INTO backfill_threads (team_id, channel_id, message_id, root_created_at, watch_from)
     SELECT $1, $2, t.id, t.created, t.watch FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[])
       AS t(id, created, watch)
     ON CONFLICT (team_id, channel_id, message_id) DO NOTHING`,
    [
      teamId,
      channelId,
      threads.map((t) => t.messageId),
      threads.map((t) => t.rootCreatedAt),
      threads.map((t) => t.watchFrom),
    ],
  );
}

/** Threads whose root is younger than `since`, plus the named ones (roots that changed this round). */
export async function threadsToScan(
  pool: Pool,
  teamId: string,
  channelId: string,
  since: Date,
  changed: string[],
): Promise<BackfillThread[]> {
  const { rows } = await pool.query<{ message_id: string; root_created_at: Date; watch_from: Date }>(
    `SELECT message_id, root_created_at, watch_from FROM backfill_threads
     WHERE team_id = $1 AND channel_id = $2 AND (root_created_at >= $3 OR message_id = ANY($4::text[]))
     ORDER BY root_created_at`,
    [teamId, channelId, since, changed],
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    rootCreatedAt: r.root_created_at,
    watchFrom: r.watch_from,
  }));
}

export async function forgetThreads(
  pool: Pool,
  teamId: string,
  channelId: string,
  before: Date,
  gone: string[] = [],
): Promise<void> {
  await pool.query(
    `DELETE FROM backfill_threads WHERE team_id = $1 AND channel_id = $2
       AND (root_created_at < $3 OR message_id = ANY($4::text[]))`,
    [teamId, channelId, before, gone],
  );
}
