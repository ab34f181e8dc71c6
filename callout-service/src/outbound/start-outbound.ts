/** Builds the Salesforce -> Teams direction: the bot, the shared limiter, the posting worker, dead-letter retry. */
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import type { Pool } from '../store/database.ts';
import { ensureQueue, type QueueOptions } from '../store/queue.ts';
import { acceptHandoff } from './accept-handoff.ts';
import type { AppInstallConfig } from './app-install-config.ts';
import { AppInstaller } from './app-installer.ts';
import { TeamsBot } from './bot.ts';
import type { OutboundConfig } from './outbound-config.ts';
import { requeueItem } from './outbound-rows.ts';
import { PostLimiter } from './post-limiter.ts';
import { OUTBOUND_DEAD_LETTER_QUEUE, OutboundWorker, type OutboundHooks } from './worker.ts';
import { GraphServiceAccount } from './graph-delegated/service-account.ts';

export type { OutboundHooks } from './worker.ts';

export interface Outbound {
  config: OutboundConfig;
  bot: TeamsBot;
  limiter: PostLimiter;
  /** Absent when OUTBOUND_ENABLED=false. */
  worker: OutboundWorker | undefined;
  /** The `graph` mode's delegated account; absent without OUTBOUND_SECRET_KEY (it seals the cache). */
  serviceAccount: GraphServiceAccount | undefined;
  /** Where the service account posts: GRAPH_BASE_URL and the tenant, for message links. */
  graphBaseUrl: string;
  tenantId: string;
  /** Surveys linked teams for the app and installs it through Graph; absent when OUTBOUND_ENABLED=false. */
  installer: AppInstaller | undefined;
}

export function createServiceAccount(
  config: OutboundConfig,
  graphConfig: Config['graph'],
  pool: Pool,
): GraphServiceAccount | undefined {
  if (!config.secretBox) return undefined;
  return new GraphServiceAccount(pool, config.secretBox, {
    tenantId: graphConfig.tenantId,
    clientId: config.serviceAccount.clientId ?? graphConfig.clientId,
    authorityHost: graphConfig.authorityHost,
    warnDays: config.serviceAccount.warnDays,
  });
}

export async function startOutbound(deps: {
  config: OutboundConfig;
  graphConfig: Config['graph'];
  pool: Pool;
  boss: PgBoss;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  directory: SalesforceDirectory;
  logger: Logger;
  bodyLimit: string;
  queueOptions: QueueOptions;
  hooks?: OutboundHooks;
  appInstall: AppInstallConfig;
}): Promise<Outbound> {
  const logger = deps.logger.child({ component: 'outbound' });
  const bot: TeamsBot = new TeamsBot({
    graph: deps.graphConfig,
    bot: deps.config.bot,
    pool: deps.pool,
    logger,
    bodyLimit: deps.bodyLimit,
    onCardAction: async (activity) =>
      await acceptHandoff(
        {
          pool: deps.pool,
          bot: (): TeamsBot => bot,
          salesforce: deps.salesforce,
          directory: deps.directory,
          changeOwner: deps.config.acceptChangesOwner,
          logger,
        },
        activity,
      ),
  });
  await bot.start();
  const limiter = new PostLimiter(deps.pool);
  const serviceAccount = createServiceAccount(deps.config, deps.graphConfig, deps.pool);
  const installer = deps.config.enabled
    ? new AppInstaller({
        pool: deps.pool,
        graph: deps.graph,
        salesforce: deps.salesforce,
        config: deps.config,
        install: deps.appInstall,
        logger,
      })
    : undefined;
  const worker = deps.config.enabled
    ? new OutboundWorker({
        pool: deps.pool,
        bot,
        graph: deps.graph,
        salesforce: deps.salesforce,
        limiter,
        config: deps.config,
        tenantId: deps.graphConfig.tenantId,
        logger,
        hooks: deps.hooks,
        serviceAccount,
        graphBaseUrl: deps.graphConfig.baseUrl,
        onNotInstalled: () => installer?.wake(),
      })
    : undefined;
  // A dead letter's retry (POST /v1/dead-letters/{id}/retry) arrives as a job here: the item is queued again.
  await ensureQueue(deps.boss, OUTBOUND_DEAD_LETTER_QUEUE, deps.queueOptions);
  await deps.boss.work<{ idempotencyKey: string }>(OUTBOUND_DEAD_LETTER_QUEUE, async (jobs) => {
    for (const job of jobs) await requeueItem(deps.pool, job.data.idempotencyKey);
    worker?.notify();
  });
  return {
    config: deps.config,
    bot,
    limiter,
    worker,
    installer,
    serviceAccount,
    graphBaseUrl: deps.graphConfig.baseUrl,
    tenantId: deps.graphConfig.tenantId,
  };
}
