/**
 * Each channel's posting mode (`bot`, `workflows` with its sealed webhook URL, or `graph` as the service
 * account) in table channel_posting (migrations 101, 102).
 */
import type { Pool } from '../store/database.ts';
import type { OutboundConfig, PostingMode } from './outbound-config.ts';
import type { SecretBox } from './secret-box.ts';

export type ChannelPosting = { mode: 'bot' } | { mode: 'graph' } | { mode: 'workflows'; webhookUrl: string };

const boundTo = (teamId: string, channelId: string) => `channel_posting:${teamId}:${channelId}`;

export async function setChannelPosting(
  pool: Pool,
  box: SecretBox | undefined,
  target: { teamId: string; channelId: string },
  posting: ChannelPosting,
): Promise<void> {
  let sealed: string | null = null;
  if (posting.mode === 'workflows') {
    if (!box) throw new Error('the Workflows mode needs OUTBOUND_SECRET_KEY set on the service');
    sealed = box.seal(posting.webhookUrl, boundTo(target.teamId, target.channelId));
  }
  await pool.query(
    `INSERT INTO channel_posting (team_id, channel_id, mode, webhook_sealed) VALUES ($1, $2, $3, $4)
     ON CONFLICT (team_id, channel_id) DO UPDATE
       SET mode = EXCLUDED.mode, webhook_sealed = EXCLUDED.webhook_sealed, updated_at = now()`,
    [target.teamId, target.channelId, posting.mode, sealed],
  );
}

/** The mode a channel posts with; a Workflows channel without a key to open its URL throws. */
export async function channelPosting(
  pool: Pool,
  config: Pick<OutboundConfig, 'defaultMode' | 'secretBox'>,
  target: { teamId: string; channelId: string },
): Promise<ChannelPosting | { mode: 'workflows'; webhookUrl: undefined }> {
  const { rows } = await pool.query<{ mode: PostingMode; webhook_sealed: string | null }>(
    'SELECT mode, webhook_sealed FROM channel_posting WHERE team_id = $1 AND channel_id = $2',
    [target.teamId, target.channelId],
  );
  const row = rows[0];
  const mode = row?.mode ?? config.defaultMode;
  if (mode === 'bot' || mode === 'graph') return { mode };
  if (!row?.webhook_sealed) return { mode: 'workflows', webhookUrl: undefined };
  if (!config.secretBox)
    throw new Error('OUTBOUND_SECRET_KEY is not set: the Workflows webhook URL cannot be opened');
  return {
    mode: 'workflows',
    webhookUrl: config.secretBox.open(row.webhook_sealed, boundTo(target.teamId, target.channelId)),
  };
}

/** Whether anything posts as the Graph service account (readiness checks it only then). */
export async function graphModeInUse(
  pool: Pool,
  config: Pick<OutboundConfig, 'defaultMode'>,
): Promise<boolean> {
  if (config.defaultMode === 'graph') return true;
  const { rows } = await pool.query("SELECT 1 FROM channel_posting WHERE mode = 'graph' LIMIT 1");
  return rows.length > 0;
}
