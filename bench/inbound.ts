/**
 * Inbound benchmark (`npm run bench:inbound`): messages posted in the Graph stand-in become Tasks in the
 * Salesforce stand-in through the service, run as its own process on a PostgreSQL of its own
 * (BENCH_TOPOLOGY=split: a webhook process with WORKER_ENABLED=false that Graph calls, and a worker process).
 *
 *   1. burst: BENCH_MESSAGES (default 1000) messages posted at once -> notifications/s ingested, webhook answer
 *      times as Graph saw them, Salesforce API calls per Task, Graph calls per message;
 *   2. webhook: notifications sent straight to the webhook at BENCH_RATE (default 500) per second for
 *      BENCH_SECONDS (default 5), BENCH_BATCH (default 10) per request as Graph batches them (1 = one
 *      request per notification); they repeat phase 1's messages, as Graph's duplicates do: nothing new may
 *      come of them. BENCH_ROUNDS (default 3) rounds; in each, the same load goes at the same moments to a
 *      bare express handler answering 202 after one PostgreSQL insert (bench/baseline-webhook.ts, a child
 *      process like the service): the webhook's p50/p99 are printed as ratios of it, a figure that holds when
 *      the machine's load moves the absolute ones (goal: p99 <= 1.5x);
 *   3. latency: BENCH_LATENCY_MESSAGES (default 200) messages at 50/s with 150 ms added to every Graph and
 *      Salesforce call -> end-to-end latency from posting to the Task;
 *   then lost and duplicated Tasks over all phases, and the service's peak RSS.
 * The last line is one JSON object with every figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startGraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { startSalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import { SERVICE_NODE_ARGS } from '../callout-service/src/ops/node-args.ts';
import { taskKey } from '../callout-service/src/inbound/idempotency-key.ts';
import { DEMO_CHANNEL, DEMO_TEAM, seedDemo } from '../sandbox/src/demo-data.ts';
import { freePort, startEmbeddedPostgres } from '../callout-service/src/store/database.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_MESSAGES ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BATCH = Math.max(1, Number(process.env.BENCH_BATCH ?? 10));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const LATENCY_MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 200);
const TOPOLOGY = process.env.BENCH_TOPOLOGY === 'split' ? 'split' : 'single';
const INJECTED_MS = 150;
const RULE = 'Deal_Desk_Keywords';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Sums a counter family from the Prometheus text (all label sets, or those containing `labels`). */
function counter(metrics: string, name: string, labels = ''): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (labels && !rest.includes(labels)) continue;
    total += Number(line.split(' ').pop());
  }
  return total;
}

/** p50/p99 (bucket upper bounds, ms) of a histogram's observations between two scrapes. */
function histogramQuantiles(before: string, after: string, name: string, labelValue: string) {
  const buckets = (text: string) => {
    const out = new Map<number, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}_bucket{`) || !line.includes(`"${labelValue}"`)) continue;
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (le) out.set(le === '+Inf' ? Infinity : Number(le), Number(line.split(' ').pop()));
    }
    return out;
  };
  const a = buckets(before);
  const b = [...buckets(after)]
    .map(([le, n]) => [le, n - (a.get(le) ?? 0)] as const)
    .sort((x, y) => x[0] - y[0]);
  const total = b.at(-1)?.[1] ?? 0;
  const q = (p: number) => {
    const bound = b.find(([, n]) => n >= (p / 100) * total)?.[0];
    return bound === undefined ? NaN : bound === Infinity ? Infinity : round(bound * 1000, 1);
  };
  return { p50Ms: q(50), p99Ms: q(99) };
}

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return round(kb / 1024);
  } catch {
    return NaN; // not Linux: no peak figure
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'tb-bench-'));
  chmodSync(work, 0o755); // as root, PostgreSQL runs as its own user and must reach the directory
  const postgres = await startEmbeddedPostgres({ dataDir: work });
  const databaseUrl = await postgres.createDatabase('bench');
  const [graph, sf] = await Promise.all([
    startGraphEmulator({ port: 0 }),
    startSalesforceEmulator({ port: 0, projectDir: repoRoot, dailyApiRequests: 10_000_000 }),
  ]);
  seedDemo(graph, sf);
  // The service's own cost is measured, not Graph's Teams read limits (4 requests a second per channel, 20
  // message reads a second per app): a burst of 1000 in one channel would take minutes under them
  // (callout-service/test/inbound/pipeline.test.ts runs a burst under them).
  graph.control.setThrottle({ readPerChannelPerSecond: 0, getMessagePerAppPerSecond: 0 });
  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const services: { name: string; child: ChildProcess; url: string }[] = [];
  let baseline: ChildProcess | undefined;
  let serviceLog = '';

  const cleanup = async () => {
    for (const child of [baseline, ...services.map((s) => s.child)]) {
      if (!child || child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await Promise.all([graph.close(), sf.close()]);
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  };

  /** One service process on the bench's PostgreSQL and stand-ins; Graph calls back the first one. */
  const startService = async (name: string, servicePort: number, env: Record<string, string>) => {
    // BENCH_SERVICE_ENTRY runs another build of the service (to compare a change); BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the service.
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      [
        ...SERVICE_NODE_ARGS,
        ...nodeArgs,
        resolve(process.env.BENCH_SERVICE_ENTRY ?? join(repoRoot, 'callout-service/src/main.ts')),
      ],
      {
        cwd: join(repoRoot, 'callout-service'),
        env: {
          ...process.env,
          LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
          PORT: String(servicePort),
          HOST: '127.0.0.1',
          PUBLIC_BASE_URL: serviceUrl,
          DATABASE_URL: databaseUrl,
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
          // The backfill is not measured here: only the first round after subscribing.
          BACKFILL_INTERVAL_SECONDS: '3600',
          SUBSCRIPTION_RECONCILE_SECONDS: '3600',
          SUBSCRIPTION_TICK_MS: '1000',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = `http://127.0.0.1:${servicePort}`;
    services.push({ name, child, url });
    // BENCH_SERVICE_OUTPUT=<file> keeps the services' whole output (e.g. with --trace-gc), not only its tail.
    const keep = (d: Buffer) => {
      serviceLog = (serviceLog + `[${name}] ${d.toString()}`).slice(-20_000);
      if (process.env.BENCH_SERVICE_OUTPUT)
        appendFileSync(process.env.BENCH_SERVICE_OUTPUT, `[${name}] ${d.toString()}`);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitFor(
      `the ${name} service to answer /healthz`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the ${name} service exited:\n${serviceLog}`);
        return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true;
      },
      60_000,
    );
  };

  try {
    if (TOPOLOGY === 'split') {
      // Webhook replicas (no inbound worker) behind the load balancer, worker replicas apart (callout-service/README.md).
      await startService('webhook', port, { WORKER_ENABLED: 'false' });
      await startService('worker', await freePort(), { SUBSCRIPTIONS_ENABLED: 'false' });
    } else {
      await startService('service', port, {});
    }
    await waitFor(
      'the channel subscription',
      () => graph.control.subscriptions().some((s) => s.resource.includes('/channels/')),
      30_000,
    );
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const sub = (
      await db.query<{ id: string; client_state: string }>('SELECT id, client_state FROM subscriptions')
    ).rows[0]!;
    await db.end();
    // Counters summed over the service processes (the queue depth gauge is read from the database by each).
    const metricsOf = async (url: string) => await (await fetch(`${url}/metrics`)).text();
    const scrape = async () => (await Promise.all(services.map((s) => metricsOf(s.url)))).join('\n');
    const webhookMetrics = () => metricsOf(serviceUrl);
    const tasksByKey = () => {
      const map = new Map<string, number>();
      for (const t of sf.control.records('Task')) {
        const key = String(t.Teams_Message_Id__c ?? '');
        map.set(key, (map.get(key) ?? 0) + 1);
      }
      return map;
    };
    const expected = new Set<string>();
    const post = (i: number, phase: string) => {
      const m = graph.control.postMessage({
        teamId: DEMO_TEAM.id,
        channelId: DEMO_CHANNEL.id,
        from: graph.demoUser.username,
        content: `<p>${phase} ${i}: can we get a <b>discount</b> on this renewal?</p>`,
      });
      const key = taskKey(DEMO_TEAM.id, DEMO_CHANNEL.id, m.id, RULE);
      expected.add(key);
      return { id: m.id, key };
    };
    const queueDrained = async () => {
      const m = await scrape();
      return counter(m, 'teams_bridge_queue_depth', 'inbound') === 0;
    };

    // --- 1. burst of real postings ------------------------------------------------------------------
    log(`phase 1: ${N} messages posted in one burst`);
    const before1 = await scrape();
    const t0 = Date.now();
    const burst: { id: string; key: string }[] = [];
    for (let i = 0; i < N; i++) {
      burst.push(post(i, 'Burst'));
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    await waitFor(
      'the burst Tasks',
      () => {
        const tasks = tasksByKey();
        return burst.every((b) => tasks.has(b.key));
      },
      180_000,
    );
    const burstSeconds = (Date.now() - t0) / 1000;
    await waitFor('the queue to drain', queueDrained, 60_000);
    const after1 = await scrape();
    const deliveries = graph.control
      .deliveries({ outcome: 'delivered' })
      .filter((d) => d.kind !== 'validation' && Date.parse(d.at) >= t0);
    const delivered = deliveries.reduce((n, d) => n + (d.body?.value.length ?? 0), 0);
    const lastAnswer = Math.max(...deliveries.map((d) => Date.parse(d.at) + (d.durationMs ?? 0)));
    const ingestRate = delivered / ((lastAnswer - t0) / 1000);
    const postingAnswerMs = deliveries.map((d) => d.durationMs ?? 0);
    const sfCalls =
      counter(after1, 'teams_bridge_salesforce_calls_total') -
      counter(before1, 'teams_bridge_salesforce_calls_total');
    const sfCallsByOperation = Object.fromEntries(
      [
        ...new Set(
          [...after1.matchAll(/teams_bridge_salesforce_calls_total\{operation="([^"]+)"/g)].map((m) => m[1]!),
        ),
      ]
        .map((op) => {
          const label = `operation="${op}"`;
          const n =
            counter(after1, 'teams_bridge_salesforce_calls_total', label) -
            counter(before1, 'teams_bridge_salesforce_calls_total', label);
          return [op, n] as const;
        })
        .filter(([, n]) => n > 0),
    );
    const graphCalls =
      counter(after1, 'teams_bridge_graph_calls_total') - counter(before1, 'teams_bridge_graph_calls_total');
    log(
      `  ${delivered} notifications in ${deliveries.length} deliveries, all ${N} Tasks after ${round(burstSeconds, 2)} s`,
    );

    // --- 2. notifications straight to the webhook at RATE/s ------------------------------------------
    const total = RATE * SECONDS;
    log(`phase 2: ${ROUNDS} x ${total} notifications sent to the webhook at ${RATE}/s, ${BATCH} per request`);
    const before2 = await webhookMetrics();
    /** Sends the phase's notifications to `target` at RATE/s; the answer time of each request. */
    const webhookLoad = async (target: string) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 128 });
      const answerMs: number[] = [];
      let non202 = 0;
      const send = (messageIds: string[]) =>
        new Promise<void>((done) => {
          const body = JSON.stringify({
            value: messageIds.map((messageId) => ({
              subscriptionId: sub.id,
              clientState: sub.client_state,
              changeType: 'created',
              resource: `teams('${DEMO_TEAM.id}')/channels('${DEMO_CHANNEL.id}')/messages('${messageId}')`,
              resourceData: { id: messageId, '@odata.type': '#Microsoft.Graph.chatMessage' },
              subscriptionExpirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
              tenantId: graph.tenantId,
            })),
          });
          const start = process.hrtime.bigint();
          const req = request(
            `${target}/graph/notifications`,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            },
            (res) => {
              res.resume();
              res.on('end', () => {
                answerMs.push(Number(process.hrtime.bigint() - start) / 1e6);
                if (res.statusCode !== 202) non202++;
                done();
              });
            },
          );
          req.on('error', () => {
            non202++;
            done();
          });
          req.end(body);
        });
      const inflight: Promise<void>[] = [];
      const tick = 10;
      const perTick = (RATE * tick) / 1000;
      const t2 = Date.now();
      for (let sent = 0; sent < total;) {
        const due = Math.min(total, Math.floor(((Date.now() - t2) / 1000) * RATE) + perTick);
        for (; sent + BATCH <= due || (sent < due && due === total); sent += BATCH) {
          const ids = Array.from(
            { length: Math.min(BATCH, total - sent) },
            (_, j) => burst[(sent + j) % burst.length]!.id,
          );
          inflight.push(send(ids));
        }
        await sleep(tick);
      }
      const sendSeconds = (Date.now() - t2) / 1000;
      await Promise.all(inflight);
      agent.destroy();
      return { answerMs, non202, sendSeconds };
    };
    const baselinePort = await freePort();
    baseline = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/baseline-webhook.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(baselinePort),
        DATABASE_URL: await postgres.createDatabase('baseline'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let baselineOut = '';
    baseline.stdout!.on('data', (d: Buffer) => (baselineOut += d.toString()));
    await waitFor('the baseline handler', () => baselineOut.includes('READY'), 60_000);
    // The webhook and the bare handler take the same load at the same moments, so both meet the same machine
    // load, including the work the webhook's notifications cause in the worker.
    const answerMs: number[] = [];
    const reference = { answerMs: [] as number[], non202: 0 };
    let non202 = 0;
    let sendSeconds = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const [webhook, bare] = await Promise.all([
        webhookLoad(serviceUrl),
        webhookLoad(`http://127.0.0.1:${baselinePort}`),
      ]);
      answerMs.push(...webhook.answerMs);
      non202 += webhook.non202;
      sendSeconds += webhook.sendSeconds;
      reference.answerMs.push(...bare.answerMs);
      reference.non202 += bare.non202;
      await waitFor('the queue to drain', queueDrained, 120_000);
    }
    const after2 = await webhookMetrics();
    const serverSide = histogramQuantiles(
      before2,
      after2,
      'teams_bridge_webhook_duration_seconds',
      'notifications',
    );
    log(
      `  ${ROUNDS} rounds, each followed by the same notifications to a bare express handler (one insert, then 202)`,
    );
    log(
      `  webhook: sent in ${round(sendSeconds, 2)} s (${round((ROUNDS * total) / sendSeconds)} /s), ${non202} not answered 202`,
    );

    // --- 3. end-to-end latency with 150 ms per remote call ------------------------------------------
    log(
      `phase 3: ${LATENCY_MESSAGES} messages at 50/s with ${INJECTED_MS} ms added to every Graph and Salesforce call`,
    );
    graph.control.setFaults({ latencyMs: INJECTED_MS });
    sf.control.setFaults({ latencyMs: INJECTED_MS });
    const postedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const watcher = setInterval(() => {
      const now = Date.now();
      for (const key of tasksByKey().keys()) if (postedAt.has(key) && !seenAt.has(key)) seenAt.set(key, now);
    }, 20);
    for (let i = 0; i < LATENCY_MESSAGES; i++) {
      const m = post(i, 'Latency');
      postedAt.set(m.key, Date.now());
      await sleep(20);
    }
    await waitFor('the latency Tasks', () => seenAt.size === postedAt.size, 120_000).finally(() =>
      clearInterval(watcher),
    );
    graph.control.clearFaults();
    sf.control.clearFaults();
    const e2e = [...seenAt].map(([key, at]) => at - postedAt.get(key)!);

    // --- totals -----------------------------------------------------------------------------------
    await waitFor('the queue to drain', queueDrained, 60_000);
    await sleep(500);
    const tasks = tasksByKey();
    const lost = [...expected].filter((k) => !tasks.has(k)).length;
    const duplicated = [...tasks.values()].reduce((n, c) => n + (c - 1), 0);
    const unexpected = [...tasks.keys()].filter((k) => !expected.has(k)).length;
    const rss = Object.fromEntries(services.map((s) => [s.name, peakRssMb(s.child.pid!)]));

    const figures = {
      topology: TOPOLOGY,
      messages: expected.size,
      notificationsPerSecondIngested: round(ingestRate),
      burstSeconds: round(burstSeconds, 2),
      webhookDirect: {
        rate: RATE,
        rounds: ROUNDS,
        notifications: ROUNDS * total,
        perRequest: BATCH,
        p50Ms: round(percentile(answerMs, 50), 2),
        p99Ms: round(percentile(answerMs, 99), 2),
        non202,
        /** As the service measured it (upper bounds of its histogram buckets). */
        serverP50Ms: serverSide.p50Ms,
        serverP99Ms: serverSide.p99Ms,
        /** The bare express + one insert handler under the same load, and the webhook as multiples of it. */
        baselineP50Ms: round(percentile(reference.answerMs, 50), 2),
        baselineP99Ms: round(percentile(reference.answerMs, 99), 2),
        baselineNon202: reference.non202,
        p50Ratio: round(percentile(answerMs, 50) / percentile(reference.answerMs, 50), 2),
        p99Ratio: round(percentile(answerMs, 99) / percentile(reference.answerMs, 99), 2),
      },
      webhookViaPostings: {
        deliveries: postingAnswerMs.length,
        p50Ms: round(percentile(postingAnswerMs, 50), 2),
        p99Ms: round(percentile(postingAnswerMs, 99), 2),
      },
      endToEndWith150msLatency: {
        messages: e2e.length,
        p50Ms: Math.round(percentile(e2e, 50)),
        p95Ms: Math.round(percentile(e2e, 95)),
      },
      salesforceCallsPerTask: round(sfCalls / N, 4),
      salesforceCallsInBurst: sfCalls,
      salesforceCallsInBurstByOperation: sfCallsByOperation,
      burstSize: N,
      graphCallsPerMessage: round(graphCalls / N, 3),
      peakRssMb: rss,
      lostTasks: lost,
      duplicatedTasks: duplicated,
      unexpectedTasks: unexpected,
      durationSeconds: round((Date.now() - started) / 1000),
    };
    log('');
    log(`notifications/s ingested              ${figures.notificationsPerSecondIngested}`);
    log(
      `webhook answer, direct at ${RATE}/s (${BATCH}/request) p50 ${figures.webhookDirect.p50Ms} ms, p99 ${figures.webhookDirect.p99Ms} ms (${non202} not 202)`,
    );
    log(`  as the service measured it          p50 <= ${serverSide.p50Ms} ms, p99 <= ${serverSide.p99Ms} ms`);
    log(
      `  bare express + one insert           p50 ${figures.webhookDirect.baselineP50Ms} ms, p99 ${figures.webhookDirect.baselineP99Ms} ms`,
    );
    log(
      `  webhook / bare handler              p50 ${figures.webhookDirect.p50Ratio}x, p99 ${figures.webhookDirect.p99Ratio}x (goal p99 <= 1.5x)`,
    );
    log(
      `webhook answer, via postings          p50 ${figures.webhookViaPostings.p50Ms} ms, p99 ${figures.webhookViaPostings.p99Ms} ms (${postingAnswerMs.length} deliveries)`,
    );
    log(
      `end-to-end, ${INJECTED_MS} ms per remote call   p50 ${figures.endToEndWith150msLatency.p50Ms} ms, p95 ${figures.endToEndWith150msLatency.p95Ms} ms`,
    );
    log(
      `Salesforce API calls per Task         ${figures.salesforceCallsPerTask} (${sfCalls} calls for a burst of ${N}: ${Object.entries(
        sfCallsByOperation,
      )
        .map(([op, n]) => `${n} ${op}`)
        .join(', ')})`,
    );
    log(`Graph calls per message               ${figures.graphCallsPerMessage}`);
    log(
      `service peak RSS                      ${services.map((s) => `${s.name} ${rss[s.name]} MB`).join(', ')}`,
    );
    log(
      `lost / duplicated Tasks               ${lost} / ${duplicated}${unexpected ? ` (${unexpected} unexpected)` : ''}`,
    );
    log(JSON.stringify(figures));
  } catch (err) {
    process.stderr.write(
      `bench failed: ${(err as Error).stack ?? String(err)}\nservice log tail:\n${serviceLog}\n`,
    );
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

await main();
