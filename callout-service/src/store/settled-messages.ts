import type { Pool } from './database.ts';

/**
 * Messages the inbound handler has finished with: each rule that matched has its Task written, or none
 * matched, or the message is not one to turn into Tasks (deleted, a system or bot message). A repeated
 * `created` notification for such a message (Graph delivers at least once, and floods of redeliveries follow
 * an outage) is answered from here with one primary-key lookup instead of a Graph fetch and the rules. Edits
 * (`updated`) are always evaluated again. A message with a rule held back above the API threshold, or a Task
 * still being written, is not settled until that is done.
 */
export interface MessageRef {
  teamId: string;
  channelId: string;
  messageId: string;
}

export async function isSettled(pool: Pool, m: MessageRef): Promise<boolean> {
  const { rowCount } = await pool.query(
    'SELECT 1 FROM settled_messages WHERE team_id = $1 AND channel_id = $2 AND message_id = $3',
    [m.teamId, m.channelId, m.messageId],
  );
  return (rowCount ?? 0) > 0;
}

export async function markSettled(pool: Pool, m: MessageRef): Promise<void> {
  await pool.query(
    `INSERT INTO settled_messages (team_id, channel_id, message_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [m.teamId, m.channelId, m.messageId],
  );
}

/** Forgets messages settled more than `days` ago, with their written keys (pruneProcessedKeys). */
export async function pruneSettledMessages(pool: Pool, days: number): Promise<number> {
  const { rowCount } = await pool.query(
    'DELETE FROM settled_messages WHERE settled_at < now() - make_interval(days => $1)',
    [days],
  );
  return rowCount ?? 0;
}
