import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { Database } from '../store/database.ts';
import { DeltaBackfill } from './delta-backfill.ts';
import { GraphSubscriptions } from './graph-subscriptions.ts';
import { LeaderLease } from './leader-lease.ts';
import { SubscriptionMirror } from './salesforce-mirror.ts';
import { SubscriptionManager } from './subscription-manager.ts';

/** Builds the subscription manager of one replica from the service's parts. */
export function createSubscriptionManager(deps: {
  config: Config;
  db: Database;
  boss: PgBoss;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  logger: Logger;
  metrics: Metrics;
  /** The base URL Graph calls back (PUBLIC_BASE_URL, else the address the service listens on). */
  baseUrl: () => string;
  /** Wakes the inbound worker after the backfill queued messages. */
  onQueued?: () => void;
  /** The tenant transcript subscription, kept alive on the same leader beat. */
  transcripts?: { keepAlive(now?: Date): Promise<unknown> };
}): SubscriptionManager {
  const logger = deps.logger.child({ part: 'subscriptions' });
  const graph = new GraphSubscriptions(deps.graph.client, deps.metrics);
  const s = deps.config.subscriptions;
  return new SubscriptionManager(
    {
      pool: deps.db.pool,
      boss: deps.boss,
      graph,
      salesforce: deps.salesforce,
      lease: new LeaderLease(deps.db.url, logger),
      backfill: new DeltaBackfill({
        pool: deps.db.pool,
        boss: deps.boss,
        graph,
        logger,
        metrics: deps.metrics,
        onQueued: deps.onQueued,
      }),
      mirror: new SubscriptionMirror(deps.salesforce, logger),
      logger,
      transcripts: deps.transcripts,
    },
    {
      notificationUrl: () => `${deps.baseUrl().replace(/\/+$/, '')}/graph/notifications`,
      lifecycleNotificationUrl: () => `${deps.baseUrl().replace(/\/+$/, '')}/graph/lifecycle`,
      lifetimeMinutes: s.lifetimeMinutes,
      renewBeforeMinutes: s.renewBeforeMinutes,
      reconcileSeconds: s.reconcileSeconds,
      backfillSeconds: s.backfillSeconds,
      silentAfterMinutes: s.silentAfterMinutes,
      tickMs: s.tickMs,
    },
  );
}
