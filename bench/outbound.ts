/**
 * Outbound benchmark (`npm run bench:outbound`): handoff items sent to the service's `POST /v1/outbound`
 * become cards posted by the bot through the Bot Framework stand-in, with the stand-in enforcing Teams'
 * documented bot limits (per thread 7/1 s, 8/2 s, 60/30 s, 1,800/h; per app per tenant 50/s).
 *
 *   1. acceptance: BENCH_ITEMS (default 1000) items in batches of BENCH_BATCH (default 200), BENCH_PARALLEL
 *      (default 4) requests at a time -> items/s accepted, p99 latency of an accepting request;
 *   2. posting: the items are spread over BENCH_CHANNELS (default 40) linked channels, so the app limit,
 *      not the thread limits, bounds the rate -> posts/s and its ratio to the documented 50/s, 429s the
 *      stand-in answered, p95 time from acceptance to the card, duplicates (must be 0) and lost items.
 * The service runs in this process on an embedded PostgreSQL of its own. The last line is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { startSalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import { loadConfig } from '../callout-service/src/config.ts';
import { startService } from '../callout-service/src/main.ts';
import { cardMarker } from '../callout-service/src/outbound/card.ts';
import { loadOutboundConfig } from '../callout-service/src/outbound/outbound-config.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 4);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 40);
const APP_LIMIT_PER_SECOND = 50;
const TEAM = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const work = mkdtempSync(join(tmpdir(), 'bench-outbound-'));
const [graph, sf] = await Promise.all([
  startGraphEmulator({ port: 0 }),
  startSalesforceEmulator({ port: 0, projectDir: repoRoot }),
]);
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATA_DIR: join(work, 'data'),
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
  SUBSCRIPTIONS_ENABLED: 'false',
  TEAMS_BRIDGE_JWT_CERTIFICATE: sf.calloutSigner.certificatePem,
});
const service = await startService(config, {
  outbound: loadOutboundConfig({
    GRAPH_AUTHORITY_HOST: graph.authorityHost,
    BOT_OPENID_METADATA_URL: graph.botFramework.openIdMetadataUrl,
    BOT_SERVICE_URL: graph.botFramework.serviceUrl,
    OUTBOUND_CONCURRENCY: '64',
    OUTBOUND_POLL_MS: '50',
  }),
});
const pool = service.context.db.pool;
try {
  graph.control.setBotEndpoint({ url: `${service.url}/api/messages` });
  await graph.control.installBot({ teamId: TEAM });
  // One Opportunity and one linked channel per thread.
  const records: string[] = [];
  for (let i = 0; i < CHANNELS; i++) {
    const channel = graph.control.addChannel({ teamId: TEAM, displayName: `Bench ${i}` });
    const [opportunityId] = sf.control.seed('Opportunity', [
      { Name: `Bench deal ${i}`, StageName: 'Qualification', CloseDate: '2026-12-31', Amount: 1000 + i },
    ]);
    sf.control.seed('Teams_Channel_Link__c', {
      Name: `Bench ${i}`,
      Opportunity__c: opportunityId,
      Team_Id__c: TEAM,
      Channel_Id__c: channel.id,
      Status__c: 'Active',
    });
    records.push(opportunityId!);
  }
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    idempotencyKey: randomUUID(),
    kind: 'OpportunityHandoff',
    recordId: records[i % records.length]!,
    payload: {
      name: `Bench deal ${i % records.length}`,
      amount: 1000,
      currencyIsoCode: 'USD',
      stageName: 'Qualification',
    },
  }));

  log(`phase 1: ${ITEMS} items in batches of ${BATCH}, ${PARALLEL} requests at a time`);
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < batches.length) {
        const body = JSON.stringify({ items: batches[next++] });
        const t0 = performance.now();
        const answer = await fetch(`${service.url}/v1/outbound`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await sf.calloutSigner.authorization()) },
          body,
        });
        latencies.push(performance.now() - t0);
        if (answer.status !== 202)
          throw new Error(`acceptance answered ${answer.status}: ${await answer.text()}`);
      }
    }),
  );
  const acceptSeconds = (performance.now() - started) / 1000;
  const itemsPerSecond = ITEMS / acceptSeconds;
  log(
    `  accepted ${ITEMS} in ${round(acceptSeconds, 2)} s: ${round(itemsPerSecond)} items/s, p99 request ${round(percentile(latencies, 99))} ms`,
  );

  log(`phase 2: posting over ${CHANNELS} channels under the stand-in's limits`);
  const keys = items.map((i) => i.idempotencyKey);
  const deadline = Date.now() + Math.max(60_000, (ITEMS / 40) * 1000 * 3);
  let done = 0;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbound_items WHERE idempotency_key = ANY($1) AND status IN ('done', 'dead')`,
      [keys],
    );
    done = rows[0]!.n;
    if (done >= ITEMS) break;
    await sleep(250);
  }
  const { rows: timing } = await pool.query<{ first: Date; last: Date; lags: number[]; dead: number }>(
    `SELECT min(posted_at) AS first, max(posted_at) AS last,
            array_agg(extract(epoch FROM (posted_at - received_at)) * 1000) FILTER (WHERE posted_at IS NOT NULL) AS lags,
            count(*) FILTER (WHERE status = 'dead')::int AS dead
       FROM outbound_items WHERE idempotency_key = ANY($1)`,
    [keys],
  );
  const t = timing[0]!;
  const postSeconds = (t.last.getTime() - t.first.getTime()) / 1000 || 1;
  const posted = (t.lags ?? []).length;
  const postsPerSecond = posted / postSeconds;
  const connectorCalls = graph.control.requests({ pathContains: '/botframework/teams/v3/' });
  const throttled = connectorCalls.filter((r) => r.status === 429).length;
  const markerCounts = new Map<string, number>();
  const markers = new Map(keys.map((k) => [cardMarker(k), k]));
  for (const channelId of new Set(
    graph.control
      .state()
      .teams.find((x) => x.id === TEAM)!
      .channels.map((c) => c.id),
  )) {
    for (const m of graph.control.messages({ teamId: TEAM, channelId })) {
      const content = m.attachments[0]?.content ?? '';
      const match = /teams-bridge-[0-9a-f]{32}/.exec(String(content));
      if (match && markers.has(match[0])) markerCounts.set(match[0], (markerCounts.get(match[0]) ?? 0) + 1);
    }
  }
  const duplicates = [...markerCounts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  const lost = ITEMS - markerCounts.size;
  const p95 = percentile(t.lags ?? [], 95);
  log(
    `  ${posted} posted in ${round(postSeconds, 2)} s: ${round(postsPerSecond)} posts/s = ${round(postsPerSecond / APP_LIMIT_PER_SECOND, 2)} of the documented 50/s per app`,
  );
  log(
    `  429s from the stand-in: ${throttled} of ${connectorCalls.length} connector calls; dead letters: ${t.dead}`,
  );
  log(`  p95 acceptance-to-card ${round(p95)} ms; duplicates ${duplicates}; lost ${lost}`);
  log(
    JSON.stringify({
      items: ITEMS,
      channels: CHANNELS,
      itemsPerSecondAccepted: round(itemsPerSecond),
      p99AcceptanceMs: round(percentile(latencies, 99)),
      postsPerSecond: round(postsPerSecond),
      postsRatioToAppLimit: round(postsPerSecond / APP_LIMIT_PER_SECOND, 3),
      throttled429: throttled,
      p95EventToCardMs: round(p95),
      duplicates,
      lost,
      dead: t.dead,
    }),
  );
} finally {
  await service.close();
  await Promise.all([graph.close(), sf.close()]);
  rmSync(work, { recursive: true, force: true });
}
