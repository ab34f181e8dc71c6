/** The Bot Framework stand-in: bot tokens, connector posts (as Graph channel messages), limits, deliveries. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { documentedBotLimits, startGraphEmulator, type GraphEmulator } from '../src/graph/index.ts';
import { appToken, call } from './graph-helpers.ts';

const SALES = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';

async function botToken(graph: GraphEmulator): Promise<string> {
  const response = await fetch(`${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://api.botframework.com/.default',
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { access_token: string }).access_token;
}

const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Contoso' }] };
const cardActivity = {
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
};

describe('Bot Framework stand-in', () => {
  let graph: GraphEmulator;
  let channelId: string;
  let receiver: Server;
  const received: { auth: string | undefined; body: Record<string, unknown> }[] = [];

  const post = async (token: string | undefined, conversationId: string, activity: unknown) =>
    await fetch(`${graph.botFramework.serviceUrl}v3/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(activity),
    });

  before(async () => {
    graph = await startGraphEmulator({ port: 0 });
    const app = express();
    app.post('/api/messages', express.json(), (req, res) => {
      received.push({ auth: req.header('authorization'), body: req.body as Record<string, unknown> });
      res
        .status(200)
        .json({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' });
    });
    receiver = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  after(async () => {
    await graph.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(async () => {
    await graph.control.reset();
    received.length = 0;
    const state = graph.control.state();
    channelId = state.teams
      .find((t) => t.id === SALES)!
      .channels.find((c) => c.displayName === 'Deal Desk')!.id;
    graph.control.setBotEndpoint({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/messages`,
    });
  });

  it('issues bot tokens for the connector that Graph refuses, and the connector refuses Graph tokens', async () => {
    const bot = await botToken(graph);
    assert.equal((await call(graph, bot, 'GET', `/teams/${SALES}`)).status, 401);
    assert.equal((await post(await appToken(graph), channelId, cardActivity)).status, 401);
    assert.equal((await post(undefined, channelId, cardActivity)).status, 401);
  });

  it('posts a card as a new thread that Graph lists as an application message, and updates it', async () => {
    const token = await botToken(graph);
    const response = await post(token, channelId, cardActivity);
    assert.equal(response.status, 201);
    const { id } = (await response.json()) as { id: string };
    const listed = await call(
      graph,
      await appToken(graph),
      'GET',
      `/teams/${SALES}/channels/${channelId}/messages/${id}`,
    );
    assert.equal(listed.status, 200);
    const from = listed.json.from as { application: { id: string }; user: unknown };
    assert.equal(from.application.id, graph.clientId);
    assert.equal(from.user, null);
    const attachments = listed.json.attachments as { contentType: string; content: string }[];
    assert.equal(JSON.parse(attachments[0]!.content).version, '1.5');

    const reply = await post(token, `${channelId};messageid=${id}`, {
      type: 'message',
      text: 'Thread reply',
    });
    assert.equal(reply.status, 201);
    const replies = await call(
      graph,
      await appToken(graph),
      'GET',
      `/teams/${SALES}/channels/${channelId}/messages/${id}/replies`,
    );
    assert.equal((replies.json.value as unknown[]).length, 1);

    const updated = {
      ...cardActivity,
      attachments: [{ ...cardActivity.attachments[0], content: { ...card, version: '1.4' } }],
    };
    const put = await fetch(
      `${graph.botFramework.serviceUrl}v3/conversations/${channelId}/activities/${id}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(updated),
      },
    );
    assert.equal(put.status, 200);
    const after = graph.control.messages({ teamId: SALES, channelId }).find((m) => m.id === id)!;
    assert.equal(JSON.parse(after.attachments[0]!.content as string).version, '1.4');
  });

  it('answers 403 when the app is not installed in the team, 404 for a deleted channel, 413 over 28 KB', async () => {
    const token = await botToken(graph);
    await graph.control.uninstallBot({ teamId: SALES, silent: true });
    const refused = await post(token, channelId, cardActivity);
    assert.equal(refused.status, 403);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'BotNotInConversationRoster',
    );
    await graph.control.installBot({ teamId: SALES });
    assert.equal(
      (await post(token, channelId, { type: 'message', text: 'x'.repeat(29 * 1024) })).status,
      413,
    );
    graph.control.deleteChannel({ teamId: SALES, channelId });
    const gone = await post(token, channelId, cardActivity);
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { error: { code: string } }).error.code, 'ConversationNotFound');
  });

  it('answers 429 with Retry-After at 7 posts per second in one thread and at 50 per second per app', async () => {
    // The documented figures are the defaults; the counts are then exercised with the windows stretched to a
    // minute, so a loaded machine that spreads the posts over more than a second cannot make this flap.
    assert.deepEqual(documentedBotLimits().perThread[0], { limit: 7, windowMs: 1_000 });
    assert.deepEqual(documentedBotLimits().perAppPerTenant, [{ limit: 50, windowMs: 1_000 }]);
    graph.control.setBotLimits({ perThread: [{ limit: 7, windowMs: 60_000 }], perAppPerTenant: [] });
    const token = await botToken(graph);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await post(token, channelId, { type: 'message', text: `m${i}` })).status);
    assert.deepEqual(statuses.slice(0, 7), Array(7).fill(201));
    assert.equal(statuses[7], 429);
    // Per app: 50 over many threads (here: replies in distinct threads of one channel).
    graph.control.setBotLimits({ perThread: [], perAppPerTenant: [{ limit: 50, windowMs: 60_000 }] });
    const roots: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await post(token, channelId, { type: 'message', text: `root${i}` });
      roots.push(((await r.json()) as { id: string }).id);
    }
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(token, `${channelId};messageid=${roots[i % 7]}`, { type: 'message', text: `r${i}` }),
      ),
    );
    const limited = results.filter((r) => r.status === 429);
    assert.equal(limited.length, 7, 'the app limit (7 + 50 > 50) answered 429 for the 7 over it');
    assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
    graph.control.setBotLimits({ documented: true });
  });

  it('delivers installation events and card invokes signed as the Bot Framework signs them', async () => {
    const result = await graph.control.installBot({ teamId: SALES });
    assert.deepEqual(result.deliveries, [200, 200]);
    assert.deepEqual(
      received.map((r) => r.body.type),
      ['conversationUpdate', 'installationUpdate'],
    );
    const metadata = (await (await fetch(graph.botFramework.openIdMetadataUrl)).json()) as {
      jwks_uri: string;
      issuer: string;
    };
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    const token = received[0]!.auth!.replace(/^Bearer /, '');
    const { payload } = await jwtVerify(token, jwks, { issuer: metadata.issuer, audience: graph.clientId });
    assert.equal(payload.serviceurl, graph.botFramework.serviceUrl);
    assert.equal(received[0]!.body.serviceUrl, graph.botFramework.serviceUrl);
    const channelData = received[0]!.body.channelData as { team: { aadGroupId: string }; eventType: string };
    assert.equal(channelData.team.aadGroupId, SALES);
    assert.equal(channelData.eventType, 'teamMemberAdded');

    const invoke = await graph.control.cardAction({
      teamId: SALES,
      channelId,
      messageId: '1',
      user: 'megan@contoso.example',
      verb: 'acceptHandoff',
      data: { key: 'k' },
    });
    assert.equal(invoke.status, 200);
    const activity = received[2]!.body as {
      name: string;
      value: { action: { verb: string } };
      from: { aadObjectId: string };
    };
    assert.equal(activity.name, 'adaptiveCard/action');
    assert.equal(activity.value.action.verb, 'acceptHandoff');
    assert.equal(activity.from.aadObjectId, 'a1b2c3d4-0002-4a5b-8c9d-000000000002');
  });
});
