import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { ServiceContext } from './context.ts';
import { GraphAdapter } from './graph/client.ts';
import { ValidationTokenVerifier } from './graph/notifications.ts';
import { InboundHandler, type InboundHooks } from './inbound/handle-message.ts';
import { OwnerResolver } from './inbound/owner.ts';
import { InboundWorker } from './inbound/worker.ts';
import { createLogger, type Logger } from './logger.ts';
import { describeThrown } from './ops/describe-thrown.ts';
import { createMetrics } from './ops/metrics.ts';
import { SalesforceClient } from './salesforce/connection.ts';
import { SalesforceDirectory } from './salesforce/directory.ts';
import { TaskWriter } from './salesforce/task-writer.ts';
import { openDatabase } from './store/database.ts';
import { migrate } from './store/migrations.ts';
import { startQueue } from './store/queue.ts';
import { ReadinessProbe, serviceChecks } from './ops/health.ts';
import { registerServiceGauges } from './ops/service-gauges.ts';
import { createRenewableGraphCredential } from './graph/credential.ts';
import { createSubscriptionManager } from './subscriptions/create-manager.ts';
import { ensureLifecycleQueue } from './subscriptions/lifecycle-queue.ts';
import { startOutbound, type OutboundHooks } from './outbound/start-outbound.ts';
import { loadOutboundConfig, type OutboundConfig } from './outbound/outbound-config.ts';
import { loadAppInstallConfig, type AppInstallConfig } from './outbound/app-install-config.ts';
import { teamsAppReadiness } from './outbound/app-install-status.ts';
import { createTranscriptPipeline } from './transcripts/create-pipeline.ts';
import { serviceAccountReadiness } from './outbound/graph-delegated/readiness.ts';

export interface StartOptions {
  logger?: Logger;
  hooks?: InboundHooks;
  /** The Salesforce -> Teams pipeline's settings (default: from the environment). */
  outbound?: OutboundConfig;
  outboundHooks?: OutboundHooks;
  /** Installing the Teams app in linked teams through Graph (default: from the environment). */
  appInstall?: AppInstallConfig;
}

export interface RunningService {
  url: string;
  context: ServiceContext;
  /** Graceful stop: no new requests, in-flight jobs finished or handed back, Tasks flushed, database closed. */
  close(): Promise<void>;
  /** Test seam: drop everything like a crashed process would (jobs stay active in the queue). */
  crash(): Promise<void>;
}

/** Starts database, queue, worker and HTTP server in this process. */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    embeddedPort: config.database.embeddedPort,
    logger,
  });
  let boss: Awaited<ReturnType<typeof startQueue>> | undefined;
  try {
    await migrate(db.pool);
    boss = await startQueue(
      db.url,
      {
        retryLimit: config.worker.retryLimit,
        retryDelaySeconds: config.worker.retryDelaySeconds,
        expireSeconds: config.worker.expireSeconds,
        maintenanceSeconds: config.worker.maintenanceSeconds,
      },
      logger,
    );
    await ensureLifecycleQueue(boss);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }

  const graph = new GraphAdapter(config.graph, createRenewableGraphCredential(config.graph), metrics);
  const salesforce = new SalesforceClient(config.salesforce, logger, metrics);
  const directory = new SalesforceDirectory(salesforce, logger, {
    rulesRefreshSeconds: config.salesforce.rulesRefreshSeconds,
    lookupCacheSeconds: config.salesforce.lookupCacheSeconds,
  });
  const taskWriter = new TaskWriter(salesforce, config.tasks, logger, metrics);
  const inboundHandler = new InboundHandler({
    pool: db.pool,
    graph,
    directory,
    owners: new OwnerResolver(directory, graph, logger, config.salesforce.lookupCacheSeconds),
    writer: taskWriter,
    limits: salesforce.limits,
    logger,
    metrics,
    // Another delivery's claim is respected for as long as its job could still be running.
    claimLeaseSeconds: config.worker.expireSeconds * 2,
    hooks: options.hooks,
  });
  const inboundWorker = config.worker.enabled
    ? new InboundWorker(
        boss,
        db.pool,
        inboundHandler,
        salesforce.limits,
        config.worker,
        logger,
        metrics,
        () => salesforce.probeLimit(),
      )
    : undefined;
  const notificationVerifier = new ValidationTokenVerifier(
    config.graph.jwksUrl,
    config.graph.validationTokenIssuer,
    config.graph.clientId,
  );

  // Graph calls back PUBLIC_BASE_URL, else the address this process listens on (known after listen).
  let publicUrl = config.publicBaseUrl;
  const transcripts = config.transcripts.enabled
    ? await createTranscriptPipeline({
        config,
        db,
        boss,
        graph,
        salesforce,
        directory,
        writer: taskWriter,
        logger,
        baseUrl: () => publicUrl ?? '',
      })
    : undefined;
  const subscriptionManager = createSubscriptionManager({
    config,
    db,
    boss,
    graph,
    salesforce,
    logger,
    metrics,
    baseUrl: () => publicUrl ?? '',
    onQueued: () => inboundWorker?.notify(),
    transcripts: transcripts?.keeper,
  });
  const readiness = new ReadinessProbe(
    serviceChecks({
      pool: db.pool,
      entraMetadataUrl: `${config.graph.authorityHost}/${encodeURIComponent(config.graph.tenantId)}/v2.0/.well-known/openid-configuration`,
      graph,
      salesforce,
      salesforceTrustMs: config.readiness.trustSeconds * 1000,
    }),
    config.readiness.cacheSeconds * 1000,
    {
      // Late-bound: the outbound side is built below; readiness is first asked once the service runs.
      graphServiceAccount: () => serviceAccountReadiness(db.pool, outbound.config, outbound.serviceAccount),
      teamsApp: () => teamsAppReadiness(db.pool),
    },
  );
  const serviceGauges = registerServiceGauges(metrics.registry, {
    pool: db.pool,
    refreshMs: config.metrics.refreshSeconds * 1000,
    onError: (err) => logger.warn({ err }, 'service gauges not refreshed'),
  });
  const outbound = await startOutbound({
    config: options.outbound ?? loadOutboundConfig(process.env),
    graphConfig: config.graph,
    pool: db.pool,
    boss,
    graph,
    salesforce,
    directory,
    logger,
    bodyLimit: config.api.bodyLimit,
    queueOptions: {
      retryLimit: config.worker.retryLimit,
      retryDelaySeconds: config.worker.retryDelaySeconds,
      expireSeconds: config.worker.expireSeconds,
      maintenanceSeconds: config.worker.maintenanceSeconds,
    },
    hooks: options.outboundHooks,
    appInstall: options.appInstall ?? loadAppInstallConfig(process.env),
  });

  const context: ServiceContext = {
    config,
    logger,
    metrics,
    db,
    boss,
    graph,
    salesforce,
    directory,
    taskWriter,
    inboundHandler,
    inboundWorker,
    notificationVerifier,
    subscriptionManager,
    readiness,
    outbound,
    transcripts,
  };

  const server: Server = createServer(
    {
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      keepAliveTimeout: 65_000,
      connectionsCheckingInterval: 5_000,
    },
    createApp(context),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  inboundWorker?.start();
  outbound.worker?.start();
  outbound.installer?.start();
  await transcripts?.worker?.start();
  publicUrl ??= url;
  if (config.subscriptions.enabled) subscriptionManager.start();
  logger.info({ url, worker: config.worker.enabled, embeddedDatabase: !!db.embedded }, 'service started');

  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  let closing: Promise<void> | undefined;

  return {
    url,
    context,
    close() {
      closing ??= (async () => {
        logger.info('shutting down');
        serviceGauges.stop();
        const timeout = config.http.shutdownTimeoutMs;
        const httpClosed = closeServer();
        const forceClose = setTimeout(() => server.closeAllConnections(), timeout).unref();
        // Jobs still running get their Tasks sent at once rather than after the batching delay.
        await outbound.worker?.stop(timeout);
        await outbound.installer?.stop();
        await inboundWorker?.stop(timeout, () => taskWriter.flush());
        await transcripts?.worker?.stop();
        await taskWriter.flush();
        await httpClosed;
        clearTimeout(forceClose);
        await subscriptionManager.stop();
        await boss!.stop({ graceful: true, timeout: Math.max(timeout, 1000) });
        await db.close();
        logger.info('stopped');
      })();
      return closing;
    },
    async crash() {
      inboundWorker?.abandon();
      outbound.worker?.abandon();
      await outbound.installer?.stop();
      serviceGauges.stop();
      server.closeAllConnections();
      await closeServer();
      await subscriptionManager.stop();
      await boss!.stop({ graceful: false, timeout: 1000 });
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const service = await startService(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`failed to start: ${describeThrown(err)}\n`);
    process.exit(1);
  });
}
