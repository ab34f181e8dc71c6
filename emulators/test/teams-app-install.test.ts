/** Installing the bot's Teams app in a team through Graph: catalog lookup, permissions, 409, 404, bot events. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startGraphEmulator, type GraphEmulator } from '../src/graph/index.ts';
import { appToken, call } from './graph-helpers.ts';

const SALES = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';
const RSC = [
  { permissionValue: 'ChannelMessage.Read.Group', permissionType: 'application' },
  { permissionValue: 'ChannelMessage.Send.Group', permissionType: 'application' },
  { permissionValue: 'ChannelSettings.Read.Group', permissionType: 'application' },
  { permissionValue: 'TeamsActivity.Send.Group', permissionType: 'application' },
];

describe('Graph stand-in: Teams app installation in a team', () => {
  let graph: GraphEmulator;
  let receiver: Server;
  const received: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  const bind = (id: string) => ({
    'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}`,
    consentedPermissionSet: { resourceSpecificPermissions: RSC },
  });

  before(async () => {
    graph = await startGraphEmulator({ port: 0 });
    const app = express();
    app.post('/api/messages', express.json(), (req, res) => {
      received.push({ auth: req.header('authorization'), body: req.body as Record<string, unknown> });
      res.status(200).end();
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
    graph.control.reset();
    received.length = 0;
    graph.control.setBotEndpoint({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/messages`,
    });
    await graph.control.uninstallBot({ teamId: SALES, silent: true });
  });

  it('finds the app in the catalog by its manifest id (AppCatalog.Read.All)', async () => {
    const token = await appToken(graph);
    const found = await call(
      graph,
      token,
      'GET',
      `/appCatalogs/teamsApps?$filter=externalId eq '${graph.teamsApp.manifestId}'&$expand=appDefinitions`,
    );
    assert.equal(found.status, 200, JSON.stringify(found.json));
    const value = found.json.value as {
      id: string;
      externalId: string;
      appDefinitions: {
        authorization: { requiredPermissionSet: { resourceSpecificPermissions: unknown[] } };
      }[];
    }[];
    assert.equal(value.length, 1);
    assert.equal(value[0]!.id, graph.teamsApp.catalogId);
    assert.deepEqual(
      value[0]!.appDefinitions[0]!.authorization.requiredPermissionSet.resourceSpecificPermissions,
      RSC,
    );
    graph.control.revokeConsent({ permissions: ['AppCatalog.Read.All'] });
    const refused = await call(graph, await appToken(graph), 'GET', '/appCatalogs/teamsApps');
    assert.equal(refused.status, 403);
    assert.match(refused.json.error!.message, /AppCatalog\.Read\.All/);
  });

  it('installs the app: 200, listed in the team, the bot gets signed conversationUpdate + installationUpdate; again: 409', async () => {
    const token = await appToken(graph);
    const before = await call(graph, token, 'GET', `/teams/${SALES}/installedApps?$expand=teamsApp`);
    assert.equal(before.status, 200);
    assert.deepEqual(before.json.value, []);
    const added = await call(
      graph,
      token,
      'POST',
      `/teams/${SALES}/installedApps`,
      bind(graph.teamsApp.catalogId),
    );
    assert.equal(added.status, 200, JSON.stringify(added.json));
    const listed = await call(graph, token, 'GET', `/teams/${SALES}/installedApps?$expand=teamsApp`);
    const apps = listed.json.value as { id: string; teamsApp: { id: string; externalId: string } }[];
    assert.equal(apps.length, 1);
    assert.equal(apps[0]!.teamsApp.externalId, graph.teamsApp.manifestId);
    const one = await call(graph, token, 'GET', `/teams/${SALES}/installedApps/${apps[0]!.id}`);
    assert.equal(one.status, 200);

    for (let i = 0; i < 50 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      received.map((r) => r.body.type),
      ['conversationUpdate', 'installationUpdate'],
    );
    const update = received[0]!.body as {
      membersAdded: { id: string }[];
      channelData: { eventType: string; team: { aadGroupId: string } };
      serviceUrl: string;
    };
    assert.equal(update.channelData.eventType, 'teamMemberAdded');
    assert.equal(update.channelData.team.aadGroupId, SALES);
    assert.equal(update.membersAdded[0]!.id, `28:${graph.clientId}`);
    assert.equal((received[1]!.body as { action: string }).action, 'add');
    // Signed as the Bot Framework signs: keys from its OpenID metadata, audience the bot's app id.
    const metadata = (await (await fetch(graph.botFramework.openIdMetadataUrl)).json()) as {
      jwks_uri: string;
    };
    const { payload } = await jwtVerify(
      received[0]!.auth!.replace(/^Bearer /, ''),
      createRemoteJWKSet(new URL(metadata.jwks_uri)),
      { issuer: 'https://api.botframework.com', audience: graph.clientId },
    );
    assert.equal(payload.serviceurl, update.serviceUrl);

    const again = await call(
      graph,
      token,
      'POST',
      `/teams/${SALES}/installedApps`,
      bind(graph.teamsApp.catalogId),
    );
    assert.equal(again.status, 409);
    assert.equal(again.json.error!.code, 'Conflict');

    const removed = await call(graph, token, 'DELETE', `/teams/${SALES}/installedApps/${apps[0]!.id}`);
    assert.equal(removed.status, 204);
    const after = await call(graph, token, 'GET', `/teams/${SALES}/installedApps`);
    assert.deepEqual(after.json.value, []);
  });

  it('an unknown catalog id: 404; no body bind: 400', async () => {
    const token = await appToken(graph);
    const unknown = await call(
      graph,
      token,
      'POST',
      `/teams/${SALES}/installedApps`,
      bind('00000000-0000-0000-0000-000000000000'),
    );
    assert.equal(unknown.status, 404);
    const bad = await call(graph, token, 'POST', `/teams/${SALES}/installedApps`, {});
    assert.equal(bad.status, 400);
  });

  it('without consent: 403; ReadWriteSelfForTeam.All cannot install an app that needs RSC consent; a wrong consent set: 400', async () => {
    graph.control.revokeConsent({ permissions: ['TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All'] });
    const none = await call(
      graph,
      await appToken(graph),
      'POST',
      `/teams/${SALES}/installedApps`,
      bind(graph.teamsApp.catalogId),
    );
    assert.equal(none.status, 403);
    assert.equal(none.json.error!.code, 'Authorization_RequestDenied');

    graph.control.grantConsent({ permissions: ['TeamsAppInstallation.ReadWriteSelfForTeam.All'] });
    const noRsc = await call(
      graph,
      await appToken(graph),
      'POST',
      `/teams/${SALES}/installedApps`,
      bind(graph.teamsApp.catalogId),
    );
    assert.equal(noRsc.status, 403);
    assert.match(noRsc.json.error!.message, /ReadWriteAndConsentSelfForTeam/);

    graph.control.grantConsent({ permissions: ['TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All'] });
    const token = await appToken(graph);
    const partial = await call(graph, token, 'POST', `/teams/${SALES}/installedApps`, {
      ...bind(graph.teamsApp.catalogId),
      consentedPermissionSet: { resourceSpecificPermissions: RSC.slice(0, 1) },
    });
    assert.equal(partial.status, 400);
    assert.match(partial.json.error!.message, /consentedPermissionSet/);
    assert.equal(received.length, 0, 'nothing was installed, the bot heard nothing');
  });
});
