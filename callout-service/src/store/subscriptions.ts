import type { Pool } from './database.ts';

/** A Graph subscription as the service keeps it (the clientState secret never leaves the database and memory). */
export interface SubscriptionRecord {
  id: string;
  resource: string;
  teamId: string;
  channelId: string;
  channelLinkId: string | null;
  clientState: string;
  expiration: Date | null;
  status: string;
  lastNotificationAt: Date | null;
  lastError: string | null;
}

interface Row {
  id: string;
  resource: string;
  team_id: string;
  channel_id: string;
  channel_link_id: string | null;
  client_state: string;
  expiration: Date | null;
  status: string;
  last_notification_at: Date | null;
  last_error: string | null;
}

const fromRow = (r: Row): SubscriptionRecord => ({
  id: r.id,
  resource: r.resource,
  teamId: r.team_id,
  channelId: r.channel_id,
  channelLinkId: r.channel_link_id,
  clientState: r.client_state,
  expiration: r.expiration,
  status: r.status,
  lastNotificationAt: r.last_notification_at,
  lastError: r.last_error,
});

export async function saveSubscription(
  pool: Pool,
  s: Omit<SubscriptionRecord, 'lastNotificationAt' | 'lastError' | 'status'> & {
    status?: string;
    lastError?: string | null;
  },
): Promise<void> {
  await pool.query(
    `INSERT INTO subscriptions (id, resource, team_id, channel_id, channel_link_id, client_state, expiration, status, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET resource = EXCLUDED.resource, team_id = EXCLUDED.team_id,
       channel_id = EXCLUDED.channel_id, channel_link_id = EXCLUDED.channel_link_id,
       client_state = EXCLUDED.client_state, expiration = EXCLUDED.expiration, status = EXCLUDED.status,
       last_error = EXCLUDED.last_error, updated_at = now()`,
    [
      s.id,
      s.resource,
      s.teamId,
      s.channelId,
      s.channelLinkId,
      s.clientState,
      s.expiration,
      s.status ?? 'Active',
      s.lastError ?? null,
    ],
  );
}

export async function getSubscription(pool: Pool, id: string): Promise<SubscriptionRecord | undefined> {
  const { rows } = await pool.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** One round trip for the subscriptions named in a notification batch. */
export async function getSubscriptions(pool: Pool, ids: string[]): Promise<Map<string, SubscriptionRecord>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<Row>('SELECT * FROM subscriptions WHERE id = ANY($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.id, fromRow(r)]));
}

export async function listSubscriptions(pool: Pool): Promise<SubscriptionRecord[]> {
  const { rows } = await pool.query<Row>('SELECT * FROM subscriptions ORDER BY created_at');
  return rows.map(fromRow);
}

export async function updateSubscriptionStatus(
  pool: Pool,
  id: string,
  fields: { status?: string; expiration?: Date | null; lastError?: string | null },
): Promise<void> {
  await pool.query(
    `UPDATE subscriptions SET status = COALESCE($2, status),
       expiration = CASE WHEN $3::boolean THEN $4 ELSE expiration END,
       last_error = CASE WHEN $5::boolean THEN $6 ELSE last_error END, updated_at = now()
     WHERE id = $1`,
    [
      id,
      fields.status ?? null,
      'expiration' in fields,
      fields.expiration ?? null,
      'lastError' in fields,
      fields.lastError ?? null,
    ],
  );
}

export async function deleteSubscription(pool: Pool, id: string): Promise<void> {
  await pool.query('DELETE FROM subscriptions WHERE id = $1', [id]);
}

export async function markNotified(pool: Pool, ids: string[], at: Date = new Date()): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE subscriptions SET last_notification_at = GREATEST(COALESCE(last_notification_at, $2), $2)
     WHERE id = ANY($1::text[])`,
    [ids, at],
  );
}
