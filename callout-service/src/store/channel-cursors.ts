import type { Pool } from './database.ts';

/** Per-channel delta cursor for the backfill (the delta link Graph returned last) and last message seen. */
export interface ChannelCursor {
  teamId: string;
  channelId: string;
  deltaLink: string | null;
  lastMessageAt: Date | null;
  updatedAt: Date;
}

export async function getChannelCursor(
  pool: Pool,
  teamId: string,
  channelId: string,
): Promise<ChannelCursor | undefined> {
  const { rows } = await pool.query<{
    team_id: string;
    channel_id: string;
    delta_link: string | null;
    last_message_at: Date | null;
    updated_at: Date;
  }>('SELECT * FROM channel_cursors WHERE team_id = $1 AND channel_id = $2', [teamId, channelId]);
  const r = rows[0];
  return r
    ? {
        teamId: r.team_id,
        channelId: r.channel_id,
        deltaLink: r.delta_link,
        lastMessageAt: r.last_message_at,
        updatedAt: r.updated_at,
      }
    : undefined;
}

export async function saveChannelCursor(
  pool: Pool,
  cursor: { teamId: string; channelId: string; deltaLink?: string | null; lastMessageAt?: Date | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO channel_cursors (team_id, channel_id, delta_link, last_message_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (team_id, channel_id) DO UPDATE SET
       delta_link = COALESCE(EXCLUDED.delta_link, channel_cursors.delta_link),
       last_message_at = GREATEST(channel_cursors.last_message_at, EXCLUDED.last_message_at),
       updated_at = now()`,
    [cursor.teamId, cursor.channelId, cursor.deltaLink ?? null, cursor.lastMessageAt ?? null],
  );
}
