import { Gauge, type Registry } from '@prometheus-io/client';
import type { Pool } from '../store/database.ts';
import { INBOUND_QUEUE, queuedJobCount } from '../store/queue.ts';
import { LIFECYCLE_QUEUE } from '../subscriptions/lifecycle-queue.ts';

interface SubscriptionRow {
  status: string;
  channel_id: string;
  expiration: Date | null;
  heard: Date;
}

interface Snapshot {
  queueDepth: Map<string, number>;
  subscriptions: SubscriptionRow[];
}

export interface ServiceGauges {
  /** Reads the database once now (also run by the timer); a failed read keeps the previous snapshot. */
  refresh(): Promise<void>;
  /** Stops the timer (service close). */
  stop(): void;
}

/**
 * Gauges of the shared state in PostgreSQL (so every replica reports the same): queue depth, subscriptions
 * by status and the nearest expiry, and per channel the seconds since the last notification and whether it
 * is reported silent. A timer reads the database every `refreshMs`; a scrape only reads that snapshot, so
 * scrapes (however many) never query the database. Salesforce API usage is set by the limit tracker.
 */
export function registerServiceGauges(
  registry: Registry,
  deps: { pool: Pool; refreshMs: number; onError?: (err: unknown) => void },
): ServiceGauges {
  let snapshot: Snapshot = { queueDepth: new Map(), subscriptions: [] };
  let running: Promise<void> | undefined;

  const read = async (): Promise<Snapshot> => {
    const queueDepth = new Map<string, number>();
    for (const queue of [INBOUND_QUEUE, LIFECYCLE_QUEUE]) {
      queueDepth.set(queue, await queuedJobCount(deps.pool, queue));
    }
    const result = await deps.pool.query<SubscriptionRow>(
      `SELECT status, channel_id, expiration, GREATEST(created_at, COALESCE(last_notification_at, created_at)) AS heard
       FROM subscriptions`,
    );
    return { queueDepth, subscriptions: result.rows };
  };
  const refresh = () =>
    (running ??= read()
      .then((s) => {
        snapshot = s;
      })
      .catch((err: unknown) => deps.onError?.(err))
      .finally(() => {
        running = undefined;
      }));

  const timer = setInterval(() => void refresh(), deps.refreshMs);
  timer.unref();
  void refresh();

  const registers = [registry];
  new Gauge({
    name: 'teams_bridge_queue_depth',
    help: 'Jobs waiting in the queue (created or retry), by queue',
    labelNames: ['queue'],
    registers,
    collect() {
      for (const queue of [INBOUND_QUEUE, LIFECYCLE_QUEUE]) {
        this.set({ queue }, snapshot.queueDepth.get(queue) ?? 0);
      }
    },
  });
  new Gauge({
    name: 'teams_bridge_subscriptions',
    help: 'Graph subscriptions kept by the service, by status',
    labelNames: ['status'],
    registers,
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const r of snapshot.subscriptions) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      for (const status of ['Active', 'Renewing', 'Silent', 'Removed', 'Error']) {
        this.set({ status }, counts.get(status) ?? 0);
      }
    },
  });
  new Gauge({
    name: 'teams_bridge_subscription_nearest_expiry_seconds',
    help: 'Seconds until the first subscription expires (negative: already expired; absent: none)',
    registers,
    collect() {
      this.reset();
      const times = snapshot.subscriptions.filter((r) => r.expiration).map((r) => r.expiration!.getTime());
      if (times.length > 0) this.set((Math.min(...times) - Date.now()) / 1000);
    },
  });
  new Gauge({
    name: 'teams_bridge_channel_seconds_since_notification',
    help: 'Seconds since the channel last got a notification (or since its subscription started)',
    labelNames: ['channel_id'],
    registers,
    collect() {
      this.reset();
      for (const r of snapshot.subscriptions) {
        this.set({ channel_id: r.channel_id }, (Date.now() - r.heard.getTime()) / 1000);
      }
    },
  });
  new Gauge({
    name: 'teams_bridge_channel_silent',
    help: '1 when a channel is silent longer than configured while its subscription should be live',
    labelNames: ['channel_id'],
    registers,
    collect() {
      this.reset();
      for (const r of snapshot.subscriptions) {
        this.set({ channel_id: r.channel_id }, r.status === 'Silent' ? 1 : 0);
      }
    },
  });

  return {
    refresh,
    stop: () => clearInterval(timer),
  };
}
