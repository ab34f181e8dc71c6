import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import { startGraphEmulator, type GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '@teams-bridge/emulators/salesforce/index.ts';
import { RuleExtractor } from '@teams-bridge/callout-service/src/transcripts/action-items.ts';
import { websiteHost } from '@teams-bridge/callout-service/src/transcripts/record-match.ts';
import { parseWebVtt, speakerTurns } from '@teams-bridge/callout-service/src/transcripts/webvtt.ts';
import { seedDemo, type DemoData } from '../src/demo-data.ts';
import { meetingScripts, toWebVtt } from '../src/workbench/server/meeting-transcripts.ts';
import { ServiceClient } from '../src/workbench/server/service-client.ts';
import { transcriptSimulation } from '../src/workbench/server/transcript-simulation.ts';

// The simulation panel's meetings against the service's own WebVTT parser and shipped action-item rules, and
// the demo data the transcript path needs, seeded into the stand-ins.

const projectDir = new URL('../..', import.meta.url).pathname;
let graph: GraphEmulator;
let sf: SalesforceEmulator;
let demo: DemoData;

before(async () => {
  [graph, sf] = await Promise.all([startGraphEmulator(), startSalesforceEmulator({ projectDir })]);
  demo = seedDemo(graph, sf);
});
after(async () => {
  await Promise.all([graph?.close(), sf?.close()]);
});

const scripts = () =>
  meetingScripts({
    organizer: demo.meetings.organizer.displayName,
    colleague: demo.meetings.colleague.displayName,
    customer: demo.meetings.customer,
    prospect: demo.meetings.prospect,
  });

function itemsOf(key: string) {
  const script = scripts().find((s) => s.key === key)!;
  const turns = speakerTurns(parseWebVtt(toWebVtt(script)).cues);
  const attendees = [
    demo.meetings.organizer.displayName,
    demo.meetings.colleague.displayName,
    ...script.external.map((e) => e.displayName),
  ];
  return new RuleExtractor().extract({ turns, meetingDate: '2026-12-02', attendees });
}

test('the demo Account is on its own domain, with a Contact there, and the organiser is covered by the access policy', () => {
  const { meetings } = demo;
  const domain = websiteHost(meetings.accountWebsite);
  assert.ok(domain);
  assert.notEqual(domain, graph.control.state().tenant.domain, "the customer's domain is not the tenant's");
  assert.equal(meetings.customer.email.split('@')[1], domain);
  const contacts = sf.control.query(
    `SELECT Account.Name FROM Contact WHERE Email = '${meetings.customer.email}'`,
  ).records as { Account: { Name: string } }[];
  assert.deepEqual(
    contacts.map((c) => c.Account.Name),
    [meetings.accountName],
  );
  assert.notEqual(meetings.prospect.email.split('@')[1], domain);
  const app = (graph.control.state().apps as { clientId: string; accessPolicy?: unknown }[]).find(
    (a) => a.clientId === graph.clientId,
  )!;
  assert.ok(
    app.accessPolicy === 'global' ||
      (Array.isArray(app.accessPolicy) && app.accessPolicy.includes(meetings.organizer.id)),
  );
  // The organiser is the mapped demo user.
  const mapping = sf.control.query(
    `SELECT User__c FROM Teams_User_Mapping__c WHERE Entra_Object_Id__c = '${meetings.organizer.id}'`,
  ).records[0];
  assert.equal(mapping?.User__c, demo.mappedUser.salesforceUserId);
});

test('the pricing review has three action items with owners and due dates', () => {
  const items = itemsOf('pricing-review');
  assert.deepEqual(
    items.map((i) => [i.speaker, i.owner, i.due]),
    [
      ['Alex Wilber', 'speaker', '2026-12-04'],
      ['Megan Bowen', 'speaker', '2026-12-08'],
      ['Alex Wilber', 'Dana Whitfield', '2026-12-11'],
    ],
  );
  assert.match(items[0]!.text, /revised quote by Friday/);
});

test('the check-in has no action item, the prospect call one', () => {
  assert.deepEqual(itemsOf('status-check-in'), []);
  const prospect = itemsOf('unknown-prospect');
  assert.equal(prospect.length, 1);
  assert.match(prospect[0]!.text, /case study/);
});

test('the WebVTT has the header, a NOTE and one timed voice cue per turn, in order', () => {
  const vtt = toWebVtt(scripts()[0]!);
  assert.match(
    vtt,
    /^WEBVTT\n\nNOTE Contoso renewal: pricing review\n\n00:00:04\.000 --> 00:00:\d\d\.\d{3}\n<v Alex Wilber>/,
  );
  const cues = parseWebVtt(vtt).cues;
  assert.equal(cues.length, scripts()[0]!.turns.length);
  for (let i = 1; i < cues.length; i++) assert.ok(cues[i]!.startMs > cues[i - 1]!.endMs);
});

test('running a meeting says what to fix when it cannot reach the service: transcripts off, an unknown meeting, no subscription in Graph', async () => {
  // Nothing below reaches the service: each run is refused before the meeting is created.
  const service = new ServiceClient('http://127.0.0.1:9', async () => ({}));
  const conn = {} as Connection;
  const off = transcriptSimulation({ graph, service, meetings: null });
  assert.deepEqual(off.list(), { enabled: false, transcripts: [] });
  await assert.rejects(off.run(conn, { key: 'pricing-review' }), (err: Error & { status?: number }) => {
    assert.equal(err.status, 409);
    assert.match(err.message, /TRANSCRIPTS_ENABLED=false/);
    return true;
  });
  const on = transcriptSimulation({ graph, service, meetings: demo.meetings });
  assert.deepEqual(
    on.list().transcripts.map((t) => t.key),
    ['pricing-review', 'status-check-in', 'unknown-prospect'],
  );
  await assert.rejects(on.run(conn, { key: 'nope' }), (err: Error & { status?: number }) => {
    assert.equal(err.status, 400);
    assert.match(err.message, /Pick one of the meetings: pricing-review, status-check-in, unknown-prospect/);
    return true;
  });
  await assert.rejects(on.run(conn, { key: 'pricing-review' }), (err: Error & { status?: number }) => {
    assert.equal(err.status, 409);
    assert.match(err.message, /no getAllTranscripts subscription/);
    return true;
  });
});
