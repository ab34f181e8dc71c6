import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { startGraphEmulator } from '../src/graph/index.ts';
import type { GraphEmulator } from '../src/graph/index.ts';
import { appToken, call, userToken } from './graph-helpers.ts';

let graph: GraphEmulator;
let app: string;
let user: string;
let teamId: string;
let channelId: string;
let pipelineId: string;

before(async () => {
  graph = await startGraphEmulator({ port: 0 });
  const state = graph.control.state();
  teamId = state.teams[0]!.id;
  channelId = state.teams[0]!.channels.find((c) => c.displayName === 'Deal Desk')!.id;
  pipelineId = state.teams[0]!.channels.find((c) => c.displayName === 'Pipeline')!.id;
});
after(() => graph.close());
beforeEach(async () => {
  graph.control.reset();
  app = await appToken(graph);
  user = await userToken(graph);
});

const messages = (channel = channelId) => `/teams/${teamId}/channels/${encodeURIComponent(channel)}/messages`;

describe('Graph stand-in: Teams API', () => {
  it('serves the unmodified Graph client through @azure/identity with only base URLs changed', async () => {
    const credential = new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret, {
      authorityHost: graph.authorityHost,
      disableInstanceDiscovery: true,
    });
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ['https://graph.microsoft.com/.default'],
      }),
      baseUrl: graph.baseUrl,
      customHosts: new Set([new URL(graph.baseUrl).hostname]),
    });
    const teams = await client.api('/teams').get();
    assert.equal(teams.value[0].displayName, 'Sales');
    const channels = await client.api(`/teams/${teamId}/channels`).get();
    assert.deepEqual(channels.value.map((c: { displayName: string }) => c.displayName).sort(), [
      'Deal Desk',
      'Pipeline',
    ]);

    for (let i = 0; i < 5; i++) {
      graph.control.postMessage({
        teamId,
        channelId: pipelineId,
        from: 'alex@contoso.example',
        content: `<p>deal ${i}</p>`,
      });
    }
    const seen: string[] = [];
    let page = await client
      .api(`/teams/${teamId}/channels/${encodeURIComponent(pipelineId)}/messages`)
      .top(2)
      .get();
    let pages = 1;
    for (;;) {
      seen.push(...page.value.map((m: { body: { content: string } }) => m.body.content));
      if (!page['@odata.nextLink']) break;
      page = await client.api(page['@odata.nextLink']).get();
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      [4, 3, 2, 1, 0].map((i) => `<p>deal ${i}</p>`),
    );

    const error = await client
      .api('/teams/unknown-team')
      .get()
      .catch((e: unknown) => e);
    assert.equal((error as { statusCode: number }).statusCode, 404);
  });

  it('returns chatMessage in Graph shape, replies, and a single message', async () => {
    graph.control.setThrottle({ readPerChannelPerSecond: 0 }); // more reads of one channel than 4 a second
    const list = await call(graph, app, 'GET', messages());
    const root = (list.json.value as Array<Record<string, unknown>>)[0]!;
    for (const key of [
      'id',
      'replyToId',
      'etag',
      'messageType',
      'createdDateTime',
      'lastModifiedDateTime',
      'deletedDateTime',
      'subject',
      'body',
      'from',
      'channelIdentity',
      'webUrl',
      'attachments',
      'mentions',
    ]) {
      assert.ok(key in root, `missing ${key}`);
    }
    assert.deepEqual(root.channelIdentity, { teamId, channelId });
    assert.equal((root.from as { user: { userIdentityType: string } }).user.userIdentityType, 'aadUser');
    const replies = await call(graph, app, 'GET', `${messages()}/${root.id}/replies`);
    assert.equal((replies.json.value as unknown[]).length, 1);
    assert.equal((replies.json.value as Array<{ replyToId: string }>)[0]!.replyToId, root.id);
    const one = await call(graph, app, 'GET', `${messages()}/${root.id}`);
    assert.equal(one.json.id, root.id);
    const expanded = await call(graph, app, 'GET', `${messages()}?$expand=replies`);
    const withReplies = (expanded.json.value as Array<{ replies: Array<{ replyToId: string }> }>)[0]!;
    assert.deepEqual(
      withReplies.replies.map((r) => r.replyToId),
      [root.id],
    );
    assert.equal((await call(graph, app, 'GET', `${messages()}?$expand=hostedContents`)).status, 400);
    const tooMany = await call(graph, app, 'GET', `${messages()}?$top=51`);
    assert.equal(tooMany.status, 400);
  });

  it('refuses missing, malformed and expired tokens with 401 InvalidAuthenticationToken', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const response = await call(graph, token, 'GET', '/teams');
      assert.equal(response.status, 401);
      assert.equal(response.json.error!.code, 'InvalidAuthenticationToken');
    }
    graph.control.expireTokens();
    const expired = await call(graph, app, 'GET', '/teams');
    assert.equal(expired.status, 401);
    assert.match(expired.json.error!.message, /expired/);
    const fresh = await call(graph, await appToken(graph), 'GET', '/teams');
    assert.equal(fresh.status, 200);
    // Tokens also expire by their own lifetime.
    graph.control.setTokenLifetime({ seconds: 1 });
    const shortLived = await appToken(graph);
    assert.equal((await call(graph, shortLived, 'GET', '/teams')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await call(graph, shortLived, 'GET', '/teams')).status, 401);
  });

  it('answers 403 Authorization_RequestDenied without the consented permission (revoked consent)', async () => {
    graph.control.revokeConsent({ permissions: ['ChannelMessage.Read.All'] });
    const denied = await call(graph, app, 'GET', messages());
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error!.code, 'Authorization_RequestDenied');
    assert.match(denied.json.error!.message, /ChannelMessage\.Read\.All/);
    const stillAllowed = await call(graph, app, 'GET', `/teams/${teamId}/channels`);
    assert.equal(stillAllowed.status, 200);
  });

  it("gives Graph's migration-only error when posting with an app token, 201 with a delegated token", async () => {
    const asApp = await call(graph, app, 'POST', messages(), { body: { content: 'hello' } });
    assert.equal(asApp.status, 401);
    assert.match(
      asApp.json.error!.message,
      /Message POST is allowed in application-only context only for import purposes/,
    );
    const asUser = await call(graph, user, 'POST', messages(), {
      body: { contentType: 'html', content: '<p>hello</p>' },
    });
    assert.equal(asUser.status, 201);
    assert.equal((asUser.json.from as { user: { id: string } }).user.id, graph.demoUser.id);
    const reply = await call(graph, user, 'POST', `${messages(pipelineId)}`, { body: { content: 'x' } });
    assert.equal(reply.status, 201);
  });

  it('accepts Adaptive Card attachments referenced from the body and refuses broken ones', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Qualified' }] };
    const ok = await call(graph, user, 'POST', messages(), {
      body: { contentType: 'html', content: '<attachment id="c1"></attachment>' },
      attachments: [
        { id: 'c1', contentType: 'application/vnd.microsoft.card.adaptive', content: JSON.stringify(card) },
      ],
    });
    assert.equal(ok.status, 201);
    assert.equal(
      (ok.json.attachments as Array<{ contentType: string }>)[0]!.contentType,
      'application/vnd.microsoft.card.adaptive',
    );
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const unreferenced = await call(graph, user, 'POST', messages(), {
      body: { contentType: 'html', content: '<p>no tag</p>' },
      attachments: [
        { id: 'c1', contentType: 'application/vnd.microsoft.card.adaptive', content: JSON.stringify(card) },
      ],
    });
    assert.equal(unreferenced.status, 400);
    const notJson = await call(graph, user, 'POST', messages(), {
      body: { contentType: 'html', content: '<attachment id="c1"></attachment>' },
      attachments: [{ id: 'c1', contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
    assert.equal(notJson.status, 400);
  });

  it('throttles posting to one message per second per channel with 429 and Retry-After', async () => {
    assert.equal((await call(graph, user, 'POST', messages(), { body: { content: 'one' } })).status, 201);
    const second = await call(graph, user, 'POST', messages(), { body: { content: 'two' } });
    assert.equal(second.status, 429);
    assert.equal(second.json.error!.code, 'TooManyRequests');
    assert.equal(second.headers.get('retry-after'), '1');
    assert.equal(
      (await call(graph, user, 'POST', messages(pipelineId), { body: { content: 'other channel' } })).status,
      201,
    );
  });

  it('throttles posting per app across channels (50/s by default, 2/s here)', async () => {
    graph.control.setThrottle({ postPerChannelPerSecond: 0, postPerAppPerSecond: 2 });
    const statuses = [];
    for (const channel of [channelId, pipelineId, channelId]) {
      statuses.push(
        (await call(graph, user, 'POST', messages(channel), { body: { content: 'burst' } })).status,
      );
    }
    assert.deepEqual(statuses, [201, 201, 429]);
    assert.throws(() => graph.control.setThrottle({ postPerAppPerSecond: -1 }), /0 or more/);
  });

  it('throttles reads to 4 a second per app on one channel, with 429 and Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(graph, app, 'GET', messages())).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const throttled = await call(graph, app, 'GET', `${messages()}/delta`);
    assert.equal(throttled.status, 429, 'delta reads the same channel');
    assert.equal(throttled.json.error!.code, 'TooManyRequests');
    assert.equal(throttled.headers.get('retry-after'), '1');
    assert.equal((await call(graph, app, 'GET', messages(pipelineId))).status, 200, 'another channel');
  });

  it('throttles single channel-message reads per app across channels (20/s by default, 3/s here)', async () => {
    graph.control.setThrottle({ getMessagePerAppPerSecond: 3 });
    const ids = [channelId, pipelineId].map(
      (channel) =>
        graph.control.postMessage({ teamId, channelId: channel, from: 'alex@contoso.example', content: 'hi' })
          .id,
    );
    const statuses = [];
    for (const [channel, id] of [
      [channelId, ids[0]],
      [pipelineId, ids[1]],
      [channelId, ids[0]],
      [pipelineId, ids[1]],
    ] as const) {
      statuses.push((await call(graph, app, 'GET', `${messages(channel)}/${id}`)).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(
      (await call(graph, app, 'GET', messages(pipelineId))).status,
      200,
      'listing is not a single read',
    );
  });

  it('lets the sender edit and soft-delete, and nobody else', async () => {
    const posted = await call(graph, user, 'POST', messages(), { body: { content: 'draft' } });
    const path = `${messages()}/${posted.json.id}`;
    const megan = await userToken(graph, 'megan@contoso.example');
    assert.equal((await call(graph, megan, 'PATCH', path, { body: { content: 'hijack' } })).status, 403);
    assert.equal((await call(graph, user, 'PATCH', path, { body: { content: 'final' } })).status, 204);
    assert.equal((await call(graph, app, 'GET', path)).json.lastEditedDateTime !== null, true);
    assert.equal((await call(graph, user, 'POST', `${path}/softDelete`)).status, 204);
    const deleted = await call(graph, app, 'GET', path);
    assert.equal(typeof deleted.json.deletedDateTime, 'string');
    assert.equal((deleted.json.body as { content: string }).content, '');
  });

  it('follows delta: all messages, then only what changed, through @odata.deltaLink', async () => {
    graph.control.setThrottle({ readPerChannelPerSecond: 0 });
    const first = await call(graph, app, 'GET', `${messages()}/delta`);
    assert.equal((first.json.value as unknown[]).length, 1);
    const called = await call(graph, app, 'GET', `${messages()}/delta()`);
    assert.equal(called.status, 200, 'the function-call spelling delta() is the same endpoint');
    assert.deepEqual(called.json.value, first.json.value);
    const deltaLink = first.json['@odata.deltaLink'] as string;
    assert.match(deltaLink, /\$deltatoken=/);
    const nothing = await call(graph, app, 'GET', deltaLink);
    assert.equal((nothing.json.value as unknown[]).length, 0);
    const posted = graph.control.postMessage({
      teamId,
      channelId,
      from: 'lee@contoso.example',
      content: 'new',
    });
    const next = await call(graph, app, 'GET', nothing.json['@odata.deltaLink'] as string);
    assert.deepEqual(
      (next.json.value as Array<{ id: string }>).map((m) => m.id),
      [posted.id],
    );
    for (let i = 0; i < 3; i++)
      graph.control.postMessage({ teamId, channelId, from: 'lee@contoso.example', content: `n${i}` });
    // A fresh delta round in pages of 2: five root messages now (seeded, posted, three more).
    let page = await call(graph, app, 'GET', `${messages()}/delta?$top=2`);
    const sizes = [(page.json.value as unknown[]).length];
    while (page.json['@odata.nextLink']) {
      page = await call(graph, app, 'GET', page.json['@odata.nextLink'] as string);
      sizes.push((page.json.value as unknown[]).length);
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.equal(typeof page.json['@odata.deltaLink'], 'string');
    assert.equal((await call(graph, app, 'GET', `${messages()}/delta?$deltatoken=garbage`)).status, 400);
  });

  it('creates channels and refuses a duplicate or invalid name', async () => {
    const created = await call(graph, app, 'POST', `/teams/${teamId}/channels`, {
      displayName: 'Acme Renewal',
      description: 'deal',
    });
    assert.equal(created.status, 201);
    assert.match(String(created.json.id), /^19:.+@thread\.tacv2$/);
    assert.equal(
      (await call(graph, app, 'POST', `/teams/${teamId}/channels`, { displayName: 'acme renewal' })).status,
      400,
    );
    assert.equal(
      (await call(graph, app, 'POST', `/teams/${teamId}/channels`, { displayName: 'a/b' })).status,
      400,
    );
    graph.control.revokeConsent({ permissions: ['Channel.Create'] });
    assert.equal(
      (await call(graph, app, 'POST', `/teams/${teamId}/channels`, { displayName: 'Other' })).status,
      403,
    );
  });

  it('finds users by id, UPN and mail, and answers 404 for unknown ones', async () => {
    const byUpn = await call(graph, app, 'GET', '/users/lee@contoso.example');
    assert.equal(byUpn.json.displayName, 'Lee Gu');
    assert.equal(
      (await call(graph, app, 'GET', `/users/${byUpn.json.id}`)).json.userPrincipalName,
      'lee@contoso.example',
    );
    const byMail = await call(
      graph,
      app,
      'GET',
      `/users?$filter=${encodeURIComponent("mail eq 'lee.gu@contoso.example'")}`,
    );
    assert.deepEqual(
      (byMail.json.value as Array<{ id: string }>).map((u) => u.id),
      [byUpn.json.id],
    );
    const unknown = await call(graph, app, 'GET', '/users/ghost@contoso.example');
    assert.equal(unknown.status, 404);
    assert.equal(
      (await call(graph, app, 'GET', `/users?$filter=${encodeURIComponent('startswith(mail,1)')}`)).status,
      400,
    );
    assert.equal((await call(graph, user, 'GET', '/me')).json.id, graph.demoUser.id);
    assert.equal((await call(graph, app, 'GET', '/me')).status, 400);
  });

  it('serves online meetings, transcripts and their WebVTT content', async () => {
    const organizer = graph.demoUser.id;
    const meetingId =
      'MSphMWIyYzNkNC0wMDAxLTRhNWItOGM5ZC0wMDAwMDAwMDAwMDEqMCoqMTk6bWVldGluZ19ZMjl1ZEc5emIzSmxibVYzWVd3QHRocmVhZC52Mg==';
    const got = await call(graph, app, 'GET', `/users/${organizer}/onlineMeetings/${meetingId}`);
    assert.equal(got.json.subject, 'Contoso renewal call');
    const byUrl = await call(
      graph,
      app,
      'GET',
      `/users/${organizer}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${got.json.joinWebUrl}'`)}`,
    );
    assert.equal((byUrl.json.value as unknown[]).length, 1);
    const transcripts = await call(
      graph,
      app,
      'GET',
      `/users/${organizer}/onlineMeetings/${meetingId}/transcripts`,
    );
    const transcript = (transcripts.json.value as Array<{ id: string }>)[0]!;
    const content = await fetch(
      `${graph.baseUrl}/v1.0/users/${organizer}/onlineMeetings/${meetingId}/transcripts/${transcript.id}/content?$format=text/vtt`,
      {
        headers: { authorization: `Bearer ${app}` },
      },
    );
    assert.equal(content.status, 200);
    assert.match(content.headers.get('content-type')!, /^text\/vtt/);
    assert.match(await content.text(), /^WEBVTT\n[\s\S]*<v Megan Bowen>Action item/);
    const docx = await call(
      graph,
      app,
      'GET',
      `/users/${organizer}/onlineMeetings/${meetingId}/transcripts/${transcript.id}/content?$format=application/pdf`,
    );
    assert.equal(docx.status, 400);
    graph.control.revokeConsent({ permissions: ['OnlineMeetingTranscript.Read.All'] });
    assert.equal(
      (await call(graph, app, 'GET', `/users/${organizer}/onlineMeetings/${meetingId}/transcripts`)).status,
      403,
    );
  });

  it('sends activity notifications declared in the manifest, throttled to 5 per second per app', async () => {
    const notify = (activityType: string) =>
      call(graph, app, 'POST', `/teams/${teamId}/sendActivityNotification`, {
        topic: { source: 'entityUrl', value: `https://graph.microsoft.com/v1.0/teams/${teamId}` },
        activityType,
        previewText: { content: 'Acme is qualified' },
        recipient: {
          '@odata.type': 'microsoft.graph.aadUserNotificationRecipient',
          userId: graph.demoUser.id,
        },
      });
    assert.equal((await notify('dealQualified')).status, 204);
    assert.equal((await notify('notInManifest')).status, 400);
    const personal = await call(
      graph,
      app,
      'POST',
      `/users/${graph.demoUser.id}/teamwork/sendActivityNotification`,
      {
        topic: { source: 'text', value: 'Deal desk', webUrl: 'https://teams.microsoft.com/l/entity/x' },
        activityType: 'taskCreated',
        previewText: { content: 'New task' },
      },
    );
    assert.equal(personal.status, 204);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await notify('dealQualified')).status);
    assert.ok(statuses.includes(429), `statuses ${statuses}`);
    assert.equal(graph.control.activityNotifications().length, 2 + statuses.filter((s) => s === 204).length);
  });

  it('injects latency and 503 errors with Retry-After, then recovers', async () => {
    graph.control.setFaults({
      failNext: 1,
      errorStatus: 503,
      retryAfterSeconds: 7,
      latencyMs: 100,
      target: 'graph',
    });
    const started = Date.now();
    const failed = await call(graph, app, 'GET', '/teams');
    assert.ok(Date.now() - started >= 100, 'latency was added');
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get('retry-after'), '7');
    assert.equal((await call(graph, app, 'GET', '/teams')).status, 200);
    assert.throws(() => graph.control.setFaults({ errorRate: 2 }), /between 0 and 1/);
    const logged = graph.control.requests({ pathContains: '/v1.0/teams' });
    assert.ok(
      logged.some((entry) => entry.fault === 'injected 503'),
      'the fault is in the request log',
    );
  });

  it('exposes the same control operations over HTTP', async () => {
    const response = await fetch(`${graph.controlUrl}/postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ teamId, channelId, from: 'megan@contoso.example', content: 'via http' }),
    });
    assert.equal(response.status, 200);
    const posted = (await response.json()) as { id: string };
    assert.equal((await call(graph, app, 'GET', `${messages()}/${posted.id}`)).json.id, posted.id);
    const unknown = await fetch(`${graph.controlUrl}/nope`, { method: 'POST' });
    assert.equal(unknown.status, 404);
    const bad = await fetch(`${graph.controlUrl}/postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ teamId, channelId, from: 'ghost@contoso.example', content: 'x' }),
    });
    assert.equal(bad.status, 404);
  });
});
