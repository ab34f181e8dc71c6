import assert from 'node:assert/strict';
import { createDecipheriv, createHmac, privateDecrypt, constants, timingSafeEqual } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { generate } from 'selfsigned';
import { startGraphEmulator } from '../src/graph/index.ts';
import type { GraphEmulator } from '../src/graph/index.ts';
import { appToken, call, inMinutes, startReceiver, userToken } from './graph-helpers.ts';

let graph: GraphEmulator;
let app: string;
let teamId: string;
let channelId: string;
let resource: string;
const receivers: Array<{ close(): Promise<void> }> = [];

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

before(async () => {
  graph = await startGraphEmulator({
    port: 0,
    validationTimeoutMs: 400,
    delivery: {
      batchWindowMs: 30,
      timeoutMs: 400,
      retryInitialDelayMs: 40,
      retryMaxDelayMs: 200,
      retryWindowMs: 1200,
      slowThresholdMs: 150,
      minSamples: 3,
    },
  });
  const state = graph.control.state();
  teamId = state.teams[0]!.id;
  channelId = state.teams[0]!.channels[0]!.id;
  resource = `/teams/${teamId}/channels/${channelId}/messages`;
});
after(() => graph.close());
beforeEach(async () => {
  graph.control.reset();
  app = await appToken(graph);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const subscribe = (body: Record<string, unknown>, token = app) =>
  call(graph, token, 'POST', '/subscriptions', body);
const post = (content: string) =>
  graph.control.postMessage({ teamId, channelId, from: 'megan@contoso.example', content });

describe('Graph stand-in: subscriptions and change notifications', () => {
  it('creates a subscription through the Graph client after the handshake, then notifies a posted message', async () => {
    const hook = await receiver();
    const credential = new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret, {
      authorityHost: graph.authorityHost,
      disableInstanceDiscovery: true,
    });
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ['https://graph.microsoft.com/.default'],
      }),
      baseUrl: graph.baseUrl,
      customHosts: new Set(['localhost']),
    });
    const subscription = await client.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: hook.url,
      resource,
      expirationDateTime: inMinutes(4000),
      clientState: 'secret-state',
    });
    assert.equal(hook.validations.length, 2, 'both URLs were validated');
    assert.equal(subscription.resource, resource);
    assert.equal(subscription.applicationId, graph.clientId);

    const message = post('<p>Pricing exception for Acme</p>');
    assert.equal(hook.received.length, 0, 'never delivered inside the posting call');
    await hook.waitFor(1);
    const [item] = hook.items();
    assert.deepEqual(item, {
      subscriptionId: subscription.id,
      changeType: 'created',
      clientState: 'secret-state',
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      resource: `teams('${teamId}')/channels('${channelId}')/messages('${message.id}')`,
      resourceData: {
        id: message.id,
        '@odata.type': '#Microsoft.Graph.chatMessage',
        '@odata.id': `teams('${teamId}')/channels('${channelId}')/messages('${message.id}')`,
      },
      tenantId: graph.tenantId,
    });

    graph.control.editMessage({ teamId, channelId, messageId: message.id, content: 'edited' });
    graph.control.deleteMessage({ teamId, channelId, messageId: message.id });
    await hook.waitFor(3);
    assert.deepEqual(
      hook.items().map((i) => i.changeType),
      ['created', 'updated', 'deleted'],
    );

    // A message posted by a user through Graph itself also notifies, replies included.
    const user = await userToken(graph);
    const reply = await call(
      graph,
      user,
      'POST',
      `/teams/${teamId}/channels/${encodeURIComponent(channelId)}/messages/${(await post('root')).id}/replies`,
      {
        body: { content: 'a reply' },
      },
    );
    assert.equal(reply.status, 201);
    await hook.waitFor(5);
    assert.match(String(hook.items()[4]!.resource), /\/replies\('\d+'\)$/);
  });

  it('fails creation with 400 when the endpoint does not echo, errors, or is too slow', async () => {
    const cases = [
      {
        validation: (_req, res) => res.json({ ok: true }),
        message: /Response must exactly match validationToken/,
      },
      { validation: (_req, res) => res.status(500).end(), message: /must respond with 200 OK/ },
      {
        validation: (req, res) =>
          setTimeout(() => res.type('text/plain').send(String(req.query.validationToken)), 700),
        message: /timed out/,
      },
    ] satisfies Array<{ validation: (req: Request, res: Response) => void; message: RegExp }>;
    for (const { validation, message } of cases) {
      const hook = await receiver({ validation });
      const response = await subscribe({
        changeType: 'created',
        notificationUrl: hook.url,
        resource,
        expirationDateTime: inMinutes(30),
      });
      assert.equal(response.status, 400);
      assert.match(response.json.error!.message, message);
      assert.match(response.json.error!.message, /^Subscription validation request/);
    }
    assert.equal(graph.control.subscriptions().length, 0);
  });

  it('refuses what Graph refuses: lifetime, lifecycle URL, clientState, http, duplicates, permission, certificate', async () => {
    const hook = await receiver();
    const base = {
      changeType: 'created,updated',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: hook.url,
      resource,
      clientState: 'x',
    };
    const tooLong = await subscribe({ ...base, expirationDateTime: inMinutes(4330) });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.json.error!.message, /4320 minutes/);
    const { lifecycleNotificationUrl: _omit, ...noLifecycle } = base;
    const needsLifecycle = await subscribe({ ...noLifecycle, expirationDateTime: inMinutes(61) });
    assert.equal(needsLifecycle.status, 400);
    assert.match(needsLifecycle.json.error!.message, /lifecycleNotificationUrl/);
    assert.equal((await subscribe({ ...noLifecycle, expirationDateTime: inMinutes(59) })).status, 201);
    graph.control.reset();
    app = await appToken(graph);
    assert.equal(
      (await subscribe({ ...base, clientState: 'c'.repeat(129), expirationDateTime: inMinutes(30) })).status,
      400,
    );
    const plainHttp = await subscribe({
      ...base,
      notificationUrl: 'http://example.com/hook',
      expirationDateTime: inMinutes(30),
    });
    assert.equal(plainHttp.status, 400);
    assert.match(plainHttp.json.error!.message, /https/);
    assert.equal((await subscribe({ ...base, expirationDateTime: inMinutes(-1) })).status, 400);
    assert.equal(
      (await subscribe({ ...base, changeType: 'moved', expirationDateTime: inMinutes(30) })).status,
      400,
    );
    assert.equal(
      (await subscribe({ ...base, includeResourceData: true, expirationDateTime: inMinutes(30) })).status,
      400,
    );
    assert.equal(
      (await subscribe({ ...base, resource: '/me/messages', expirationDateTime: inMinutes(30) })).status,
      400,
    );

    const first = await subscribe({ ...base, expirationDateTime: inMinutes(30) });
    assert.equal(first.status, 201);
    const duplicate = await subscribe({ ...base, changeType: 'deleted', expirationDateTime: inMinutes(30) });
    assert.equal(duplicate.status, 409);
    assert.equal(
      duplicate.json.error!.message,
      `Subscription Id ${first.json.id} already exists for the requested combination`,
    );

    graph.control.revokeConsent({ permissions: ['ChannelMessage.Read.All'] });
    const other = `/teams/${teamId}/channels/${graph.control.state().teams[0]!.channels[1]!.id}/messages`;
    const denied = await subscribe({ ...base, resource: other, expirationDateTime: inMinutes(30) });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error!.code, 'Authorization_RequestDenied');
  });

  it('gets, renews (within the maximum), reauthorizes and deletes', async () => {
    const hook = await receiver();
    const created = await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: hook.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    const path = `/subscriptions/${created.json.id}`;
    assert.equal((await call(graph, app, 'GET', path)).json.id, created.json.id);
    assert.equal(((await call(graph, app, 'GET', '/subscriptions')).json.value as unknown[]).length, 1);
    const renewed = await call(graph, app, 'PATCH', path, { expirationDateTime: inMinutes(4300) });
    assert.equal(renewed.status, 200);
    assert.ok(Date.parse(String(renewed.json.expirationDateTime)) > Date.now() + 4000 * 60_000, 'renewed');
    assert.equal(
      (await call(graph, app, 'PATCH', path, { expirationDateTime: inMinutes(5000) })).status,
      400,
    );
    assert.equal((await call(graph, app, 'PATCH', path, { notificationUrl: hook.url })).status, 400);
    assert.equal((await call(graph, app, 'POST', `${path}/reauthorize`)).status, 204);
    assert.equal((await call(graph, app, 'DELETE', path)).status, 204);
    const gone = await call(graph, app, 'GET', path);
    assert.equal(gone.status, 404);
    post('after delete');
    await graph.control.idle();
    assert.equal(hook.received.length, 0);
  });

  it('batches notifications that queue up into one POST', async () => {
    const hook = await receiver();
    await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    for (let i = 0; i < 6; i++) post(`burst ${i}`);
    await hook.waitFor(6);
    assert.ok(hook.received.length < 6, `${hook.received.length} POSTs for 6 notifications`);
    assert.equal(hook.items().length, 6);
  });

  it('retries 5xx answers with backoff until delivered, and gives up after the retry window', async () => {
    const flaky = await receiver({
      notification: (_req, res, count) => {
        if (count <= 2) res.status(503).end();
        else res.status(202).end();
      },
    });
    await subscribe({
      changeType: 'created',
      notificationUrl: flaky.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    post('retry me');
    const delivered = await graph.control.waitForDeliveries({
      kind: 'change',
      url: flaky.url,
      outcome: 'delivered',
      timeoutMs: 3000,
    });
    assert.equal(delivered[0]!.attempt, 3);
    const retries = graph.control.deliveries({ kind: 'change', url: flaky.url, outcome: 'retrying' });
    assert.deepEqual(
      retries.map((r) => r.status),
      [503, 503],
    );
    assert.ok(
      Date.parse(delivered[0]!.at) - Date.parse(retries[0]!.at) >= 40 + 80 - 10,
      'exponential backoff',
    );

    graph.control.reset();
    app = await appToken(graph);
    const down = await receiver({ notification: (_req, res) => void res.status(500).end() });
    await subscribe({
      changeType: 'created',
      notificationUrl: down.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    post('lost');
    const failed = await graph.control.waitForDeliveries({
      kind: 'change',
      url: down.url,
      outcome: 'failed',
      timeoutMs: 4000,
    });
    assert.match(String(failed[0]!.reason), /retry window/);
    const rejected = await receiver({ notification: (_req, res) => void res.status(400).end() });
    graph.control.reset();
    app = await appToken(graph);
    await subscribe({
      changeType: 'created',
      notificationUrl: rejected.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    post('refused');
    await graph.control.waitForDeliveries({ kind: 'change', url: rejected.url, outcome: 'rejected' });
    assert.equal(
      graph.control.deliveries({ kind: 'change', url: rejected.url, outcome: 'retrying' }).length,
      0,
    );
  });

  it('marks an endpoint that answers slowly as drop and stops sending to it', async () => {
    const slow = await receiver({
      notification: (_req, res) => void setTimeout(() => res.status(202).end(), 200),
    });
    await subscribe({
      changeType: 'created',
      notificationUrl: slow.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    for (let i = 0; i < 3; i++) {
      post(`slow ${i}`);
      await graph.control.waitForDeliveries({
        kind: 'change',
        url: slow.url,
        outcome: 'delivered',
        count: i + 1,
        timeoutMs: 3000,
      });
    }
    assert.equal(graph.control.endpointStates()[slow.url]!.state, 'drop');
    post('dropped');
    const dropped = graph.control.deliveries({ kind: 'change', url: slow.url, outcome: 'dropped' });
    assert.equal(dropped.length, 1);
    assert.match(String(dropped[0]!.reason), /drop state/);
  });

  it('sends lifecycle notifications on demand to the lifecycle URL', async () => {
    const hook = await receiver();
    const lifecycle = await receiver();
    const created = await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: lifecycle.url,
      resource,
      clientState: 'state',
      expirationDateTime: inMinutes(120),
    });
    const id = String(created.json.id);
    graph.control.triggerLifecycle({ subscriptionId: id, event: 'reauthorizationRequired' });
    await lifecycle.waitFor(1);
    assert.deepEqual(lifecycle.items()[0], {
      subscriptionId: id,
      subscriptionExpirationDateTime: created.json.expirationDateTime,
      tenantId: graph.tenantId,
      clientState: 'state',
      lifecycleEvent: 'reauthorizationRequired',
    });
    assert.equal(graph.control.subscriptions()[0]!.reauthorizationRequired, true);
    await call(graph, app, 'POST', `/subscriptions/${id}/reauthorize`);
    assert.equal(graph.control.subscriptions()[0]!.reauthorizationRequired, false);
    graph.control.triggerLifecycle({ subscriptionId: id, event: 'subscriptionRemoved' });
    await lifecycle.waitFor(2);
    assert.equal(lifecycle.items()[1]!.lifecycleEvent, 'subscriptionRemoved');
    assert.equal((await call(graph, app, 'GET', `/subscriptions/${id}`)).status, 404);
    assert.equal(hook.received.length, 0);
  });

  it('sends no `missed` for chatMessage subscriptions, and can remove one without any notification', async () => {
    const hook = await receiver();
    const lifecycle = await receiver();
    const created = await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      lifecycleNotificationUrl: lifecycle.url,
      resource,
      clientState: 'state',
      expirationDateTime: inMinutes(120),
    });
    const id = String(created.json.id);
    assert.throws(
      () => graph.control.triggerLifecycle({ subscriptionId: id, event: 'missed' as never }),
      /no 'missed' for chatMessage/,
    );
    graph.control.removeSubscription({ subscriptionId: id });
    assert.equal((await call(graph, app, 'GET', `/subscriptions/${id}`)).status, 404);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(lifecycle.received.length, 0, 'no lifecycle notification');
  });

  it('drops and duplicates notifications when those faults are injected', async () => {
    const hook = await receiver();
    await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      resource,
      expirationDateTime: inMinutes(30),
    });
    graph.control.setFaults({ dropNextNotifications: 1, duplicateNextNotifications: 1 });
    const lost = post('lost');
    await graph.control.idle();
    const twice = post('twice');
    await hook.waitFor(2);
    await graph.control.idle();
    const ids = hook.items().map((i) => (i.resourceData as { id: string }).id);
    assert.deepEqual(ids, [twice.id, twice.id]);
    assert.ok(!ids.includes(lost.id), 'the dropped one never arrives');
    assert.equal(graph.control.deliveries({ outcome: 'dropped' }).length, 1);
  });

  it('encrypts rich notifications as Graph does, with validation tokens verifiable at the JWKS URL', async () => {
    const hook = await receiver();
    const certificate = await generate([{ name: 'commonName', value: 'teams-bridge-notifications' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const der = certificate.cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    const created = await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      resource,
      includeResourceData: true,
      encryptionCertificate: der,
      encryptionCertificateId: 'cert-1',
      expirationDateTime: inMinutes(45),
    });
    assert.equal(created.status, 201);
    const message = post('<p>Competitor Globex came up</p>');
    await hook.waitFor(1);
    const { body } = hook.received[0]!;
    const item = body.value[0]!;
    const encrypted = item.encryptedContent as Record<string, string>;
    assert.equal(encrypted.encryptionCertificateId, 'cert-1');

    const key = privateDecrypt(
      { key: certificate.private, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(encrypted.dataKey!, 'base64'),
    );
    const data = Buffer.from(encrypted.data!, 'base64');
    const signature = createHmac('sha256', key).update(data).digest();
    assert.ok(
      timingSafeEqual(signature, Buffer.from(encrypted.dataSignature!, 'base64')),
      'dataSignature matches',
    );
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const resourceJson = JSON.parse(
      Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'),
    );
    assert.equal(resourceJson.id, message.id);
    assert.equal(resourceJson.body.content, '<p>Competitor Globex came up</p>');

    assert.equal(body.validationTokens?.length, 1);
    const jwks = createRemoteJWKSet(new URL(graph.jwksUrl));
    const { payload } = await jwtVerify(body.validationTokens![0]!, jwks, {
      issuer: `https://sts.windows.net/${graph.tenantId}/`,
      audience: graph.clientId,
    });
    assert.equal(payload.azp, '0bf30f3b-4a52-48df-9a82-234910c4a086');
    await assert.rejects(jwtVerify(body.validationTokens![0]!, jwks, { audience: 'someone-else' }));

    const badCertificate = await subscribe({
      changeType: 'created',
      notificationUrl: hook.url,
      resource: `/teams/${teamId}/channels/${graph.control.state().teams[0]!.channels[1]!.id}/messages`,
      includeResourceData: true,
      encryptionCertificate: 'bm90IGEgY2VydA==',
      encryptionCertificateId: 'cert-1',
      expirationDateTime: inMinutes(45),
    });
    assert.equal(badCertificate.status, 400);
  });
});
