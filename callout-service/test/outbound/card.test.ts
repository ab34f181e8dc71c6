/**
 * The handoff card against the official Adaptive Cards SDK (`adaptivecards`) parsing as a 1.5 host: unknown
 * element or action types, and features newer than 1.5, are reported as parse events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as AC from 'adaptivecards';
import { ACCEPT_VERB, cardMarker, handoffCard } from '../../src/outbound/card.ts';
import type { OutboundItem } from '../../src/outbound/outbound-rows.ts';

const item: OutboundItem = {
  idempotencyKey: 'evt-0001',
  kind: 'OpportunityHandoff',
  recordId: '006000000000001AAA',
  payload: {
    name: 'Contoso *renewal*',
    amount: 125000,
    currencyIsoCode: 'JPY',
    closeDate: '2026-12-31',
    stageName: 'Qualification',
    nextStep: null,
    ownerName: 'Alex Wilber',
    recordUrl: 'https://contoso.my.salesforce.com/lightning/r/Opportunity/006000000000001AAA/view',
    accountName: 'Contoso',
  },
  status: 'posting',
  attempts: 1,
  receivedAt: new Date(),
  teamId: null,
  channelId: null,
  postStartedAt: null,
  messageId: null,
  messageUrl: null,
  postedAt: null,
  lastError: null,
};

function parseEvents(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  return Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
}

test('the handoff card parses as Adaptive Card 1.5 without events', () => {
  const card = handoffCard(item, { withAccept: true, channelUrl: 'https://teams.microsoft.com/l/channel/x' });
  assert.equal(card.version, '1.5');
  assert.deepEqual(parseEvents(card), []);
  const accepted = handoffCard(item, {
    withAccept: true,
    accepted: { byName: 'Megan', at: '2026-12-01 10:00 UTC' },
  });
  assert.deepEqual(parseEvents(accepted), []);
});

test('the check fails on what a 1.5 host cannot render (negative control)', () => {
  const card = handoffCard(item, { withAccept: true });
  const broken = { ...card, body: [...card.body, { type: 'Carousel', pages: [] }] };
  assert.ok(parseEvents(broken).length > 0);
});

test('fields, actions, marker and escaping', () => {
  const card = handoffCard(item, { withAccept: true, channelUrl: 'https://teams.microsoft.com/l/channel/x' });
  const text = JSON.stringify(card);
  assert.match(text, /¥125,000/);
  assert.match(text, /Contoso \\\\\*renewal\\\\\*/, 'markdown in record names is escaped');
  assert.equal(card.body[0]!.id, cardMarker('evt-0001'));
  const actions = card.actions as { type: string; title: string; verb?: string }[];
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Open in Salesforce', 'Open channel', 'Accept handoff'],
  );
  assert.equal(actions[2]!.verb, ACCEPT_VERB);
  const webhook = handoffCard(item, { withAccept: false });
  assert.ok(
    !JSON.stringify(webhook).includes('Action.Execute'),
    'no Accept where no bot receives the invoke',
  );
  const done = handoffCard(item, { withAccept: true, accepted: { byName: 'Megan', at: 'now' } });
  assert.ok(!JSON.stringify(done).includes('Action.Execute'), 'no second Accept');
  assert.match(JSON.stringify(done), /Accepted by Megan/);
});
