import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ensureTls } from '../../../emulators/src/graph/ensure-ca.ts';
import type { RunningService } from '../../src/main.ts';
import { saveSubscription } from '../../src/store/subscriptions.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  SALES_TEAM,
  USERS,
  counter,
  serviceConfig,
  start,
  startStandIns,
  tasks,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// Rich notifications (includeResourceData) from the Graph stand-in: validation tokens checked against its
// JWKS, content decrypted with our certificate's key, and no Graph call to fetch the message.

let stands: Stands;
let db: TestDatabase;
let service: RunningService;
let channelId: string;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  // Any RSA certificate and its key will do: the stand-in's own localhost pair is at hand.
  const tls = await ensureTls();
  service = await start(serviceConfig(stands, db.url, { GRAPH_NOTIFICATION_PRIVATE_KEY: tls.keyPem }));
  const channel = stands.graph.control.addChannel({ teamId: SALES_TEAM, displayName: 'Rich deal room' });
  channelId = channel.id;
  stands.sf.control.seed('Teams_Channel_Link__c', {
    Name: 'Rich deal room',
    Opportunity__c: stands.opportunityId,
    Team_Id__c: SALES_TEAM,
    Channel_Id__c: channelId,
    Channel_Name__c: 'Rich deal room',
    Status__c: 'Active',
  });
  const clientState = randomBytes(24).toString('base64url');
  const resource = `/teams/${SALES_TEAM}/channels/${channelId}/messages`;
  const created = (await service.context.graph.client.api('/subscriptions').post({
    changeType: 'created',
    notificationUrl: `${service.url}/graph/notifications`,
    resource,
    expirationDateTime: new Date(Date.now() + 55 * 60_000).toISOString(),
    clientState,
    includeResourceData: true,
    encryptionCertificate: tls.certPem,
    encryptionCertificateId: 'teams-bridge-test',
  })) as { id: string };
  await saveSubscription(service.context.db.pool, {
    id: created.id,
    resource,
    teamId: SALES_TEAM,
    channelId,
    channelLinkId: null,
    clientState,
    expiration: null,
  });
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('a rich notification becomes a Task without fetching the message', async () => {
  const message = stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId,
    from: USERS.alex,
    content: '<p>Send the <b>MSA</b> today</p>',
  });
  const [delivery] = await stands.graph.control.waitForDeliveries({ kind: 'change', outcome: 'delivered' });
  assert.ok(delivery?.body?.validationTokens?.length, 'the stand-in sent validation tokens');
  assert.ok(delivery?.body?.value[0]?.encryptedContent, 'and encrypted content');
  const task = await waitFor('the Task', () =>
    tasks(stands).find((t) => t.Description.endsWith('Send the MSA today')),
  );
  assert.equal(task.WhatId, stands.opportunityId);
  const fetched = stands.graph.control.requests({ pathContains: `/messages/${message.id}`, method: 'GET' });
  assert.equal(fetched.length, 0, 'content came from the notification');
  assert.equal(await counter(service.context.metrics.notificationsRejected), 0);
});
