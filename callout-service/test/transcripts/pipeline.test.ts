import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { getTranscriptMeeting, getTranscriptSubscription } from '../../src/transcripts/transcript-store.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  USERS,
  callout,
  serviceConfig,
  start,
  startStandIns,
  tasks,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// A Teams meeting's transcript, through the Graph stand-in's getAllTranscripts notification, the webhook, the
// transcript queue and job, to action-item Tasks on the Opportunity in the Salesforce stand-in.

let stands: Stands;
let db: TestDatabase;
let service: RunningService;
let fabrikamOpportunity: string;
let fabrikamOwner: string;
let alexSf: string;
let n = 0;

const meetingIdFor = (organizer: string) =>
  Buffer.from(`1*${organizer}*0**19:meeting_test${++n}@thread.v2`).toString('base64');
const vtt = [
  'WEBVTT',
  '',
  'NOTE Fabrikam pricing call',
  '',
  '00:00:05.000 --> 00:00:09.000',
  '<v Alex Wilber>Thanks for joining. I will send the revised quote by Friday.</v>',
  '',
  '00:01:10.000 --> 00:01:15.000',
  '<v Alex Wilber>Priya, can you confirm the seat count by next week?</v>',
  '',
  '00:02:00.000 --> 00:02:04.000',
  '<v Priya Raman>Yes. We signed the NDA last month.</v>',
  '',
].join('\n');

/** A meeting organised by Alex on Wednesday 2026-03-11, 15:00 UTC, with the given external attendees. */
function meeting(
  external: Array<{ displayName: string; email: string }>,
  extra: Record<string, unknown> = {},
) {
  const id = meetingIdFor(USERS.alex);
  stands.graph.control.addMeeting({
    id,
    organizerId: USERS.alex,
    subject: 'Fabrikam pricing call',
    startDateTime: '2026-03-11T15:00:00.000Z',
    endDateTime: '2026-03-11T16:00:00.000Z',
    participants: [USERS.megan],
    externalParticipants: external.map((e) => ({ ...e, tenantId: '0c7e2d14-9a3b-4f5e-8d61-2b4a6c8e0f13' })),
    ...extra,
  });
  return id;
}
/** Transcription started after the subscription existed: Graph notifies. */
const transcribe = (meetingId: string, content = vtt) =>
  stands.graph.control.addTranscript({
    meetingId,
    content,
    transcriptionStartedDateTime: new Date(Date.now() + 1000).toISOString(),
  }).id;
const outcome = (meetingId: string, transcriptId: string) =>
  waitFor('the transcript handled', async () => {
    const row = await getTranscriptMeeting(service.context.db.pool, meetingId, transcriptId);
    return row && row.status !== 'skipped' ? row : row?.reason ? row : undefined;
  });
const meetingTasks = () => tasks(stands).filter((t) => t.Subject.startsWith('Meeting: '));

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  const sf = stands.sf.control;
  alexSf = String(sf.query("SELECT Id FROM User WHERE Username = 'alex@contoso.example'").records[0]!.Id);
  const megan = String(
    sf.query("SELECT Id FROM User WHERE Username = 'megan@contoso.example'").records[0]!.Id,
  );
  const [account] = sf.seed('Account', {
    Name: 'Fabrikam',
    Website: 'https://www.fabrikam.example/',
    OwnerId: megan,
  });
  sf.seed('Opportunity', {
    Name: 'Fabrikam — closed last year',
    StageName: 'Closed Won',
    CloseDate: '2025-06-30',
    AccountId: account,
    OwnerId: megan,
  });
  fabrikamOpportunity = sf.seed('Opportunity', {
    Name: 'Fabrikam — expansion',
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
    AccountId: account,
    OwnerId: megan,
  })[0]!;
  fabrikamOwner = megan;
  sf.seed('Teams_User_Mapping__c', {
    Name: 'Alex Wilber',
    Entra_Object_Id__c: USERS.alex,
    User__c: alexSf,
    Status__c: 'Manual',
  });
  service = await start(
    serviceConfig(stands, db.url, {
      SUBSCRIPTIONS_ENABLED: 'true',
      SUBSCRIPTION_TICK_MS: '200',
      TEAMS_BRIDGE_JWT_CERTIFICATE: stands.sf.calloutSigner.certificatePem,
    }),
  );
  await waitFor('the transcript subscription', () => getTranscriptSubscription(service.context.db.pool));
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('the subscription manager creates the tenant getAllTranscripts subscription at start', async () => {
  const row = (await getTranscriptSubscription(service.context.db.pool))!;
  const onGraph = stands.graph.control.subscriptions().find((s) => s.id === row.id)!;
  assert.equal(onGraph.resource, 'communications/onlineMeetings/getAllTranscripts');
  assert.equal(onGraph.changeType, 'created');
  assert.ok(onGraph.lifecycleNotificationUrl);
});

test('a transcript subscription Graph removed is recreated on the next pass, and renewed otherwise', async () => {
  const keeper = service.context.transcripts!.keeper;
  const before = (await getTranscriptSubscription(service.context.db.pool))!;
  assert.equal(await keeper.keepAlive(), 'renewed');
  stands.graph.control.triggerLifecycle({ subscriptionId: before.id, event: 'subscriptionRemoved' });
  assert.equal(await keeper.keepAlive(), 'created');
  const after = (await getTranscriptSubscription(service.context.db.pool))!;
  assert.notEqual(after.id, before.id);
  assert.notEqual(after.clientState, before.clientState);
  assert.ok(stands.graph.control.subscriptions().some((s) => s.id === after.id));
});

test("a customer meeting's commitments become Tasks on the Account's open Opportunity, owned and dated", async () => {
  const meetingId = meeting([{ displayName: 'Priya Raman', email: 'priya.raman@fabrikam.example' }]);
  const transcriptId = transcribe(meetingId);
  const row = await outcome(meetingId, transcriptId);
  assert.equal(row.status, 'tasks', row.reason ?? '');
  assert.equal(row.recordId, fabrikamOpportunity);
  const written = await waitFor('two Tasks', () => meetingTasks().length === 2 && meetingTasks());
  const quote = written.find((t) => /revised quote/.test(t.Subject))!;
  assert.equal(quote.WhatId, fabrikamOpportunity);
  assert.equal(quote.OwnerId, alexSf, 'the mapped speaker owns his commitment');
  assert.equal(quote.ActivityDate, '2026-03-13');
  assert.match(quote.Description, /"Fabrikam pricing call" \(2026-03-11\), at 00:00:05/);
  assert.match(quote.Description, /Meeting: https:\/\/teams\.microsoft\.com\//);
  const seats = written.find((t) => /seat count/.test(t.Subject))!;
  assert.equal(seats.OwnerId, fabrikamOwner, 'an external attendee has no Salesforce user: the record owner');
  assert.equal(seats.ActivityDate, '2026-03-20');
  assert.match(seats.Description, /Owner: Priya Raman/);

  // Graph redelivers the same notification: no second Task.
  const subscription = (await getTranscriptSubscription(service.context.db.pool))!;
  const path = `communications/onlineMeetings('${meetingId}')/transcripts('${transcriptId}')`;
  const again = await request(service.url)
    .post('/graph/notifications')
    .send({
      value: [
        {
          subscriptionId: subscription.id,
          clientState: subscription.clientState,
          changeType: 'created',
          resource: path,
          resourceData: {
            id: transcriptId,
            '@odata.type': '#Microsoft.Graph.callTranscript',
            '@odata.id': path,
          },
          tenantId: stands.graph.tenantId,
        },
      ],
    });
  assert.equal(again.status, 202);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(meetingTasks().length, 2);
});

test('a wrong clientState is discarded', async () => {
  const subscription = (await getTranscriptSubscription(service.context.db.pool))!;
  const meetingId = meeting([{ displayName: 'Priya Raman', email: 'priya.raman@fabrikam.example' }]);
  const path = `communications/onlineMeetings('${meetingId}')/transcripts('forged')`;
  const res = await request(service.url)
    .post('/graph/notifications')
    .send({
      value: [
        { subscriptionId: subscription.id, clientState: 'forged', changeType: 'created', resource: path },
      ],
    });
  assert.equal(res.status, 202);
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.equal(await getTranscriptMeeting(service.context.db.pool, meetingId, 'forged'), undefined);
});

test('a meeting without an external participant is skipped, and says why', async () => {
  const meetingId = meeting([]);
  const transcriptId = transcribe(meetingId);
  const row = await outcome(meetingId, transcriptId);
  assert.equal(row.status, 'skipped');
  assert.match(row.reason!, /no external participant/);
  const listed = await callout(stands, service, 'get', '/v1/transcripts/meetings?status=skipped');
  assert.equal(listed.status, 200);
  assert.ok(listed.body.items.some((m: { meetingId: string }) => m.meetingId === meetingId));
});

test('no matching Account puts the meeting on the unassigned list; assigning it creates the Tasks', async () => {
  const meetingId = meeting([{ displayName: 'Zoë Müller', email: 'zoe@unknown-customer.example' }]);
  const transcriptId = transcribe(
    meetingId,
    'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alex Wilber>I will share the security whitepaper tomorrow.</v>\n',
  );
  const row = await outcome(meetingId, transcriptId);
  assert.equal(row.status, 'unassigned');
  assert.match(row.reason!, /unknown-customer\.example/);
  const before = meetingTasks().length;
  const list = await callout(stands, service, 'get', '/v1/transcripts/meetings?status=unassigned');
  const item = list.body.items.find((m: { meetingId: string }) => m.meetingId === meetingId);
  assert.deepEqual(item.actionItems, [
    {
      speaker: 'Alex Wilber',
      text: 'I will share the security whitepaper tomorrow.',
      owner: 'speaker',
      due: '2026-03-12',
    },
  ]);
  const body = { meetingId, transcriptId, recordId: stands.opportunityId };
  const assigned = await callout(stands, service, 'post', '/v1/transcripts/meetings/assign', body);
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  assert.equal(assigned.body.tasksWritten, 1);
  assert.equal(meetingTasks().length, before + 1);
  assert.equal(meetingTasks().at(-1)!.WhatId, stands.opportunityId);
  const twice = await callout(stands, service, 'post', '/v1/transcripts/meetings/assign', body);
  assert.equal(twice.status, 409);
});

test('without the application access policy the transcript is skipped and dead-lettered for a retry', async () => {
  stands.graph.control.revokeAccessPolicy();
  try {
    const meetingId = meeting([{ displayName: 'Priya Raman', email: 'priya.raman@fabrikam.example' }]);
    const transcriptId = transcribe(meetingId);
    const row = await outcome(meetingId, transcriptId);
    assert.equal(row.status, 'skipped');
    assert.match(row.reason!, /application access policy/);
    const letters = await waitFor('a dead letter', async () => {
      const { rows } = await service.context.db.pool.query<{ error: string }>(
        "SELECT error FROM dead_letters WHERE queue = 'meeting-transcript'",
      );
      return rows.length > 0 && rows;
    });
    assert.match(letters[0]!.error, /No application access policy found for this app/);
  } finally {
    stands.graph.control.grantAccessPolicy({ global: true });
  }
});
