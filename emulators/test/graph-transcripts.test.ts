import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startGraphEmulator } from '../src/graph/index.ts';
import type { GraphEmulator } from '../src/graph/index.ts';
import { appToken, call, inMinutes, startReceiver, userToken } from './graph-helpers.ts';

let graph: GraphEmulator;
let app: string;
let organizer: string;
const meetingId =
  'MSphMWIyYzNkNC0wMDAxLTRhNWItOGM5ZC0wMDAwMDAwMDAwMDEqMCoqMTk6bWVldGluZ19ZMjl1ZEc5emIzSmxibVYzWVd3QHRocmVhZC52Mg==';
const RESOURCE = 'communications/onlineMeetings/getAllTranscripts';
const receivers: Array<{ close(): Promise<void> }> = [];

before(async () => {
  graph = await startGraphEmulator({ port: 0, delivery: { batchWindowMs: 10 } });
});
after(() => graph.close());
beforeEach(async () => {
  graph.control.reset();
  app = await appToken(graph);
  organizer = graph.control.state().users[0]!.id;
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function subscribe(body: Record<string, unknown> = {}, token = app) {
  const hook = await startReceiver();
  receivers.push(hook);
  const response = await call(graph, token, 'POST', '/subscriptions', {
    changeType: 'created',
    notificationUrl: hook.url,
    lifecycleNotificationUrl: hook.url,
    resource: RESOURCE,
    expirationDateTime: inMinutes(4000),
    clientState: 'transcripts-state',
    ...body,
  });
  return { hook, response };
}
const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alex Wilber>I will send the quote by Friday.</v>\n';

describe('Graph stand-in: meeting transcripts', () => {
  it('notifies a tenant transcript subscription made before transcription started', async () => {
    const { hook, response } = await subscribe();
    assert.equal(response.status, 201, JSON.stringify(response.json));
    assert.equal(response.json.resource, RESOURCE);
    const startedLater = new Date(Date.now() + 1000).toISOString();
    const { id } = graph.control.addTranscript({
      meetingId,
      content: vtt,
      transcriptionStartedDateTime: startedLater,
    });
    await hook.waitFor(1);
    const [item] = hook.items();
    const path = `communications/onlineMeetings('${meetingId}')/transcripts('${id}')`;
    assert.deepEqual(
      { ...item, subscriptionExpirationDateTime: undefined },
      {
        subscriptionId: response.json.id,
        changeType: 'created',
        clientState: 'transcripts-state',
        subscriptionExpirationDateTime: undefined,
        resource: path,
        resourceData: { id, '@odata.type': '#Microsoft.Graph.callTranscript', '@odata.id': path },
        tenantId: graph.tenantId,
      },
    );
    // The content the notification points at, as the service fetches it.
    const content = await fetch(
      `${graph.baseUrl}/v1.0/users/${organizer}/onlineMeetings/${meetingId}/transcripts/${id}/content?$format=text/vtt`,
      { headers: { authorization: `Bearer ${app}` } },
    );
    assert.equal(content.status, 200);
    assert.equal(await content.text(), vtt);
  });

  it('sends nothing to a subscription made after transcription started', async () => {
    const { hook } = await subscribe();
    const startedBefore = new Date(Date.now() - 60_000).toISOString();
    graph.control.addTranscript({ meetingId, content: vtt, transcriptionStartedDateTime: startedBefore });
    await graph.control.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(hook.items().length, 0);
  });

  it('accepts only application permission OnlineMeetingTranscript.Read.All and changeType created', async () => {
    const delegated = await subscribe({}, await userToken(graph));
    assert.equal(delegated.response.status, 403);
    assert.match(delegated.response.json.error!.message, /does not support delegated permissions/);
    graph.control.revokeConsent({ permissions: ['OnlineMeetingTranscript.Read.All'] });
    const unconsented = await subscribe({}, await appToken(graph));
    assert.equal(unconsented.response.status, 403);
    assert.match(unconsented.response.json.error!.message, /OnlineMeetingTranscript\.Read\.All/);
    graph.control.reset();
    const updated = await subscribe({ changeType: 'created,updated' }, await appToken(graph));
    assert.equal(updated.response.status, 400);
    const noLifecycle = await subscribe({ lifecycleNotificationUrl: undefined }, await appToken(graph));
    assert.equal(noLifecycle.response.status, 400);
    assert.match(noLifecycle.response.json.error!.message, /lifecycleNotificationUrl/);
  });

  it('answers app-only meeting and transcript reads 403 without an application access policy', async () => {
    const paths = [
      `/users/${organizer}/onlineMeetings/${meetingId}`,
      `/users/${organizer}/onlineMeetings/${meetingId}/transcripts`,
      `/users/${organizer}/onlineMeetings?$filter=${encodeURIComponent("JoinWebUrl eq 'x'")}`,
    ];
    for (const path of paths) assert.equal((await call(graph, app, 'GET', path)).status, 200, path);
    graph.control.revokeAccessPolicy();
    for (const path of paths) {
      const denied = await call(graph, app, 'GET', path);
      assert.equal(denied.status, 403, path);
      assert.deepEqual(
        { code: denied.json.error!.code, message: denied.json.error!.message },
        { code: 'Forbidden', message: 'No application access policy found for this app.' },
      );
    }
    graph.control.grantAccessPolicy({ userIds: [organizer] });
    assert.equal((await call(graph, app, 'GET', paths[0]!)).status, 200);
    // A delegated caller reading their own meeting needs no policy.
    graph.control.revokeAccessPolicy();
    graph.control.grantConsent({ type: 'delegated', permissions: ['OnlineMeetings.Read'] });
    assert.equal((await call(graph, await userToken(graph), 'GET', paths[0]!)).status, 200);
  });

  it('lists internal and external attendees, and a channel meeting chats in its channel', async () => {
    const meeting = await call(graph, app, 'GET', `/users/${organizer}/onlineMeetings/${meetingId}`);
    const attendees = (meeting.json.participants as { attendees: Array<Record<string, unknown>> }).attendees;
    const external = attendees.find((a) => a.upn === 'priya.raman@fabrikam.example')!;
    const identity = external.identity as { user: { tenantId: string; displayName: string } };
    assert.notEqual(identity.user.tenantId, graph.tenantId);
    assert.equal(identity.user.displayName, 'Priya Raman');
    const state = graph.control.state();
    const team = state.teams[0]!;
    graph.control.addMeeting({
      id: 'MSpjaGFubmVsLW1lZXRpbmcqMA**',
      organizerId: organizer,
      subject: 'Deal desk review',
      startDateTime: '2026-03-11T15:00:00Z',
      endDateTime: '2026-03-11T15:30:00Z',
      channel: { teamId: team.id, channelId: team.channels[0]!.id },
    });
    const channelMeeting = await call(
      graph,
      app,
      'GET',
      `/users/${organizer}/onlineMeetings/MSpjaGFubmVsLW1lZXRpbmcqMA**`,
    );
    assert.equal((channelMeeting.json.chatInfo as { threadId: string }).threadId, team.channels[0]!.id);
  });

  it('refuses a transcript that is not WebVTT', () => {
    assert.throws(() => graph.control.addTranscript({ meetingId, content: 'hello' }), /WebVTT/);
  });
});
