import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { getChannelCursor } from '../../src/store/channel-cursors.ts';
import { listSubscriptions, updateSubscriptionStatus } from '../../src/store/subscriptions.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  USERS,
  serviceConfig,
  start,
  startStandIns,
  tasks,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;

// Channel-message subscriptions only (the tenant transcript subscription is tested in test/transcripts).
const graphSubs = () =>
  stands.graph.control.subscriptions().filter((s) => !s.resource.startsWith('communications/'));
const mirror = () =>
  stands.sf.control.records('Teams_Subscription__c') as unknown as {
    Subscription_Id__c: string;
    Status__c: string;
    Expiration__c: string;
    Channel_Link__c: string;
  }[];
const rows = () => listSubscriptions(service.context.db.pool);
const manager = () => service.context.subscriptionManager;
const post = (content: string, from = USERS.alex) =>
  stands.graph.control.postMessage({ teamId: SALES_TEAM, channelId: DEAL_DESK, from, content });
const linkId = () =>
  String(
    stands.sf.control.query(`SELECT Id FROM Teams_Channel_Link__c WHERE Channel_Id__c = '${DEAL_DESK}'`)
      .records[0]!.Id,
  );

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  // The manager is driven by hand here (tick, reconcile, backfill) so every step is observable.
  service = await start(
    serviceConfig(stands, db.url, {
      SUBSCRIPTIONS_ENABLED: 'false',
      CHANNEL_SILENT_AFTER_MINUTES: '5',
      METRICS_REFRESH_SECONDS: '1',
    }),
  );
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});
beforeEach(() => {
  stands.graph.control.clearFaults();
});

test('reconcile creates one subscription per Active link: lifecycle URL, own clientState, ~4,230 minutes, mirrored', async () => {
  const first = await manager().reconcile();
  assert.equal(first.created.length, 1, JSON.stringify(first));
  const [sub] = graphSubs();
  assert.ok(sub);
  assert.equal(sub.notificationUrl, `${service.url}/graph/notifications`);
  assert.equal(sub.lifecycleNotificationUrl, `${service.url}/graph/lifecycle`);
  assert.equal(sub.resource, `/teams/${SALES_TEAM}/channels/${DEAL_DESK}/messages`);
  const minutes = (Date.parse(sub.expirationDateTime) - Date.now()) / 60_000;
  assert.ok(minutes > 4200 && minutes <= 4320, `expiration ${minutes} minutes away`);
  const [row] = await rows();
  assert.equal(row!.id, sub.id);
  assert.ok(row!.clientState.length >= 40, 'a long random secret');
  assert.equal(row!.channelLinkId, linkId());
  const mirrored = mirror().find((m) => m.Subscription_Id__c === sub.id);
  assert.equal(mirrored?.Status__c, 'Active');
  assert.equal(mirrored?.Channel_Link__c, linkId());

  // Again: nothing to do, no second subscription, nothing re-sent to Salesforce.
  stands.sf.control.clearRequests();
  const second = await manager().reconcile();
  assert.deepEqual([second.created, second.renewed, second.deleted], [[], [], []]);
  assert.equal(graphSubs().length, 1);
  assert.equal(
    stands.sf.control.requests().filter((r) => String(r.path).includes('Teams_Subscription__c')).length,
    0,
  );
  // The first delta round ran and its link is kept per channel.
  const cursor = await getChannelCursor(service.context.db.pool, SALES_TEAM, DEAL_DESK);
  assert.ok(cursor?.deltaLink?.includes('deltatoken'));
});

test('a message in the subscribed channel becomes a Task through the created subscription', async () => {
  const message = post('<p>We need a <b>discount</b> approval for Contoso</p>');
  const task = await waitFor('the Task', () => tasks(stands).find((t) => t.Description.includes('Contoso')));
  assert.equal(task.WhatId, stands.opportunityId);
  assert.ok(message.id);
  const [row] = await rows();
  assert.ok(row!.lastNotificationAt, 'the webhook recorded the notification');
});

test('renewed well before expiry; a subscription Graph lost (404) is recreated', async () => {
  const [row] = await rows();
  await updateSubscriptionStatus(service.context.db.pool, row!.id, {
    expiration: new Date(Date.now() + 60 * 60_000),
  });
  const renewed = await manager().reconcile();
  assert.deepEqual(renewed.renewed, [row!.id]);
  const after1 = (await rows())[0]!;
  assert.ok(after1.expiration!.getTime() > Date.now() + 4200 * 60_000);
  assert.ok(Date.parse(graphSubs()[0]!.expirationDateTime) > Date.now() + 4200 * 60_000);

  // Graph drops it (as after a long outage); the next renewal gets 404 and recreates.
  await service.context.graph.client.api(`/subscriptions/${row!.id}`).delete();
  await updateSubscriptionStatus(service.context.db.pool, row!.id, {
    expiration: new Date(Date.now() + 60_000),
  });
  const recreated = await manager().reconcile();
  assert.deepEqual(recreated.recreated, [row!.id]);
  const now = await rows();
  assert.equal(now.length, 1);
  assert.notEqual(now[0]!.id, row!.id);
  assert.equal(graphSubs().length, 1);
  assert.equal(graphSubs()[0]!.id, now[0]!.id);
  assert.equal(mirror().find((m) => m.Subscription_Id__c === row!.id)?.Status__c, 'Removed');
  assert.equal(mirror().find((m) => m.Subscription_Id__c === now[0]!.id)?.Status__c, 'Active');
});

test('a lapsed subscription loses nothing: the delta backfill queues what was never notified, exactly once', async () => {
  const before = tasks(stands).length;
  // Notifications are dropped (a lapse); one message is notified normally afterwards too.
  stands.graph.control.setFaults({ dropNextNotifications: 3 });
  const lost = [
    post('<p>Lost 1: pricing exception for Contoso</p>'),
    post('<p>Lost 2: legal review</p>'),
    post('<p>Lost 3: nothing here</p>'),
  ];
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(tasks(stands).length, before, 'dropped notifications made no Task');
  const noticed = post('<p>Seen: redline the MSA</p>');
  await waitFor('the notified Task', () =>
    tasks(stands).some((t) => t.Description.includes('Seen: redline')),
  );

  const result = await manager().backfillAll();
  assert.equal(result.queued, 3, 'only the never-notified messages are queued');
  await waitFor('the backfilled Tasks', () => tasks(stands).length === before + 3 && tasks(stands));
  // Running the backfill and the inbound jobs again changes nothing.
  const again = await manager().backfillAll();
  assert.equal(again.queued, 0);
  await new Promise((r) => setTimeout(r, 500));
  const all = tasks(stands);
  assert.equal(all.length, before + 3);
  assert.equal(new Set(all.map((t) => t.Teams_Message_Id__c)).size, all.length, 'no duplicate Task');
  assert.ok(lost[0]!.id && noticed.id);
});

test('lifecycle: subscriptionRemoved recreates and backfills, reauthorizationRequired renews', async () => {
  const [old] = await rows();
  stands.graph.control.triggerLifecycle({ subscriptionId: old!.id, event: 'subscriptionRemoved' });
  await waitFor('the lifecycle job processed', async () => {
    await manager().tick();
    const now = await rows();
    return now.length === 1 && now[0]!.id !== old!.id;
  });
  const [fresh] = await rows();
  assert.equal(graphSubs().length, 1);
  assert.equal(graphSubs()[0]!.id, fresh!.id);

  await updateSubscriptionStatus(service.context.db.pool, fresh!.id, {
    expiration: new Date(Date.now() + 3600_000),
  });
  stands.graph.control.triggerLifecycle({ subscriptionId: fresh!.id, event: 'reauthorizationRequired' });
  await waitFor('the reauthorization', async () => {
    await manager().tick();
    const [r] = await rows();
    return r!.expiration!.getTime() > Date.now() + 4200 * 60_000;
  });
  assert.equal((await rows())[0]!.id, fresh!.id, 'same subscription, renewed');
});

test('a channel silent longer than configured is reported Silent (log, metric, Teams_Subscription__c)', async () => {
  const [row] = await rows();
  await service.context.db.pool.query(
    `UPDATE subscriptions SET created_at = now() - interval '10 minutes', last_notification_at = now() - interval '6 minutes' WHERE id = $1`,
    [row!.id],
  );
  const result = await manager().reconcile();
  assert.deepEqual(result.silent, [row!.id]);
  assert.equal((await rows())[0]!.status, 'Silent');
  assert.equal(mirror().find((m) => m.Subscription_Id__c === row!.id)?.Status__c, 'Silent');
  // The gauges come from a snapshot refreshed on a timer (METRICS_REFRESH_SECONDS), not from each scrape.
  const silent = new RegExp(
    `teams_bridge_channel_silent\\{channel_id="${DEAL_DESK.replace(/[.]/g, '\\.')}"\\} 1`,
  );
  const metrics = await waitFor('the silent gauge', async () => {
    const text = await service.context.metrics.registry.metrics();
    return silent.test(text) && text;
  });
  assert.match(metrics, /teams_bridge_subscriptions\{status="Silent"\} 1/);
  assert.match(metrics, /teams_bridge_subscription_nearest_expiry_seconds \d+/);

  // A notification brings it back.
  post('<p>hello again</p>');
  await waitFor(
    'the notification',
    async () => (await rows())[0]!.lastNotificationAt!.getTime() > Date.now() - 60_000,
  );
  await manager().reconcile();
  assert.equal((await rows())[0]!.status, 'Active');
});

test('a link that goes (Unlinked) has its subscription deleted and mirrored as Removed', async () => {
  const [row] = await rows();
  await service.context.salesforce.call('test', (conn) =>
    conn.sobject('Teams_Channel_Link__c').update({ Id: linkId(), Status__c: 'Unlinked' }),
  );
  const result = await manager().reconcile();
  assert.deepEqual(result.deleted, [row!.id]);
  assert.equal(graphSubs().length, 0);
  assert.equal((await rows()).length, 0);
  assert.equal(mirror().find((m) => m.Subscription_Id__c === row!.id)?.Status__c, 'Removed');
});

test('a subscription Graph still has for the channel but the service lost track of (409) is replaced', async () => {
  await service.context.salesforce.call('test', (conn) =>
    conn.sobject('Teams_Channel_Link__c').update({ Id: linkId(), Status__c: 'Active' }),
  );
  // Left over from a previous database: Graph allows one per app per channel, and its secret is unknown.
  const stale = (await service.context.graph.client.api('/subscriptions').post({
    changeType: 'created',
    notificationUrl: `${service.url}/graph/notifications`,
    lifecycleNotificationUrl: `${service.url}/graph/lifecycle`,
    resource: `/teams/${SALES_TEAM}/channels/${DEAL_DESK}/messages`,
    expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
    clientState: 'unknown-secret',
  })) as { id: string };
  const result = await manager().reconcile();
  assert.equal(result.created.length, 1, JSON.stringify(result));
  const subs = graphSubs();
  assert.equal(subs.length, 1);
  assert.notEqual(subs[0]!.id, stale.id);
  assert.equal((await rows())[0]!.id, subs[0]!.id);
});

test('a subscription Graph removed without a lifecycle notification is noticed by reconcile, recreated, and its lost message backfilled', async () => {
  const [row] = await rows();
  // Graph drops the subscription silently (Graph sends no `missed` for chatMessage, and here nothing at all).
  stands.graph.control.removeSubscription({ subscriptionId: row!.id });
  post('<p>Unheard: legal review of the order form</p>');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(
    tasks(stands).some((t) => t.Description.includes('Unheard: legal review')),
    false,
  );
  // Far from expiry, so renewal alone would never look at it.
  assert.ok(row!.expiration!.getTime() > Date.now() + 2 * 24 * 3600_000);
  const result = await manager().reconcile();
  assert.deepEqual(result.recreated, [row!.id]);
  const now = await rows();
  assert.equal(now.length, 1);
  assert.notEqual(now[0]!.id, row!.id);
  assert.deepEqual(
    graphSubs().map((s) => s.id),
    [now[0]!.id],
  );
  assert.equal(mirror().find((m) => m.Subscription_Id__c === row!.id)?.Status__c, 'Removed');
  assert.equal(mirror().find((m) => m.Subscription_Id__c === now[0]!.id)?.Status__c, 'Active');
  await waitFor('the backfilled Task', () =>
    tasks(stands).some((t) => t.Description.includes('Unheard: legal review')),
  );
});
