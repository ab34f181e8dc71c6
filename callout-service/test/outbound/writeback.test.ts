/**
 * The outcome back in Salesforce: bounded write-back retries (then a dead letter whose retry only writes
 * back, never posts again) and LeadConverted items (the link on the converted Opportunity, or a note).
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
  callout,
  startOutboundService,
  startStandIns,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

const PIPELINE = '19:pipeline1b2c3d4e5f60718293a4b5c6@thread.tacv2';
const MAX_ATTEMPTS = 3;

let db: TestDatabase;
let stands: Stands;
let service: RunningService;

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  service = await startOutboundService(stands, db.url, {
    outboundEnv: {
      OUTBOUND_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      OUTBOUND_PIPELINE_TEAM_ID: SALES_TEAM,
      OUTBOUND_PIPELINE_CHANNEL_ID: PIPELINE,
    },
  });
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});
beforeEach(async () => {
  stands.sf.control.clearFaults();
  const installed = await stands.graph.control.installBot({ teamId: SALES_TEAM });
  assert.deepEqual(
    installed.deliveries,
    [200, 200],
    JSON.stringify(stands.graph.control.botDeliveries().slice(-2)),
  );
});

const send = async (items: unknown[]) => {
  const answer = await callout(stands, service, 'post', '/v1/outbound', { items });
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
};

const item = (kind: 'OpportunityHandoff' | 'LeadConverted', recordId: string) => ({
  idempotencyKey: randomUUID(),
  kind,
  recordId,
  payload: { name: 'Fabrikam expansion', amount: 5000, currencyIsoCode: 'USD', ownerName: 'Alex Wilber' },
});

const row = async (key: string) =>
  (await service.context.db.pool.query('SELECT * FROM outbound_items WHERE idempotency_key = $1', [key]))
    .rows[0] as Record<string, unknown> | undefined;

const cards = (channelId: string, key: string) =>
  stands.graph.control
    .messages({ teamId: SALES_TEAM, channelId })
    .filter((m) => m.attachments.some((a) => String(a.content).includes(cardMarker(key)))).length;

const messageUrl = (opportunityId: string) =>
  stands.sf.control.query(`SELECT Teams_Message_Url__c FROM Opportunity WHERE Id = '${opportunityId}'`)
    .records[0]?.Teams_Message_Url__c as string | null | undefined;

test('Salesforce refusing the write-back: bounded retries, a dead letter, and its retry writes the link without posting again', async () => {
  const opportunityId = stands.opportunityId;
  // Every write-back attempt meets a row lock, one more than the worker tries.
  stands.sf.control.lockUpdates('Opportunity', MAX_ATTEMPTS + 1);
  const one = item('OpportunityHandoff', opportunityId);
  await send([one]);
  await waitFor(
    'the write-back is dead-lettered',
    async () => (await row(one.idempotencyKey))?.status === 'dead',
    20_000,
  );
  const dead = (await row(one.idempotencyKey))!;
  assert.equal(dead.writeback_attempts, MAX_ATTEMPTS, 'exactly the bounded number of write-back attempts');
  assert.match(
    String(dead.last_error),
    /^posted, but the link could not be written back: .*UNABLE_TO_LOCK_ROW/,
  );
  assert.equal(cards(DEAL_DESK, one.idempotencyKey), 1);
  assert.notEqual(messageUrl(opportunityId), dead.message_url, 'not written yet');

  const letters = await callout(stands, service, 'get', '/v1/dead-letters');
  const letter = (
    letters.body.items as { id: string; error: string; payload: { idempotencyKey: string } }[]
  ).find((l) => l.payload.idempotencyKey === one.idempotencyKey);
  assert.ok(letter, 'the admin page lists it');
  assert.match(letter.error, /^posted, but the link could not be written back: /);

  stands.sf.control.lockUpdates('Opportunity', 0);
  const retried = await callout(stands, service, 'post', `/v1/dead-letters/${letter.id}/retry`);
  assert.equal(retried.status, 202);
  await waitFor(
    'the retried write-back is done',
    async () => (await row(one.idempotencyKey))?.status === 'done',
    20_000,
  );
  assert.equal(cards(DEAL_DESK, one.idempotencyKey), 1, 'the retry did not post again');
  assert.equal(messageUrl(opportunityId), (await row(one.idempotencyKey))!.message_url);
  assert.match(String(messageUrl(opportunityId)), /^https:\/\/teams\.microsoft\.com\/l\/message\//);
});

test('a few refusals below the bound: the link is written on a later attempt, the card posted once', async () => {
  stands.sf.control.lockUpdates('Opportunity', MAX_ATTEMPTS - 1);
  const one = item('OpportunityHandoff', stands.opportunityId);
  await send([one]);
  await waitFor('done', async () => (await row(one.idempotencyKey))?.status === 'done', 20_000);
  const done = (await row(one.idempotencyKey))!;
  assert.equal(done.writeback_attempts, MAX_ATTEMPTS - 1);
  assert.equal(cards(DEAL_DESK, one.idempotencyKey), 1);
  assert.equal(messageUrl(stands.opportunityId), done.message_url);
});

test('LeadConverted: the link goes to the Opportunity the Lead converted into, the Lead is left alone', async () => {
  const opportunityId = stands.sf.control.seed('Opportunity', {
    Name: 'Fabrikam expansion',
    StageName: 'Prospecting',
    CloseDate: '2030-03-31',
  })[0]!;
  const leadId = stands.sf.control.seed('Lead', {
    LastName: 'Fry',
    Company: 'Fabrikam',
    Status: 'Closed - Converted',
    IsConverted: true,
    ConvertedOpportunityId: opportunityId,
  })[0]!;
  const one = item('LeadConverted', leadId);
  await send([one]);
  await waitFor('done', async () => (await row(one.idempotencyKey))?.status === 'done', 20_000);
  const done = (await row(one.idempotencyKey))!;
  assert.equal(done.writeback_note, null);
  assert.ok(done.written_back_at, 'written back');
  assert.equal(cards(PIPELINE, one.idempotencyKey), 1);
  assert.equal(messageUrl(opportunityId), done.message_url);
});

test('LeadConverted without an Opportunity: done, and the item says why no link was written', async () => {
  const leadId = stands.sf.control.seed('Lead', {
    LastName: 'Gu',
    Company: 'Tailspin',
    Status: 'Closed - Converted',
    IsConverted: true,
  })[0]!;
  const updatesBefore = stands.sf.control.requests().filter((r) => r.method === 'PATCH').length;
  const one = item('LeadConverted', leadId);
  await send([one]);
  await waitFor('done', async () => (await row(one.idempotencyKey))?.status === 'done', 20_000);
  const done = (await row(one.idempotencyKey))!;
  assert.match(String(done.writeback_note), /converted without an Opportunity.*CANNOT_UPDATE_CONVERTED_LEAD/);
  assert.equal(done.written_back_at, null);
  assert.equal(done.writeback_attempts, 0, 'no write was tried, none refused');
  assert.equal(
    stands.sf.control.requests().filter((r) => r.method === 'PATCH').length,
    updatesBefore,
    'nothing was written to Salesforce',
  );
  assert.equal(cards(PIPELINE, one.idempotencyKey), 1);
});
