/** Builds the transcript pipeline of one replica: intake (webhook), handler and worker, subscription keeper. */
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import type { TaskWriter } from '../salesforce/task-writer.ts';
import type { Database } from '../store/database.ts';
import { ensureQueue } from '../store/queue.ts';
import { AzureOpenAiChat } from './azure-openai.ts';
import { createExtractor } from './extractor.ts';
import { TranscriptHandler } from './handle-transcript.ts';
import { TranscriptIntake } from './intake.ts';
import { TRANSCRIPT_QUEUE } from './job.ts';
import { RecordMatcher } from './record-match.ts';
import { TranscriptSubscriptionKeeper } from './transcript-subscription.ts';
import { TranscriptWorker } from './worker.ts';

export interface TranscriptPipeline {
  intake: TranscriptIntake;
  handler: TranscriptHandler;
  worker: TranscriptWorker | undefined;
  keeper: TranscriptSubscriptionKeeper;
}

export async function createTranscriptPipeline(deps: {
  config: Config;
  db: Database;
  boss: PgBoss;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  directory: SalesforceDirectory;
  writer: TaskWriter;
  logger: Logger;
  baseUrl: () => string;
}): Promise<TranscriptPipeline> {
  const { config } = deps;
  const logger = deps.logger.child({ part: 'transcripts' });
  await ensureQueue(deps.boss, TRANSCRIPT_QUEUE, {
    retryLimit: config.worker.retryLimit,
    retryDelaySeconds: config.worker.retryDelaySeconds,
    expireSeconds: config.worker.expireSeconds,
    maintenanceSeconds: config.worker.maintenanceSeconds,
  });
  const llm = config.transcripts.llm;
  const handler = new TranscriptHandler({
    pool: deps.db.pool,
    graph: deps.graph,
    salesforce: deps.salesforce,
    directory: deps.directory,
    matcher: new RecordMatcher(deps.salesforce, deps.directory),
    extractor: createExtractor(llm ? new AzureOpenAiChat(llm) : undefined),
    writer: deps.writer,
    logger,
    policy: {
      requireMappedOrganizer: config.transcripts.requireMappedOrganizer,
      requireExternalParticipant: config.transcripts.requireExternalParticipant,
      defaultTimeZone: config.transcripts.defaultTimeZone,
      maxBytes: config.transcripts.maxBytes,
      tenantId: config.graph.tenantId,
    },
    claimLeaseSeconds: config.worker.expireSeconds * 2,
  });
  const base = () => deps.baseUrl().replace(/\/+$/, '');
  return {
    intake: new TranscriptIntake(deps.db.ingestPool, deps.boss, logger),
    handler,
    worker:
      config.worker.enabled && config.transcripts.enabled
        ? new TranscriptWorker(
            deps.boss,
            deps.db.pool,
            handler,
            { retryLimit: config.worker.retryLimit, pollMs: config.worker.pollMs },
            logger,
          )
        : undefined,
    keeper: new TranscriptSubscriptionKeeper(
      deps.graph.client,
      deps.db.pool,
      {
        notificationUrl: () => `${base()}/graph/notifications`,
        lifecycleNotificationUrl: () => `${base()}/graph/lifecycle`,
        lifetimeMinutes: config.subscriptions.lifetimeMinutes,
      },
      logger,
    ),
  };
}
