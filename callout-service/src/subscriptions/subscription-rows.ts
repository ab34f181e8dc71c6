import type { Pool } from '../store/database.ts';
import type { SubscriptionRecord } from '../store/subscriptions.ts';

/** A stored subscription with the time it was created (the start of its silence clock). */
export interface SubscriptionRow extends SubscriptionRecord {
  createdAt: Date;
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
  created_at: Date;
}

const fromRow = (r: Row): SubscriptionRow => ({
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
  createdAt: r.created_at,
});

export async function listSubscriptionRows(pool: Pool): Promise<SubscriptionRow[]> {
  const { rows } = await pool.query<Row>('SELECT * FROM subscriptions ORDER BY created_at');
  return rows.map(fromRow);
}

export async function getSubscriptionRow(pool: Pool, id: string): Promise<SubscriptionRow | undefined> {
  const { rows } = await pool.query<Row>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** When the channel last got a notification, or when its subscription started if it never did. */
export function lastHeardFrom(row: SubscriptionRow): Date {
  const notified = row.lastNotificationAt?.getTime() ?? 0;
  return new Date(Math.max(notified, row.createdAt.getTime()));
}
