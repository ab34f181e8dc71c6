/**
 * The chaos suite (`npm run test:chaos`, `npm run test:chaos -- --full`): the Graph and Salesforce stand-ins
 * in this process, PostgreSQL and two service replicas on one database as child processes behind a loopback
 * balancer. A steady flow of channel messages and replies (a known share matching the rules) and a share of
 * hostile requests run throughout while faults are injected one after another, then several at once. At the
 * end the books must balance: every expected Task exactly once by key, nothing left in the queue but the
 * expected dead letters (none), readiness false exactly while a dependency was down, each replica exiting 0
 * on SIGTERM, every hostile request refused with a reason and the log volume bounded. Prints the table and
 * ends with one line of JSON; exits 1 when a check fails. Bounded in time and count, loopback only.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startGraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { startSalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import { DEMO_CHANNEL, DEMO_TEAM, seedDemo } from '../sandbox/src/demo-data.ts';
import { freePort } from '../callout-service/src/store/database.ts';
import { printTable, rowFor, type CardBooks, type Row, type TaskSeen, type Window } from './books.ts';
import { CardWatch } from './card-watch.ts';
import { FAULTS, OVERLAPS, type FaultContext } from './faults.ts';
import { Balancer } from './processes/balancer.ts';
import { PostgresProcess } from './processes/postgres.ts';
import { Replica } from './processes/replica.ts';
import { FULL, SHORT } from './profile.ts';
import { ReadinessWatch } from './readiness.ts';
import { HandoffTraffic } from './traffic/handoffs.ts';
import { HostileTraffic } from './traffic/hostile.ts';
import type { TrafficKind } from './traffic/kind.ts';
import { MessageTraffic } from './traffic/messages.ts';
import { RejectionCounter } from './rejection-counter.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const profile = process.argv.includes('--full') ? FULL : SHORT;
const DAILY_API = 5_000_000;
const READINESS_GRACE_MS = 4_000;
const MAX_LOG_BYTES_PER_REQUEST = 2048;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(0)} s`;

async function main(): Promise<number> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'tb-chaos-'));
  chmodSync(work, 0o755); // as root, PostgreSQL runs as its own user and must reach the directory
  const graph = await startGraphEmulator({
    port: 0,
    // Graph's slow/drop bookkeeping over seconds instead of minutes, so the drop state comes and goes in a run.
    delivery: {
      retryInitialDelayMs: 500,
      retryMaxDelayMs: 5_000,
      slowThresholdMs: 1_000,
      stateWindowMs: 15_000,
      minSamples: 5,
    },
    // 3-4 messages a second with replies in one channel, each read once, plus the backfill: above Graph's
    // Teams read limits for one channel (4 requests a second). The suite is about faults, so those limits are
    // lifted; callout-service/test/inbound/pipeline.test.ts runs a burst under them.
    throttle: { readPerChannelPerSecond: 0, getMessagePerAppPerSecond: 0 },
  });
  const sf = await startSalesforceEmulator({ port: 0, projectDir: repoRoot, dailyApiRequests: DAILY_API });
  const demo = seedDemo(graph, sf);
  const postgres = new PostgresProcess(join(work, 'pg'), await freePort());
  const replicas: Replica[] = [];
  let balancer: Balancer | undefined;
  const checks: { name: string; ok: boolean; detail?: string }[] = [];
  const check = (name: string, ok: boolean, detail?: string) => checks.push({ name, ok, detail });

  try {
    const databaseUrl = await postgres.start();
    const ports = [await freePort(), await freePort()];
    balancer = new Balancer(ports.map((port) => ({ port })));
    await balancer.start();
    const env = replicaEnv(graph, sf, databaseUrl, balancer.url, profile.outboundRetryBaseSeconds);
    for (const [i, port] of ports.entries())
      replicas.push(new Replica(`replica-${i + 1}`, port, repoRoot, env));
    await Promise.all(replicas.map((r) => r.start()));
    await waitUntil('the channel subscription', () => graph.control.subscriptions().length === 1, 60_000);
    // A team owner adds the app to the chaos team: Teams tells the bot (through the balancer), which keeps the
    // team's conversation reference in PostgreSQL for every replica.
    graph.control.setBotEndpoint({ url: `${balancer.url}/api/messages` });
    const installed = await graph.control.installBot({ teamId: DEMO_TEAM.id });
    if (!installed.deliveries.every((status) => status === 200))
      throw new Error(`the bot's installation events were answered ${installed.deliveries.join(', ')}`);
    log(
      `chaos (${profile.name}): stand-ins, PostgreSQL and ${replicas.length} replicas up in ${since(started)}`,
    );

    const messages = new MessageTraffic(
      graph,
      { teamId: DEMO_TEAM.id, channelId: DEMO_CHANNEL.id },
      [graph.demoUser.username, 'megan@contoso.example', 'lee@contoso.example'],
      profile.messagesPerSecond,
    );
    const hostile = new HostileTraffic(
      () => balancer!.url,
      graph,
      sf.calloutSigner,
      profile.hostilePerSecond,
    );
    const handoffs = new HandoffTraffic(
      sf,
      () => balancer!.url,
      demo.opportunityId,
      profile.handoffsPerSecond,
      profile.queueableMsPerMinute,
    );
    const cards = new CardWatch(graph, { teamId: DEMO_TEAM.id, channelId: DEMO_CHANNEL.id });
    const traffic: TrafficKind[] = [messages, hostile, handoffs];
    const readiness = new ReadinessWatch(replicas, READINESS_GRACE_MS);
    const rejections = new RejectionCounter(replicas);
    const seen = new Map<string, TaskSeen>();
    const watchTasks = () => {
      const now = Date.now();
      const counts = new Map<string, number>();
      for (const t of sf.control.records('Task')) {
        const key = String(t.Teams_Message_Id__c ?? '');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, count] of counts) {
        const s = seen.get(key);
        if (s) s.count = count;
        else seen.set(key, { count, firstSeen: now });
      }
    };
    const taskTimer = setInterval(watchTasks, 500);
    const cardTimer = setInterval(() => cards.scan(), 1000);
    const scrapeTimer = setInterval(() => void rejections.scrape(), 5_000);
    readiness.start();

    const tickErrors = new Map<string, { count: number; first: string }>();
    let running = true;
    const steadyStart = Date.now();
    const loops = traffic.map(async (kind) => {
      while (running) {
        const t = Date.now();
        await kind.tick().catch((err: unknown) => {
          const n = tickErrors.get(kind.name);
          tickErrors.set(kind.name, { count: (n?.count ?? 0) + 1, first: n?.first ?? String(err) });
        });
        await sleep(Math.max(0, 1000 / kind.rate - (Date.now() - t)));
      }
    });

    const ctx: FaultContext = {
      graph,
      sf,
      postgres,
      replicas,
      balancer,
      messages,
      handoffs,
      hostile,
      dailyApiRequests: DAILY_API,
      markDown: (dependency, down) => readiness.mark(dependency, down),
      check,
      scrape: () => rejections.scrape(),
    };
    const windows: Window[] = [];
    await sleep(profile.steadyMs);
    windows.push({ name: 'steady (no fault)', start: steadyStart, end: Date.now() });

    const names = Object.keys(FAULTS);
    for (const name of names) {
      const start = Date.now();
      log(`  fault: ${name}`);
      await FAULTS[name]!.run(ctx, profile.durations[name] ?? profile.faultMs);
      windows.push({ name, start, end: Date.now() });
      await sleep(profile.settleMs);
    }
    for (const group of OVERLAPS) {
      const start = Date.now();
      const name = group.join(' + ');
      log(`  faults together: ${name}`);
      await Promise.all(group.map((f) => FAULTS[f]!.run(ctx, profile.overlapMs)));
      windows.push({ name, start, end: Date.now() });
      await sleep(profile.settleMs);
    }

    running = false;
    await Promise.all(loops);
    const trafficEnd = Date.now();
    log(`  traffic stopped after ${since(started)}; waiting for the books to balance`);
    const expected = messages.expected();
    const drainDeadline = Date.now() + profile.drainTimeoutMs;
    // The Queueable chains still retrying finish first (each is bounded by its own attempts).
    await handoffs.drain();
    const cardExpected = handoffs.expected().map((e) => ({ ...e, key: CardWatch.marker(e.key) }));
    await waitUntil(
      'every expected Task and card',
      () => {
        watchTasks();
        cards.scan();
        return expected.every((e) => seen.has(e.key)) && cardExpected.every((e) => cards.seen.has(e.key));
      },
      Math.max(0, drainDeadline - Date.now()),
    ).catch(() => undefined);
    // The links are written back after the card is recorded: wait for those too (bounded by the same deadline).
    const linked = new Set<string>();
    const readLinks = () => {
      for (const h of handoffs.sent) {
        const marker = CardWatch.marker(h.key);
        const url = String(sf.control.record(h.opportunityId)?.Teams_Message_Url__c ?? '');
        // An Opportunity handed off more than once holds the link of one of its cards (the last written).
        const ids = handoffs.sent
          .filter((o) => o.opportunityId === h.opportunityId)
          .flatMap((o) => cards.messageIds.get(CardWatch.marker(o.key)) ?? []);
        if (cards.seen.has(marker) && ids.some((id) => url.includes(`/${id}?`))) linked.add(marker);
      }
      return linked.size === handoffs.sent.length;
    };
    await waitUntil(
      'every Teams link written back',
      readLinks,
      Math.max(0, drainDeadline - Date.now()),
    ).catch(() => undefined);
    // A little longer: a duplicate would show up now.
    await sleep(5_000);
    watchTasks();
    cards.scan();
    readLinks();
    clearInterval(taskTimer);
    clearInterval(cardTimer);
    clearInterval(scrapeTimer);
    await rejections.scrape();
    readiness.stop();

    // Queue and state left behind.
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    const one = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
    const deadLetters = await one('SELECT count(*) AS n FROM dead_letters WHERE requeued_at IS NULL');
    const queueLeft = await one(
      "SELECT count(*) AS n FROM pgboss.job WHERE name = 'inbound-message' AND state IN ('created', 'retry', 'active')",
    );
    const deferredLeft = await one('SELECT count(*) AS n FROM deferred_messages');
    const outboundLeft = await one("SELECT count(*) AS n FROM outbound_items WHERE status <> 'done'");
    const outboundDeadLetters = await one(
      "SELECT count(*) AS n FROM dead_letters WHERE requeued_at IS NULL AND queue = 'outbound-post'",
    );
    await db.end();

    // Each replica stops cleanly.
    const exitCodes = await Promise.all(replicas.map((r) => r.terminate()));

    // The books.
    const cardBooks: CardBooks = { expected: cardExpected, seen: cards.seen, linked };
    const rows: Row[] = windows.map((w) =>
      rowFor(
        w,
        expected,
        seen,
        balancer!.answers,
        readiness.score(w.start, w.end),
        messages.posted,
        cardBooks,
      ),
    );
    const everything: Window = { name: 'whole run', start: steadyStart, end: trafficEnd };
    const total = rowFor(
      everything,
      expected,
      seen,
      balancer.answers,
      readiness.score(steadyStart, trafficEnd + 1),
      messages.posted,
      cardBooks,
    );
    const cardKeys = new Set(cardExpected.map((e) => e.key));
    const cardsLost = cardExpected.filter((e) => !cards.seen.has(e.key)).length;
    const cardsDuplicated = cardExpected.reduce(
      (n, e) => n + Math.max(0, (cards.seen.get(e.key)?.count ?? 1) - 1),
      0,
    );
    const unexpectedCards = [...cards.seen.entries()]
      .filter(([key]) => !cardKeys.has(key))
      .reduce((n, [, s]) => n + s.count, 0);
    const tasksLost = total.lost - cardsLost;
    const tasksDuplicated = total.duplicated - cardsDuplicated;
    const expectedKeys = new Set(expected.map((e) => e.key));
    const unexpectedTasks = [...seen.entries()]
      .filter(([key]) => !expectedKeys.has(key))
      .reduce((n, [, s]) => n + s.count, 0);
    const hostileRejected = hostile.results.filter((r) => r.rejected && r.reasonGiven);
    const replays = hostile.results.filter((r) => r.kind === 'v1-replayed-auth');
    // A replay is judged when the token's first use succeeded; when it met an outage (5xx, the token id
    // perhaps never stored) the second use may be the first to count.
    const judgedReplays = replays.filter((r) => r.firstStatus !== undefined && r.firstStatus < 300);
    const replaysAccepted = judgedReplays.filter((r) => r.status < 300);
    const forged = hostile.results.filter(
      (r) => r.kind === 'wrong-client-state' || r.kind === 'unknown-subscription',
    );
    const otherHostile = hostile.results.filter((r) => !replays.includes(r) && !forged.includes(r));
    const logBytes = replicas.reduce((n, r) => n + r.logBytes, 0);
    const requests = balancer.answers.length + hostile.results.length;
    const nulTasks = sf.control.records('Task').filter((t) => {
      const text = `${String(t.Description ?? '')} ${String(t.Subject ?? '')}`;
      return text.includes('\u0000') || /<script|<img|<iframe/i.test(text);
    });
    const nulCards = graph.control
      .messages({ teamId: DEMO_TEAM.id, channelId: DEMO_CHANNEL.id })
      .filter(
        (m) => m.from.application && m.attachments.some((x) => String(x.content ?? '').includes('\u0000')),
      );
    const wrongReadiness = readiness.score(steadyStart, trafficEnd + 1).wrong;

    check(
      'every unit of traffic was sent',
      tickErrors.size === 0,
      [...tickErrors].map(([kind, e]) => `${kind}: ${e.count} failed, first: ${e.first}`).join('; '),
    );
    check('no Task lost', tasksLost === 0, `${tasksLost} lost`);
    check(
      'no Task duplicated',
      tasksDuplicated === 0 && unexpectedTasks === 0,
      `${tasksDuplicated} duplicated, ${unexpectedTasks} unexpected`,
    );
    check(
      'cards equal handoffs exactly (by key)',
      cardsLost === 0 && cardsDuplicated === 0 && unexpectedCards === 0 && handoffs.sent.length > 0,
      `${handoffs.sent.length} handoffs, ${cardExpected.length - cardsLost} with a card, ${cardsLost} lost, ${cardsDuplicated} duplicated, ${unexpectedCards} unexpected`,
    );
    check(
      "each handoff's Opportunity holds its card's Teams link",
      linked.size === handoffs.sent.length,
      `${linked.size} of ${handoffs.sent.length}`,
    );
    check(
      'every handoff batch reached the service (no outbound failure recorded in the org)',
      handoffs.failed.length === 0,
      `${handoffs.failed.length} batches failed${handoffs.failed[0] ? `: ${handoffs.failed[0].reason}` : ''}; ${handoffs.retries} callouts retried`,
    );
    check(
      'the queue holds no job and no dead letter',
      queueLeft === 0 && deadLetters === 0 && deferredLeft === 0,
      `${queueLeft} jobs, ${deadLetters} dead letters, ${deferredLeft} deferred`,
    );
    check(
      'no outbound item left queued or dead-lettered',
      outboundLeft === 0 && outboundDeadLetters === 0,
      `${outboundLeft} items not done, ${outboundDeadLetters} dead letters`,
    );
    check(
      'readiness false exactly while a dependency was down',
      wrongReadiness.length === 0,
      wrongReadiness
        .slice(0, 3)
        .map(
          (s) =>
            `${s.replica} ${s.ready ? 'ready' : `down: ${s.why.join(', ')}`} at +${Math.round((s.at - started) / 1000)} s`,
        )
        .join('; '),
    );
    check(
      'each replica exits 0 on SIGTERM',
      exitCodes.every((c) => c === 0),
      `exit codes ${exitCodes.join(', ')}`,
    );
    check(
      'forged notifications rejected (counted by reason, no job)',
      rejections.total >= forged.filter((r) => r.status === 202).length &&
        forged.every((r) => r.status === 202 || r.status >= 500),
      `${rejections.total} counted for ${forged.filter((r) => r.status === 202).length} answered 202; ${forged.filter((r) => r.status !== 202).length} answered 5xx during an outage`,
    );
    check(
      'a /v1 token used twice is refused the second time, on any replica',
      replaysAccepted.length === 0 &&
        judgedReplays.every((r) => (r.status === 401 ? r.reasonGiven : r.status >= 500)),
      `${replaysAccepted.length} of ${judgedReplays.length} replays accepted; ${replays.length - judgedReplays.length} not judged (first use met an outage)`,
    );
    check(
      'malformed, oversized and badly authenticated requests refused with a reason',
      otherHostile.every((r) => r.rejected && r.reasonGiven),
      summarize(otherHostile.filter((r) => !(r.rejected && r.reasonGiven))),
    );
    check('no markup or NUL in any Task', nulTasks.length === 0, `${nulTasks.length} Tasks`);
    check('no NUL in any card', nulCards.length === 0, `${nulCards.length} cards`);
    check(
      'log volume bounded',
      logBytes / Math.max(1, requests) < MAX_LOG_BYTES_PER_REQUEST,
      `${Math.round(logBytes / 1024)} KiB for ${requests} requests`,
    );

    log('');
    printTable([...rows, total], log);
    log('');
    for (const c of checks) log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
    log(
      `note: handoffs: ${handoffs.retries} Queueable retries, ${handoffs.duplicatesAnswered} items answered as duplicates`,
    );
    if (balancer.failures.length > 0) log(`balancer: ${balancer.failures.join('\n  ')}`);
    const ok = checks.every((c) => c.ok);
    log(
      JSON.stringify({
        profile: profile.name,
        ok,
        seconds: Math.round((Date.now() - started) / 1000),
        faultKinds: names.length,
        faultsInjected: names.length + OVERLAPS.reduce((n, g) => n + g.length, 0),
        messages: messages.posted.length,
        expectedTasks: expected.length,
        tasks: total.tasks,
        lost: tasksLost,
        duplicated: tasksDuplicated,
        unexpectedTasks,
        handoffs: handoffs.sent.length,
        cards: total.cards,
        cardsLost,
        cardsDuplicated,
        unexpectedCards,
        linksWrittenBack: linked.size,
        queueableRetries: handoffs.retries,
        outboundDuplicatesAnswered: handoffs.duplicatesAnswered,
        outboundFailures: handoffs.failed.length,
        outboundLeft,
        hostile: hostile.results.length,
        hostileRejected: hostileRejected.length,
        v1ReplaysAccepted: replaysAccepted.length,
        forgedRejectionsCounted: rejections.total,
        deadLetters,
        queueLeft,
        readinessSamples: total.readiness,
        exitCodes,
        logBytes,
        p99WebhookMs: total.p99WebhookMs,
      }),
    );
    return ok ? 0 : 1;
  } finally {
    for (const r of replicas) await r.kill9().catch(() => undefined);
    await balancer?.close().catch(() => undefined);
    await postgres.stop().catch(() => undefined);
    await Promise.all([graph.close(), sf.close()]).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

function replicaEnv(
  graph: Awaited<ReturnType<typeof startGraphEmulator>>,
  sf: Awaited<ReturnType<typeof startSalesforceEmulator>>,
  databaseUrl: string,
  publicBaseUrl: string,
  outboundRetryBaseSeconds: number,
): Record<string, string> {
  return {
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    PUBLIC_BASE_URL: publicBaseUrl,
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
    TEAMS_BRIDGE_JWT_CERTIFICATE: sf.calloutSigner.certificatePem,
    // Channel messages only: the tenant transcript subscription would be a second subscription to tell apart.
    TRANSCRIPTS_ENABLED: 'false',
    // Production behaviour on a compressed clock: seconds where production waits minutes.
    SUBSCRIPTION_TICK_MS: '500',
    SUBSCRIPTION_RECONCILE_SECONDS: '5',
    BACKFILL_INTERVAL_SECONDS: '10',
    JOB_RETRY_DELAY_SECONDS: '1',
    JOB_RETRY_LIMIT: '10',
    JOB_EXPIRE_SECONDS: '20',
    QUEUE_MAINTENANCE_SECONDS: '5',
    WORKER_POLL_MS: '250',
    TASK_FLUSH_DELAY_MS: '100',
    SF_LIMIT_PROBE_SECONDS: '2',
    SF_RULES_REFRESH_SECONDS: '30',
    READINESS_CACHE_SECONDS: '2',
    SHUTDOWN_TIMEOUT_MS: '10000',
    // The bot (the app registration's credentials above) validates Teams' activities against the Bot Framework
    // stand-in's OpenID metadata and posts through its connector.
    BOT_OPENID_METADATA_URL: graph.botFramework.openIdMetadataUrl,
    BOT_SERVICE_URL: graph.botFramework.serviceUrl,
    OUTBOUND_ENABLED: 'true',
    // Opportunities without a channel link post to the pipeline channel: the chaos channel here.
    OUTBOUND_PIPELINE_TEAM_ID: DEMO_TEAM.id,
    OUTBOUND_PIPELINE_CHANNEL_ID: DEMO_CHANNEL.id,
    OUTBOUND_POLL_MS: '250',
    OUTBOUND_RETRY_BASE_SECONDS: String(outboundRetryBaseSeconds),
    // A claimed item whose replica died is taken over after this (JOB_EXPIRE_SECONDS' counterpart).
    OUTBOUND_LEASE_SECONDS: '20',
  };
}

/** "kind status xN" for the hostile requests a check complains about. */
function summarize(results: { kind: string; status: number }[]): string {
  const counts = new Map<string, number>();
  for (const r of results)
    counts.set(`${r.kind} ${r.status}`, (counts.get(`${r.kind} ${r.status}`) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} x${n}`).join(', ') || 'all';
}

async function waitUntil(
  what: string,
  ok: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`chaos: timed out waiting for ${what}`);
    await sleep(250);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos run failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
