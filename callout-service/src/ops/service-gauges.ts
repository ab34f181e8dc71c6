import type { PgBoss } from 'pg-boss';
import { Gauge, type Registry } from '@prometheus-io/client';
import type { Pool } from '../store/database.ts';
import { INBOUND_QUEUE, queuedJobCount } from '../store/queue.ts';
import { LIFECYCLE_QUEUE } from '../subscriptions/lifecycle-queue.ts';

/**
 * Gauges read from PostgreSQL when /metrics is scraped (so every replica reports the same shared state):
 * queue depth, subscriptions by status and the nearest expiry, and per channel the seconds since the last
 * notification and whether it is reported silent. Salesforce API usage is set by the limit tracker.
 */
export function registerServiceGauges(registry: Registry, deps: { pool: Pool; boss: PgBoss }): void {
  const registers = [registry];
  new Gauge({
    name: 'teams_bridge_queue_depth',
    help: 'Jobs waiting in the queue (created or retry), by queue',
    labelNames: ['queue'],
    registers,
    async collect() {
      for (const queue of [INBOUND_QUEUE, LIFECYCLE_QUEUE]) {
        this.set({ queue }, await queuedJobCount(deps.pool, queue).catch(() => 0));
      }
    },
  });

  let rows: { status: string; channel_id: string; expiration: Date | null; heard: Date }[] = [];
  let readAt = 0;
  // One query feeds the four subscription gauges of a scrape.
  const read = async () => {
    if (Date.now() - readAt < 1000) return rows;
    const result = await deps.pool.query<(typeof rows)[number]>(
      `SELECT status, channel_id, expiration, GREATEST(created_at, COALESCE(last_notification_at, created_at)) AS heard
       FROM subscriptions`,
    );
    rows = result.rows;
    readAt = Date.now();
    return rows;
  };

  new Gauge({
    name: 'teams_bridge_subscriptions',
    help: 'Graph subscriptions kept by the service, by status',
    labelNames: ['status'],
    registers,
    async collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const r of await read()) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      for (const status of ['Active', 'Renewing', 'Silent', 'Removed', 'Error']) {
        this.set({ status }, counts.get(status) ?? 0);
      }
    },
  });
  new Gauge({
    name: 'teams_bridge_subscription_nearest_expiry_seconds',
    help: 'Seconds until the first subscription expires (negative: already expired; absent: none)',
    registers,
    async collect() {
      this.reset();
      const times = (await read()).filter((r) => r.expiration).map((r) => r.expiration!.getTime());
      if (times.length > 0) this.set((Math.min(...times) - Date.now()) / 1000);
    },
  });
  new Gauge({
    name: 'teams_bridge_channel_seconds_since_notification',
    help: 'Seconds since the channel last got a notification (or since its subscription started)',
    labelNames: ['channel_id'],
    registers,
    async collect() {
      this.reset();
      for (const r of await read()) {
        this.set({ channel_id: r.channel_id }, (Date.now() - r.heard.getTime()) / 1000);
      }
    },
  });
  new Gauge({
    name: 'teams_bridge_channel_silent',
    help: '1 when a channel is silent longer than configured while its subscription should be live',
    labelNames: ['channel_id'],
    registers,
    async collect() {
      this.reset();
      for (const r of await read()) this.set({ channel_id: r.channel_id }, r.status === 'Silent' ? 1 : 0);
    },
  });
}
