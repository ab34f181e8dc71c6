import type { PgBoss } from 'pg-boss';
import type { Config } from './config.ts';
import type { GraphAdapter } from './graph/client.ts';
import type { ValidationTokenVerifier } from './graph/notifications.ts';
import type { InboundHandler } from './inbound/handle-message.ts';
import type { InboundWorker } from './inbound/worker.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './ops/metrics.ts';
import type { SalesforceClient } from './salesforce/connection.ts';
import type { SalesforceDirectory } from './salesforce/directory.ts';
import type { TaskWriter } from './salesforce/task-writer.ts';
import type { Database } from './store/database.ts';
import type { ReadinessProbe } from './ops/health.ts';
import type { SubscriptionManager } from './subscriptions/subscription-manager.ts';
import type { Outbound } from './outbound/start-outbound.ts';
import type { TranscriptPipeline } from './transcripts/create-pipeline.ts';

/** Everything a route, job or check needs, built once by startService. */
export interface ServiceContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  boss: PgBoss;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  directory: SalesforceDirectory;
  taskWriter: TaskWriter;
  inboundHandler: InboundHandler;
  /** Absent when WORKER_ENABLED=false (a webhook-only replica). */
  inboundWorker: InboundWorker | undefined;
  notificationVerifier: ValidationTokenVerifier;
  /** Built on every replica; runs (leader-elected) only when SUBSCRIPTIONS_ENABLED. */
  subscriptionManager: SubscriptionManager;
  readiness: ReadinessProbe;
  /** The Salesforce -> Teams direction: bot, posting worker, limiter. */
  outbound: Outbound;
  /** Meeting transcripts to Tasks; absent when TRANSCRIPTS_ENABLED=false. */
  transcripts: TranscriptPipeline | undefined;
}
