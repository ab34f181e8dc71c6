/**
 * Salesforce -> Teams end to end against the stand-ins: /v1/outbound → posting worker → bot (Teams SDK) →
 * Bot Framework stand-in → a channel message Graph lists; link written back; replies; Accept handoff.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import type { RunningService } from '../../src/main.ts';
import { cardMarker } from '../../src/outbound/card.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  USERS,
  callout,
  startOutboundService,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;

const startOne = (outboundEnv: Record<string, string> = {}, outboundHooks = {}) =>
  startOutboundService(stands, db.url, { outboundEnv, outboundHooks });

const item = (key = randomUUID(), recordId = stands.opportunityId) => ({
  idempotencyKey: key,
  kind: 'OpportunityHandoff',
  recordId,
  payload: {
    name: 'Contoso renewal',
    amount: 125000,
    currencyIsoCode: 'EUR',
    closeDate: '2026-12-31',
    stageName: 'Qualification',
    nextStep: 'Deal desk review',
    ownerName: 'Alex Wilber',
    recordUrl: `https://contoso.my.salesforce.com/lightning/r/Opportunity/${recordId}/view`,
    accountName: 'Contoso',
  },
});

const send = (s: RunningService, body: unknown) => callout(stands, s, 'post', '/v1/outbound', body);

const botCards = () =>
  stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .filter((m) => m.from.application && m.attachments.length > 0);

const cardsFor = (key: string) =>
  botCards().filter((m) => String(m.attachments[0]!.content).includes(cardMarker(key))).length;

const row = async (key: string) =>
  (await service.context.db.pool.query('SELECT * FROM outbound_items WHERE idempotency_key = $1', [key]))
    .rows[0] as Record<string, unknown>;

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  service = await startOne();
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});
beforeEach(async () => {
  stands.graph.control.setBotEndpoint({ url: `${service.url}/api/messages` });
  const installed = await stands.graph.control.installBot({ teamId: SALES_TEAM });
  assert.deepEqual(installed.deliveries, [200, 200]);
});

test('a handoff posts one card in the linked channel, replays change nothing, the link goes back to Salesforce', async () => {
  const body = { items: [item()] };
  const first = await send(service, body);
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.deepEqual(first.body, { accepted: 1, duplicates: 0 });
  const replay = await send(service, body);
  assert.deepEqual(replay.body, { accepted: 0, duplicates: 1 });
  await waitFor(
    'the card is done',
    async () => (await row(body.items[0]!.idempotencyKey))?.status === 'done',
    15_000,
  );
  assert.equal(cardsFor(body.items[0]!.idempotencyKey), 1);
  const card = JSON.parse(botCards().at(-1)!.attachments[0]!.content as string);
  assert.equal(card.version, '1.5');
  assert.match(JSON.stringify(card), /€125,000\.00/);
  const [opp] = stands.sf.control.query(
    `SELECT Teams_Message_Url__c FROM Opportunity WHERE Id = '${stands.opportunityId}'`,
  ).records;
  assert.match(String(opp!.Teams_Message_Url__c), /^https:\/\/teams\.microsoft\.com\/l\/message\//);
});

test('a schema error in one item refuses the batch with what to fix, and stores nothing', async () => {
  const good = item();
  const bad = { ...item(), recordId: 'not-an-id' };
  const answer = await send(service, { items: [good, bad] });
  assert.equal(answer.status, 400);
  assert.match(answer.body.error.message, /items\.1\.recordId/);
  assert.equal(await row(good.idempotencyKey), undefined);
});

test('the bot endpoint refuses unsigned and stale activities', async () => {
  const activity = {
    type: 'message',
    text: 'hi',
    serviceUrl: stands.graph.botFramework.serviceUrl,
    channelId: 'msteams',
    conversation: { id: DEAL_DESK },
    from: { id: '29:x' },
  };
  assert.equal((await stands.graph.control.sendBotActivity({ activity, unsigned: true })).status, 401);
  assert.equal((await stands.graph.control.sendBotActivity({ activity, expiredBySeconds: 900 })).status, 401);
});

test('app not installed: retried, then a dead letter the admin can retry once the app is added', async () => {
  await stands.graph.control.uninstallBot({ teamId: SALES_TEAM });
  const it = item();
  await send(service, { items: [it] });
  await waitFor('dead', async () => (await row(it.idempotencyKey))?.status === 'dead', 15_000);
  assert.match(String((await row(it.idempotencyKey)).last_error), /not installed/);
  const letters = await callout(stands, service, 'get', '/v1/dead-letters');
  const letter = letters.body.items.find(
    (l: { payload: { idempotencyKey: string } }) => l.payload.idempotencyKey === it.idempotencyKey,
  );
  assert.ok(letter, 'the dead letter is listed');
  await stands.graph.control.installBot({ teamId: SALES_TEAM });
  const retried = await callout(stands, service, 'post', `/v1/dead-letters/${letter.id}/retry`);
  assert.equal(retried.status, 202);
  await waitFor(
    'posted after the retry',
    async () => (await row(it.idempotencyKey))?.status === 'done',
    15_000,
  );
});

test('throttling: the shared limiter keeps under the stand-in limit and Retry-After is honoured', async () => {
  stands.graph.control.setBotLimits({ perThread: [{ limit: 2, windowMs: 1000 }] });
  const items = Array.from({ length: 5 }, () => item());
  await send(service, { items });
  await waitFor(
    'all posted',
    async () => {
      const { rows } = await service.context.db.pool.query(
        `SELECT count(*)::int AS n FROM outbound_items WHERE idempotency_key = ANY($1) AND status = 'done'`,
        [items.map((i) => i.idempotencyKey)],
      );
      return rows[0].n === 5;
    },
    20_000,
  );
  for (const i of items) assert.equal(cardsFor(i.idempotencyKey), 1, 'each item posted exactly once');
  stands.graph.control.setBotLimits({ documented: true });
});

test('tokens invalidated in Entra: the bot drops its cached token on the 401 and posts once, no dead letter', async () => {
  const warm = item();
  await send(service, { items: [warm] });
  await waitFor('a token cached', async () => (await row(warm.idempotencyKey))?.status === 'done', 15_000);
  const since = new Date().toISOString();
  stands.graph.control.expireTokens();
  const it = item();
  await send(service, { items: [it] });
  await waitFor(
    'posted or dead',
    async () => ['done', 'dead'].includes(String((await row(it.idempotencyKey))?.status)),
    15_000,
  );
  assert.equal(
    (await row(it.idempotencyKey)).status,
    'done',
    String((await row(it.idempotencyKey)).last_error),
  );
  assert.equal(cardsFor(it.idempotencyKey), 1);
  const refused = stands.graph.control
    .requests({ pathContains: '/botframework/', since })
    .filter((r) => r.status === 401);
  assert.ok(refused.length >= 1, 'the connector refused the invalidated token first');
});

test('a channel deleted in Teams: dead letter naming the cause', async () => {
  const channel = stands.graph.control.addChannel({ teamId: SALES_TEAM, displayName: `Gone ${Date.now()}` });
  const [oppId] = stands.sf.control.seed('Opportunity', [
    { Name: 'Gone deal', StageName: 'Qualification', CloseDate: '2026-12-31' },
  ]);
  stands.sf.control.seed('Teams_Channel_Link__c', {
    Name: 'Gone',
    Opportunity__c: oppId,
    Team_Id__c: SALES_TEAM,
    Channel_Id__c: channel.id,
    Status__c: 'Active',
  });
  stands.graph.control.deleteChannel({ teamId: SALES_TEAM, channelId: channel.id });
  const it = item(randomUUID(), oppId);
  await send(service, { items: [it] });
  await waitFor('dead', async () => (await row(it.idempotencyKey))?.status === 'dead', 15_000);
  assert.match(String((await row(it.idempotencyKey)).last_error), /channel is gone/);
});

test('a reply from the record page lands in the thread once per key', async () => {
  const key = randomUUID();
  const body = {
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    text: 'Thanks, *on it*',
    senderEmail: 'alex@contoso.example',
    senderName: 'Alex Wilber',
    idempotencyKey: key,
  };
  const post = () => callout(stands, service, 'post', '/v1/conversation/reply', body);
  const first = await post();
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const again = await post();
  assert.equal(again.body.id, first.body.id);
  const posted = stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .filter((m) => m.body.content.includes('(from Salesforce)') && m.body.content.includes('on it'));
  assert.equal(posted.length, 1);
  assert.match(posted[0]!.body.content, /\*\*Alex Wilber\*\*/);
});

test('Accept handoff: unmapped user refused, two users at once give one acceptance and one Task', async () => {
  const it = item();
  await send(service, { items: [it] });
  await waitFor('done', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
  const messageId = String((await row(it.idempotencyKey)).message_id);
  const press = (user: string) =>
    stands.graph.control.cardAction({
      teamId: SALES_TEAM,
      channelId: DEAL_DESK,
      messageId,
      user,
      verb: 'acceptHandoff',
      data: { idempotencyKey: it.idempotencyKey },
    });
  const unmapped = await press(USERS.lee);
  assert.equal(unmapped.status, 200);
  assert.match(JSON.stringify(unmapped.body), /not mapped/);
  for (const [id, name] of [
    [USERS.alex, 'Alex Wilber'],
    [USERS.megan, 'Megan Bowen'],
  ]) {
    stands.sf.control.seed('Teams_User_Mapping__c', {
      Name: name,
      Entra_Object_Id__c: id,
      User__c: stands.opportunityOwnerId,
      Status__c: 'Manual',
    });
  }
  const [a, b] = await Promise.all([press(USERS.alex), press(USERS.megan)]);
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  const tasks = stands.sf.control
    .records('Task')
    .filter((t) => String(t.Subject).startsWith('Handoff accepted') && t.WhatId === stands.opportunityId);
  assert.equal(tasks.length, 1, 'one acceptance');
  const updated = stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId: DEAL_DESK })
    .find((m) => m.id === messageId)!;
  assert.match(String(updated.attachments[0]!.content), /Accepted by/);
});

test('the AE is notified in the activity feed when mapped; an unmapped AE is recorded', async () => {
  // Alex and Megan are mapped to the Opportunity owner since the Accept test.
  const mapped = item();
  mapped.payload = { ...mapped.payload, ownerId: stands.opportunityOwnerId } as typeof mapped.payload;
  const unmapped = item();
  unmapped.payload = { ...unmapped.payload, ownerId: '005000000000099AAA' } as typeof unmapped.payload;
  const before = stands.graph.control.activityNotifications().length;
  await send(service, { items: [mapped, unmapped] });
  await waitFor(
    'both done',
    async () => {
      const a = await row(mapped.idempotencyKey);
      const b = await row(unmapped.idempotencyKey);
      return !!a?.ae_notification && !!b?.ae_notification;
    },
    15_000,
  );
  assert.equal((await row(mapped.idempotencyKey)).ae_notification, 'sent');
  assert.equal((await row(unmapped.idempotencyKey)).ae_notification, 'unmapped');
  const sent = stands.graph.control.activityNotifications().slice(before);
  assert.equal(sent.length, 1);
  assert.ok([USERS.alex, USERS.megan].includes(sent[0]!.recipientUserId));
  assert.equal(sent[0]!.activityType, 'dealQualified');
});

test('killed between posting and recording: the next run finds the card instead of posting it again', async () => {
  const it = item();
  let crashed!: () => void;
  const didCrash = new Promise<void>((resolve) => (crashed = resolve));
  const victim = await startOne(
    {},
    {
      afterSend: async () => {
        crashed();
        await new Promise(() => {});
      },
    },
  );
  // Only the victim may take the item (the main service's worker would otherwise race it).
  await service.context.outbound.worker?.stop();
  await send(victim, { items: [it] });
  await Promise.race([
    didCrash,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the victim never posted')), 15_000)),
  ]);
  await victim.crash();
  assert.equal(cardsFor(it.idempotencyKey), 1, 'the post reached Teams');
  const r = await row(it.idempotencyKey);
  assert.equal(r.message_id, null, 'and was never recorded');
  stands.graph.control.setBotEndpoint({ url: `${service.url}/api/messages` });
  service.context.outbound.worker?.start();
  await waitFor('reconciled', async () => (await row(it.idempotencyKey))?.status === 'done', 15_000);
  assert.equal(cardsFor(it.idempotencyKey), 1, 'no second post');
  assert.ok((await row(it.idempotencyKey)).message_id);
});
