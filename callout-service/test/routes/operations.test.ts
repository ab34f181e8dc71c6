import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { recordDeadLetter } from '../../src/store/dead-letters.ts';
import { INBOUND_QUEUE, queuedJobCount } from '../../src/store/queue.ts';
import { listSubscriptions } from '../../src/store/subscriptions.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  callout,
  throttleForTest,
  serviceConfig,
  start,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let a: RunningService;
let b: RunningService;

const replicaEnv = () => ({
  SUBSCRIPTIONS_ENABLED: 'true',
  SUBSCRIPTION_TICK_MS: '150',
  // The service trusts the Salesforce stand-in's org certificate; the stand-in mints each callout's JWT.
  TEAMS_BRIDGE_JWT_CERTIFICATE: stands.sf.calloutSigner.certificatePem,
});

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  // Two replicas on one database, both running the subscription manager.
  a = await start(serviceConfig(stands, db.url, replicaEnv()));
  b = await start(serviceConfig(stands, db.url, replicaEnv()));
});
after(async () => {
  await a?.close();
  await b?.close();
  await stands?.close();
  await db?.close();
});

const signedGet = (service: RunningService, path: string) => callout(stands, service, 'get', path);
const signedPost = (service: RunningService, path: string, body?: unknown) =>
  callout(stands, service, 'post', path, body);

// Channel-message subscriptions only (the tenant transcript subscription is tested in test/transcripts).
const channelSubs = () =>
  stands.graph.control.subscriptions().filter((x) => !x.resource.startsWith('communications/'));

test('two replicas with the manager on: one leader, exactly one subscription, handed over when the leader stops', async () => {
  await waitFor('a subscription', () => channelSubs().length === 1);
  await new Promise((r) => setTimeout(r, 1000)); // several beats of both replicas
  assert.equal(channelSubs().length, 1);
  assert.equal((await listSubscriptions(a.context.db.pool)).length, 1);
  const leaders = [a, b].filter((s) => s.context.subscriptionManager.isLeader);
  assert.equal(leaders.length, 1, 'exactly one leader');
  const [leader, follower] = leaders[0] === a ? [a, b] : [b, a];

  await leader.close();
  await waitFor('the follower taking over', () => follower.context.subscriptionManager.isLeader);
  // The survivor serves the remaining tests (close() is idempotent, so after() may close it twice).
  a = follower;
  b = follower;
  // The new leader works: a subscription Graph removed is recreated through the lifecycle route.
  const [old] = channelSubs();
  // The lifecycle URL points at the stopped replica; deliver the event to the survivor as Graph would after failover.
  const row = (await listSubscriptions(follower.context.db.pool))[0]!;
  const lifecycle = await request(follower.url)
    .post('/graph/lifecycle')
    .send({
      value: [
        {
          subscriptionId: row.id,
          clientState: row.clientState,
          lifecycleEvent: 'subscriptionRemoved',
          resource: row.resource,
          subscriptionExpirationDateTime: new Date().toISOString(),
        },
      ],
    });
  assert.equal(lifecycle.status, 202);
  await waitFor('the recreated subscription', async () => {
    const rows = await listSubscriptions(follower.context.db.pool);
    return rows.length === 1 && rows[0]!.id !== old!.id;
  });
  assert.equal(channelSubs().length, 1);
});

test('POST /graph/lifecycle: validation echo, wrong clientState and unknown subscriptions discarded', async () => {
  const echo = await request(a.url).post('/graph/lifecycle?validationToken=abc%3Cdef');
  assert.equal(echo.status, 200);
  assert.equal(echo.text, 'abc<def');
  assert.match(echo.headers['content-type'] ?? '', /^text\/plain/);

  const row = (await listSubscriptions(a.context.db.pool))[0]!;
  const before = await queuedJobCount(a.context.db.pool, 'subscription-lifecycle');
  const bad = await request(a.url)
    .post('/graph/lifecycle')
    .send({
      value: [
        { subscriptionId: row.id, clientState: 'wrong', lifecycleEvent: 'subscriptionRemoved' },
        { subscriptionId: 'nope', clientState: row.clientState, lifecycleEvent: 'missed' },
      ],
    });
  assert.equal(bad.status, 202);
  assert.equal(await queuedJobCount(a.context.db.pool, 'subscription-lifecycle'), before);
  assert.equal((await listSubscriptions(a.context.db.pool))[0]!.id, row.id, 'nothing recreated');
  const metrics = await a.context.metrics.registry.metrics();
  assert.match(metrics, /notifications_rejected_total\{reason="lifecycle-client-state"\} 1/);
  assert.match(metrics, /notifications_rejected_total\{reason="lifecycle-unknown-subscription"\} 1/);

  const malformed = await request(a.url)
    .post('/graph/lifecycle')
    .set('content-type', 'application/json')
    .send('{"value":');
  assert.equal(malformed.status, 400);
});

test('GET /v1/status reports dependencies, queue depth and subscriptions (no secrets); unsigned gets 401', async () => {
  const unsigned = await request(a.url).get('/v1/status');
  assert.equal(unsigned.status, 401);
  const res = await signedGet(a, '/v1/status');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.healthy, true);
  assert.equal(res.body.database, true);
  assert.equal(res.body.graph, true);
  assert.equal(res.body.salesforce, true);
  assert.equal(typeof res.body.queueDepth, 'number');
  assert.equal(res.body.subscriptions.length, 1);
  assert.equal(res.body.subscriptions[0].channelId, DEAL_DESK);
  assert.equal(JSON.stringify(res.body).includes('clientState'), false);
});

test('POST /v1/subscriptions/{id}/renew renews now; unknown id gets 404', async () => {
  const row = (await listSubscriptions(a.context.db.pool))[0]!;
  await a.context.db.pool.query(
    `UPDATE subscriptions SET expiration = now() + interval '2 hours' WHERE id = $1`,
    [row.id],
  );
  const res = await signedPost(a, `/v1/subscriptions/${encodeURIComponent(row.id)}/renew`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.id, row.id);
  assert.ok(Date.parse(res.body.expiration) > Date.now() + 4200 * 60_000);
  const missing = await signedPost(a, '/v1/subscriptions/not-a-subscription/renew');
  assert.equal(missing.status, 404);
  assert.match(missing.body.error.message, /GET \/v1\/status/);
});

test('dead letters are listed and retried through the signed API, once', async () => {
  const id = await recordDeadLetter(a.context.db.pool, {
    queue: INBOUND_QUEUE,
    jobId: null,
    payload: {
      deliveryId: '7d7c0f55-4bc5-4a43-8d43-9c4f0a1f7b11',
      source: 'notification',
      receivedAt: new Date().toISOString(),
      teamId: SALES_TEAM,
      channelId: '19:unknown@thread.tacv2',
      messageId: '1700000000000',
      replyToId: null,
    },
    error: 'INVALID_CROSS_REFERENCE_KEY: owner inactive',
    attempts: 9,
  });
  const list = await signedGet(a, '/v1/dead-letters?limit=10');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.deepEqual(Object.keys(list.body.items[0]).sort(), [
    'attempts',
    'error',
    'failedAt',
    'id',
    'payload',
    'queue',
  ]);
  assert.equal(list.body.items[0].id, id);

  const retry = await signedPost(a, `/v1/dead-letters/${id}/retry`);
  assert.equal(retry.status, 202);
  assert.deepEqual(retry.body, { id, requeued: true });
  const twice = await signedPost(a, `/v1/dead-letters/${id}/retry`);
  assert.equal(twice.status, 409);
  const unknown = await signedPost(a, '/v1/dead-letters/00000000-0000-0000-0000-000000000000/retry');
  assert.equal(unknown.status, 404);
  const badLimit = await signedGet(a, '/v1/dead-letters?limit=abc');
  assert.equal(badLimit.status, 400);
  assert.equal((await signedGet(a, '/v1/dead-letters')).body.total, 0);
});

test('/healthz answers with the Node version, which a metric carries too', async () => {
  const health = await request(a.url).get('/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: 'ok', node: process.versions.node });
  const [major, minor, patch] = process.versions.node.split('.');
  const metrics = await request(a.url).get('/metrics');
  assert.ok(
    metrics.text.includes(
      `teams_bridge_nodejs_version_info{version="v${process.versions.node}",major="${major}",minor="${minor}",patch="${patch}"} 1`,
    ),
    metrics.text
      .split('\n')
      .filter((l) => l.includes('version'))
      .join('\n'),
  );
});

test('/readyz is 200 with every dependency', async () => {
  const ready = await request(a.url).get('/readyz');
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  assert.equal(ready.body.ready, true);

  // Each dependency failing for real: test/reliability/readiness.test.ts.
});

test('GET /v1/teams and /v1/teams/{id}/channels list what the app can see; POST creates a channel', async () => {
  const teams = await signedGet(a, '/v1/teams');
  assert.equal(teams.status, 200, JSON.stringify(teams.body));
  assert.ok(
    teams.body.teams.some(
      (t: { id: string; displayName: string }) => t.id === SALES_TEAM && t.displayName === 'Sales',
    ),
  );
  const channels = await signedGet(a, `/v1/teams/${SALES_TEAM}/channels`);
  assert.equal(channels.status, 200);
  const deal = channels.body.channels.find((c: { id: string }) => c.id === DEAL_DESK);
  assert.equal(deal.displayName, 'Deal Desk');
  assert.equal(deal.membershipType, 'standard');
  assert.ok(deal.webUrl);

  const created = await signedPost(a, `/v1/teams/${SALES_TEAM}/channels`, {
    displayName: 'Fabrikam renewal',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.displayName, 'Fabrikam renewal');
  const bad = await signedPost(a, `/v1/teams/${SALES_TEAM}/channels`, { displayName: 'a/b' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /displayName/);
});

test('GET /v1/conversation: threads with replies as plain text, author emails, paging; a reply where the app is not installed is refused', async (t) => {
  // Many pages of one channel in a row: Graph's per-channel read limit is not what this test is about.
  throttleForTest(t, stands, { readPerChannelPerSecond: 0 });
  const root = stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    from: 'megan@contoso.example',
    content: '<p>Pricing <b>update</b><script>alert(1)</script></p>',
  });
  stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    from: 'alex@contoso.example',
    content: '<p>Thanks &amp; noted</p>',
    replyToId: root.id,
  });
  for (let i = 0; i < 21; i++) {
    stands.graph.control.postMessage({
      teamId: SALES_TEAM,
      channelId: DEAL_DESK,
      from: 'alex@contoso.example',
      content: `<p>filler ${i}</p>`,
    });
  }
  const q = `/v1/conversation?teamId=${encodeURIComponent(SALES_TEAM)}&channelId=${encodeURIComponent(DEAL_DESK)}`;
  const first = await signedGet(a, q);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.channel.displayName, 'Deal Desk');
  assert.equal(first.body.messages.length, 20);
  assert.ok(first.body.nextPageToken);
  const all = [...first.body.messages];
  let token = first.body.nextPageToken as string | null;
  while (token) {
    const page = await signedGet(a, `${q}&pageToken=${encodeURIComponent(token)}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    all.push(...page.body.messages);
    token = page.body.nextPageToken;
  }
  const thread = all.find((m: { id: string }) => m.id === root.id);
  assert.ok(thread, 'the thread is on one of the pages');
  assert.equal(thread.text, 'Pricing update');
  assert.equal(thread.author, 'Megan Bowen');
  assert.equal(thread.authorEmail, 'megan@contoso.example');
  assert.equal(thread.replies.length, 1);
  assert.equal(thread.replies[0].text, 'Thanks & noted');

  const forged = Buffer.from('https://evil.example/v1.0/teams').toString('base64url');
  assert.equal((await signedGet(a, `${q}&pageToken=${forged}`)).status, 400);
  assert.equal((await signedGet(a, '/v1/conversation?teamId=x')).status, 400);
  const reply = await signedPost(a, '/v1/conversation/reply', {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    text: 'hi',
    senderEmail: 'alex@contoso.example',
  });
  assert.equal(reply.status, 409);
  assert.match(reply.body.error.message, /not installed/);

  stands.graph.control.revokeConsent({ permissions: ['ChannelMessage.Read.All'] });
  try {
    const denied = await signedGet(a, q);
    assert.equal(denied.status, 502);
    assert.match(denied.body.error.message, /grant admin consent for ChannelMessage\.Read\.All/);
  } finally {
    stands.graph.control.grantConsent({ permissions: ['ChannelMessage.Read.All'] });
  }
});

test('POST /v1/outbound accepts each idempotency key once and persists the items; bad batches get 400', async () => {
  const item = (key: string) => ({
    idempotencyKey: key,
    kind: 'OpportunityHandoff',
    recordId: '0065g0000000008AAA',
    payload: { name: 'Contoso renewal', amount: 120000, closeDate: '2026-12-31', stageName: 'Qualification' },
  });
  const first = { items: [item('evt-1'), item('evt-2'), item('evt-2')] };
  const r1 = await signedPost(a, '/v1/outbound', first);
  assert.equal(r1.status, 202, JSON.stringify(r1.body));
  assert.deepEqual(r1.body, { accepted: 2, duplicates: 1 });
  const r2 = await signedPost(a, '/v1/outbound', { items: [item('evt-2'), item('evt-3')] });
  assert.deepEqual(r2.body, { accepted: 1, duplicates: 1 });
  const { rows } = await a.context.db.pool.query<{
    idempotency_key: string;
    status: string;
    payload: { amount: number };
  }>('SELECT idempotency_key, status, payload FROM outbound_items ORDER BY idempotency_key');
  assert.deepEqual(
    rows.map((r) => r.idempotency_key),
    ['evt-1', 'evt-2', 'evt-3'],
  );
  assert.ok(['queued', 'posting', 'dead'].includes(rows[0]!.status), 'stored for the posting worker');
  assert.equal(rows[0]!.payload.amount, 120000);

  const bad = await signedPost(a, '/v1/outbound', { items: [{ ...item('evt-4'), kind: 'Other' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /kind must be OpportunityHandoff or LeadConverted/);
  const tooMany = await signedPost(a, '/v1/outbound', {
    items: Array.from({ length: 2001 }, (_, i) => item(`k${i}`)),
  });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.body.error.message, /at most 2,000/);
});
