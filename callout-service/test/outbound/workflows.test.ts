/**
 * The Workflows posting mode against the Workflows stand-in: a channel set to `workflows` gets the card
 * through its webhook (202), the URL sealed at rest and never returned; a 5xx is retried, then dead-lettered;
 * an oversized card is refused before anything is sent; private channels are refused.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import type { RunningService } from '../../src/main.ts';
import { cardMarker } from '../../src/outbound/card.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  callout,
  startOutboundService,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

const KEY = randomBytes(32).toString('base64');
let db: TestDatabase;
let stands: Stands;
let service: RunningService;
let webhookUrl: string;

const signed = (method: 'put' | 'post', path: string, body: unknown) =>
  callout(stands, service, method, path, body);

const item = (nextStep = 'Deal desk review') => ({
  idempotencyKey: randomUUID(),
  kind: 'OpportunityHandoff',
  recordId: stands.opportunityId,
  payload: {
    name: 'Contoso renewal',
    amount: 125000,
    currencyIsoCode: 'EUR',
    closeDate: '2026-12-31',
    stageName: 'Qualification',
    nextStep,
    ownerName: 'Alex Wilber',
    recordUrl: `https://contoso.my.salesforce.com/lightning/r/Opportunity/${stands.opportunityId}/view`,
    accountName: 'Contoso',
  },
});

const row = async (key: string) =>
  (await service.context.db.pool.query('SELECT * FROM outbound_items WHERE idempotency_key = $1', [key]))
    .rows[0] as Record<string, unknown>;

const workflowCards = (key: string) =>
  stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .filter((m) => m.from.application?.displayName === 'Workflows')
    .filter((m) => String(m.attachments[0]?.content).includes(cardMarker(key)));

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  service = await startOutboundService(stands, db.url, {
    outboundEnv: { OUTBOUND_MAX_ATTEMPTS: '2', OUTBOUND_SECRET_KEY: KEY },
  });
  webhookUrl = stands.graph.control.createWorkflowsWebhook({ teamId: SALES_TEAM, channelId: DEAL_DESK }).url;
  const set = await signed('put', '/v1/channel-posting', {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    mode: 'workflows',
    webhookUrl,
  });
  assert.equal(set.status, 200, JSON.stringify(set.body));
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});
beforeEach(() => {
  stands.graph.control.failWorkflows({ status: 502, count: 0 });
});

test('a Workflows channel gets the card through its webhook (202); the URL is sealed and never returned', async () => {
  const it = item();
  const sent = await signed('post', '/v1/outbound', { items: [it] });
  assert.equal(sent.status, 202);
  await waitFor('done', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
  const cards = workflowCards(it.idempotencyKey);
  assert.equal(cards.length, 1, 'posted once, by the Workflows app');
  const card = JSON.parse(String(cards[0]!.attachments[0]!.content)) as { actions?: { type: string }[] };
  assert.ok(!(card.actions ?? []).some((a) => a.type === 'Action.Execute'), 'no Accept without the bot');
  assert.match(String((await row(it.idempotencyKey)).message_url), new RegExp(cards[0]!.id));

  const { rows } = await service.context.db.pool.query('SELECT webhook_sealed FROM channel_posting');
  const sealed = String(rows[0].webhook_sealed);
  assert.ok(!sealed.includes(new URL(webhookUrl).searchParams.get('sig')!), 'the sig is not stored in clear');
  assert.ok(!sealed.includes('workflows'), 'the URL is not stored in clear');
  const shown = await callout(
    stands,
    service,
    'get',
    `/v1/channel-posting?${new URLSearchParams({ teamId: SALES_TEAM, channelId: DEAL_DESK })}`,
  );
  assert.equal(shown.status, 200);
  assert.deepEqual(shown.body, {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    mode: 'workflows',
    webhookUrlSet: true,
  });
});

test('a webhook answering 5xx is retried, then the item is a dead letter naming the status', async () => {
  stands.graph.control.failWorkflows({ status: 502, count: 100 });
  const before = stands.graph.control.workflowsRequests().length;
  const it = item();
  await signed('post', '/v1/outbound', { items: [it] });
  await waitFor('dead', async () => (await row(it.idempotencyKey))?.status === 'dead', 15_000);
  const r = await row(it.idempotencyKey);
  assert.match(String(r.last_error), /Workflows webhook answered 502/);
  assert.equal(r.attempts, 2);
  assert.equal(stands.graph.control.workflowsRequests().length - before, 2, 'sent once per attempt');
  assert.ok(!String(r.last_error).includes('sig='), 'the webhook URL is not in the error');
  assert.equal(workflowCards(it.idempotencyKey).length, 0);
  const letters = await callout(stands, service, 'get', '/v1/dead-letters');
  assert.ok(
    letters.body.items.some(
      (l: { payload: { idempotencyKey: string } }) => l.payload.idempotencyKey === it.idempotencyKey,
    ),
  );
});

test('an oversized card is refused before sending: a dead letter says why', async () => {
  const before = stands.graph.control.workflowsRequests().length;
  const it = item('x'.repeat(30_000));
  await signed('post', '/v1/outbound', { items: [it] });
  await waitFor('dead', async () => (await row(it.idempotencyKey))?.status === 'dead', 15_000);
  const r = await row(it.idempotencyKey);
  assert.match(String(r.last_error), /over the 28672-byte Workflows message limit: not sent/);
  assert.equal(r.attempts, 1, 'not retried');
  assert.equal(stands.graph.control.workflowsRequests().length, before, 'nothing was sent');
});

test('Workflows is refused for a private channel and for a URL that is not https', async () => {
  const secret = stands.graph.control.addChannel({
    teamId: SALES_TEAM,
    displayName: `Private ${Date.now()}`,
    membershipType: 'private',
  });
  const url = stands.graph.control.createWorkflowsWebhook({ teamId: SALES_TEAM, channelId: secret.id }).url;
  const refused = await signed('put', '/v1/channel-posting', {
    teamId: SALES_TEAM,
    channelId: secret.id,
    mode: 'workflows',
    webhookUrl: url,
  });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /private channel/);
  const plain = await signed('put', '/v1/channel-posting', {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    mode: 'workflows',
    webhookUrl: url.replace('https:', 'http:'),
  });
  assert.equal(plain.status, 400);
  assert.match(plain.body.error.message, /https/);
});
