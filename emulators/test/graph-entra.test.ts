import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential, DeviceCodeCredential, UsernamePasswordCredential } from '@azure/identity';
import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import { startGraphEmulator } from '../src/graph/index.ts';
import type { GraphEmulator } from '../src/graph/index.ts';

let graph: GraphEmulator;
let tokenUrl: string;

before(async () => {
  graph = await startGraphEmulator({ port: 0, deviceCodeIntervalSeconds: 1 });
  tokenUrl = `${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token`;
});
after(() => graph.close());

async function token(params: Record<string, string>, url = tokenUrl) {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(params) });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error_codes?: number[] },
  };
}

const clientCredentials = () => ({
  grant_type: 'client_credentials',
  client_id: graph.clientId,
  client_secret: graph.clientSecret,
  scope: 'https://graph.microsoft.com/.default',
});

describe('Graph stand-in: Entra ID', () => {
  it('starts in under a second with the CA already made', async () => {
    const started = Date.now();
    const other = await startGraphEmulator({ port: 0 });
    const elapsed = Date.now() - started;
    await other.close();
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  it('publishes OpenID discovery for the tenant and refuses an unknown tenant', async () => {
    const response = await fetch(
      `${graph.authorityHost}/${graph.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    const doc = (await response.json()) as Record<string, string>;
    assert.equal(doc.token_endpoint, tokenUrl);
    assert.equal(doc.issuer, `${graph.authorityHost}/${graph.tenantId}/v2.0`);
    assert.match(doc.jwks_uri!, /discovery\/v2\.0\/keys$/);
    const unknown = await fetch(`${graph.authorityHost}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    assert.equal(unknown.status, 400);
    assert.deepEqual(((await unknown.json()) as { error_codes: number[] }).error_codes, [90002]);
  });

  it('issues RS256 app tokens whose roles are the consented application permissions, verifiable at the JWKS URL', async () => {
    const { status, body } = await token(clientCredentials());
    assert.equal(status, 200);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    const jwks = createRemoteJWKSet(new URL(graph.jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(body.access_token as string, jwks, {
      issuer: `https://sts.windows.net/${graph.tenantId}/`,
      audience: 'https://graph.microsoft.com',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.appid, graph.clientId);
    assert.equal(payload.idtyp, 'app');
    assert.ok((payload.roles as string[]).includes('ChannelMessage.Read.All'), 'roles carry the consent');
    assert.equal(payload.scp, undefined);
  });

  it('refuses client credentials without the /.default scope, for another resource, or without a scope', async () => {
    const wrongScope = await token({
      ...clientCredentials(),
      scope: 'https://graph.microsoft.com/User.Read.All',
    });
    assert.equal(wrongScope.status, 400);
    assert.equal(wrongScope.body.error, 'invalid_scope');
    assert.deepEqual(wrongScope.body.error_codes, [1002012]);
    const otherResource = await token({
      ...clientCredentials(),
      scope: 'https://management.azure.com/.default',
    });
    assert.equal(otherResource.body.error, 'invalid_resource');
    assert.deepEqual(otherResource.body.error_codes, [500011]);
    const { scope: _scope, ...noScope } = clientCredentials();
    const missing = await token(noScope);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error_codes, [900144]);
  });

  it('refuses a wrong secret (AADSTS7000215), an unknown client (AADSTS700016) and a missing secret', async () => {
    const badSecret = await token({ ...clientCredentials(), client_secret: 'nope' });
    assert.equal(badSecret.status, 401);
    assert.equal(badSecret.body.error, 'invalid_client');
    assert.match(String(badSecret.body.error_description), /^AADSTS7000215: Invalid client secret provided/);
    const unknown = await token({
      ...clientCredentials(),
      client_id: '11111111-2222-3333-4444-555555555555',
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'unauthorized_client');
    assert.match(String(unknown.body.error_description), /^AADSTS700016: Application with identifier/);
    const { client_secret: _secret, ...noSecret } = clientCredentials();
    const missing = await token(noSecret);
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body.error_codes, [7000218]);
    const grant = await token({ ...clientCredentials(), grant_type: 'authorization_code' });
    assert.equal(grant.body.error, 'unsupported_grant_type');
  });

  it('gives the demo user a delegated token with the password grant, and refuses a wrong password', async () => {
    const ok = await token({
      grant_type: 'password',
      client_id: graph.clientId,
      username: graph.demoUser.username,
      password: graph.demoUser.password,
      scope: 'https://graph.microsoft.com/.default openid profile offline_access',
    });
    assert.equal(ok.status, 200);
    const claims = decodeJwt(ok.body.access_token as string);
    assert.equal(claims.idtyp, 'user');
    assert.equal(claims.upn, graph.demoUser.username);
    assert.match(String(claims.scp), /ChannelMessage\.Send/);
    assert.equal(claims.roles, undefined);
    assert.equal(typeof ok.body.refresh_token, 'string');
    assert.equal(typeof ok.body.id_token, 'string');

    const wrong = await token({
      grant_type: 'password',
      client_id: graph.clientId,
      username: graph.demoUser.username,
      password: 'wrong',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    assert.deepEqual(wrong.body.error_codes, [50126]);
    const nobody = await token({
      grant_type: 'password',
      client_id: graph.clientId,
      username: 'nobody@contoso.example',
      password: 'x',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.deepEqual(nobody.body.error_codes, [50034]);
    const unconsented = await token({
      grant_type: 'password',
      client_id: graph.clientId,
      username: graph.demoUser.username,
      password: graph.demoUser.password,
      scope: 'https://graph.microsoft.com/Mail.Send',
    });
    assert.deepEqual(unconsented.body.error_codes, [65001]);
  });

  it('redeems refresh tokens, and refuses them once revoked', async () => {
    const first = await token({
      grant_type: 'password',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      username: graph.demoUser.username,
      password: graph.demoUser.password,
      scope: 'https://graph.microsoft.com/.default offline_access',
    });
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      refresh_token: first.body.refresh_token as string,
      scope: 'https://graph.microsoft.com/.default offline_access',
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.access_token, first.body.access_token);
    assert.equal(typeof refreshed.body.refresh_token, 'string');
    graph.control.revokeRefreshTokens({ userId: graph.demoUser.id });
    const revoked = await token({
      grant_type: 'refresh_token',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      refresh_token: refreshed.body.refresh_token as string,
    });
    assert.equal(revoked.status, 400);
    assert.equal(revoked.body.error, 'invalid_grant');
    assert.deepEqual(revoked.body.error_codes, [50173]);
  });

  it('runs the device-code flow: pending until the user signs in on the verification page', async () => {
    const start = await fetch(`${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: graph.clientId,
        scope: 'https://graph.microsoft.com/.default offline_access',
      }),
    });
    const device = (await start.json()) as Record<string, string | number>;
    assert.equal(device.interval, 1);
    const poll = () =>
      token({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: graph.clientId,
        device_code: String(device.device_code),
      });
    const pending = await poll();
    assert.equal(pending.body.error, 'authorization_pending');
    assert.deepEqual(pending.body.error_codes, [70016]);

    const wrongPassword = await fetch(String(device.verification_uri), {
      method: 'POST',
      body: new URLSearchParams({
        user_code: String(device.user_code),
        username: graph.demoUser.username,
        password: 'bad',
      }),
    });
    assert.equal(wrongPassword.status, 400);
    const signIn = await fetch(String(device.verification_uri), {
      method: 'POST',
      body: new URLSearchParams({
        user_code: String(device.user_code),
        username: graph.demoUser.username,
        password: graph.demoUser.password,
      }),
    });
    assert.equal(signIn.status, 200);
    const done = await poll();
    assert.equal(done.status, 200);
    assert.equal(decodeJwt(done.body.access_token as string).oid, graph.demoUser.id);
    const reused = await poll();
    assert.equal(reused.body.error, 'invalid_grant');
  });

  it('works with @azure/identity ClientSecretCredential: cached while valid, a new token near expiry', async () => {
    const before = graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).length;
    // MSAL refreshes 5 minutes before expiry: a 302-second token stays cached for at most 2 seconds.
    graph.control.setTokenLifetime({ seconds: 302 });
    try {
      const credential = new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret, {
        authorityHost: graph.authorityHost,
        disableInstanceDiscovery: true,
      });
      const first = await credential.getToken('https://graph.microsoft.com/.default');
      const second = await credential.getToken('https://graph.microsoft.com/.default');
      assert.equal(second.token, first.token);
      assert.equal(graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).length - before, 1);
      assert.ok(Array.isArray(decodeJwt(first.token).roles), 'an app token with roles');
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const third = await credential.getToken('https://graph.microsoft.com/.default');
      assert.notEqual(third.token, first.token);
      assert.equal(graph.control.requests({ pathContains: '/oauth2/v2.0/token' }).length - before, 2);

      const wrong = new ClientSecretCredential(graph.tenantId, graph.clientId, 'wrong-secret', {
        authorityHost: graph.authorityHost,
        disableInstanceDiscovery: true,
      });
      await assert.rejects(wrong.getToken('https://graph.microsoft.com/.default'), /AADSTS7000215/);
    } finally {
      graph.control.setTokenLifetime({ seconds: 3600 });
    }
  });

  it('works with @azure/identity delegated credentials: device code (then silent refresh) and password', async () => {
    const prompts: string[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      authorityHost: graph.authorityHost,
      disableInstanceDiscovery: true,
      userPromptCallback: (info) => {
        prompts.push(info.userCode);
        // The person signs in on the verification page; the control API stands in for the browser.
        setTimeout(
          () =>
            graph.control.approveDeviceCode({ userCode: info.userCode, username: graph.demoUser.username }),
          50,
        );
      },
    });
    graph.control.setTokenLifetime({ seconds: 302 });
    try {
      const first = await credential.getToken('https://graph.microsoft.com/.default');
      assert.equal(decodeJwt(first.token).upn, graph.demoUser.username);
      assert.equal((await credential.getToken('https://graph.microsoft.com/.default')).token, first.token);
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const refreshed = await credential.getToken('https://graph.microsoft.com/.default');
      assert.notEqual(refreshed.token, first.token);
      assert.equal(prompts.length, 1, 'renewed with the refresh token, without a new sign-in');
      assert.equal(
        graph.control
          .requests({ pathContains: '/oauth2/v2.0/token' })
          .filter((r) => r.status === 200 && r.userId).length >= 2,
        true,
      );
    } finally {
      graph.control.setTokenLifetime({ seconds: 3600 });
    }
    const password = new UsernamePasswordCredential(
      graph.tenantId,
      graph.clientId,
      graph.demoUser.username,
      graph.demoUser.password,
      {
        authorityHost: graph.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    assert.equal(
      decodeJwt((await password.getToken('https://graph.microsoft.com/.default')).token).oid,
      graph.demoUser.id,
    );
    const wrong = new UsernamePasswordCredential(
      graph.tenantId,
      graph.clientId,
      graph.demoUser.username,
      'wrong',
      {
        authorityHost: graph.authorityHost,
        disableInstanceDiscovery: true,
      },
    );
    await assert.rejects(wrong.getToken('https://graph.microsoft.com/.default'), /AADSTS50126/);
  });
});
