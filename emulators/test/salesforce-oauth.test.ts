import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { startSalesforceEmulator } from '../src/salesforce/index.ts';
import type { SalesforceEmulator } from '../src/salesforce/index.ts';
import {
  adminConnection,
  API_VERSION,
  FIXTURE_PROJECT,
  jwtAssertion,
  jwtConnection,
  oauth2,
} from './fixtures/salesforce/connect.ts';
import type { JsforceError } from './fixtures/salesforce/connect.ts';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function tokenError(
  sf: SalesforceEmulator,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${sf.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('Salesforce stand-in: OAuth 2.0 and sessions', () => {
  let sf: SalesforceEmulator;
  before(async () => {
    // The first start in a process also generates the connected app's RSA key (0.1–0.6 s).
    sf = await startSalesforceEmulator({ port: 0, projectDir: FIXTURE_PROJECT });
  });
  after(() => sf.close());
  beforeEach(() => sf.control.reset());

  test('the demo admin logs in with jsforce (username-password) and queries', async () => {
    const conn = await adminConnection(sf);
    assert.equal(conn.instanceUrl, sf.instanceUrl);
    const result = await conn.query<{ Name: string }>("SELECT Name FROM Account WHERE Name = 'Contoso Ltd'");
    assert.equal(result.totalSize, 1);
    assert.equal(result.records[0]!.Name, 'Contoso Ltd');
    const identity = await conn.identity();
    assert.equal(identity.username, sf.adminUser.username);
  });

  test('the JWT bearer flow mints a session for the integration user', async () => {
    const conn = await jwtConnection(sf);
    const me = await conn.query<{ Username: string }>(
      `SELECT Username FROM User WHERE Username = '${sf.username}'`,
    );
    assert.equal(me.records[0]!.Username, sf.username);
    const info = await fetch(`${sf.loginUrl}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    assert.equal(((await info.json()) as { preferred_username: string }).preferred_username, sf.username);
  });

  test('JWT assertions the real org refuses are refused with its error bodies', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const cases: [string, Promise<string>, string, string][] = [
      ['signed with another key', jwtAssertion(sf, {}, otherKey), 'invalid_grant', 'invalid assertion'],
      [
        'wrong audience',
        jwtAssertion(sf, { aud: 'https://login.salesforce.com' }),
        'invalid_grant',
        'audience is invalid',
      ],
      [
        'unknown issuer',
        jwtAssertion(sf, { iss: '3MVGunknown' }),
        'invalid_client_id',
        'client identifier invalid',
      ],
      [
        'expired',
        jwtAssertion(sf, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
        'invalid_grant',
        'expired authorization code',
      ],
      [
        'unknown user',
        jwtAssertion(sf, { sub: 'nobody@example.com' }),
        'invalid_grant',
        "user hasn't approved this consumer",
      ],
      [
        'inactive user',
        jwtAssertion(sf, { sub: 'lee.gu@contoso.example' }),
        'invalid_grant',
        'inactive user',
      ],
      ['not a JWT', Promise.resolve('not-a-jwt'), 'invalid_grant', 'invalid assertion'],
    ];
    for (const [name, assertion, error, description] of cases) {
      const { status, body } = await tokenError(sf, { grant_type: JWT_GRANT, assertion: await assertion });
      assert.equal(status, 400, name);
      assert.deepEqual(body, { error, error_description: description }, name);
    }
  });

  test('client credentials run as the integration user; bad client credentials are refused', async () => {
    const ok = await oauth2(sf).requestToken({ grant_type: 'client_credentials' });
    const conn = new Connection({
      instanceUrl: ok.instance_url,
      accessToken: ok.access_token,
      version: API_VERSION,
    });
    const info = await fetch(`${sf.loginUrl}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    assert.equal(((await info.json()) as { preferred_username: string }).preferred_username, sf.username);
    assert.equal(ok.refresh_token, undefined, 'client credentials issue no refresh token');

    assert.deepEqual(
      (
        await tokenError(sf, {
          grant_type: 'client_credentials',
          client_id: 'nope',
          client_secret: sf.clientSecret,
        })
      ).body,
      {
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      },
    );
    assert.deepEqual(
      (
        await tokenError(sf, {
          grant_type: 'client_credentials',
          client_id: sf.clientId,
          client_secret: 'wrong',
        })
      ).body,
      {
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      },
    );
    assert.deepEqual((await tokenError(sf, { grant_type: 'magic' })).body, {
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });

  test('a wrong password or an inactive user fails with authentication failure', async () => {
    const conn = new Connection({ oauth2: oauth2(sf), version: API_VERSION });
    await assert.rejects(conn.login(sf.adminUser.username, 'wrong-password'), (err: JsforceError) => {
      assert.equal(err.name, 'invalid_grant');
      assert.equal(err.message, 'authentication failure');
      return true;
    });
    sf.control.setPassword('lee.gu@contoso.example', 'Passw0rd!');
    await assert.rejects(conn.login('lee.gu@contoso.example', 'Passw0rd!'), /authentication failure/);
  });

  test('sessions expire after the configured idle lifetime: 401 INVALID_SESSION_ID', async () => {
    const conn = await jwtConnection(sf);
    sf.control.setSessionLifetime(0.2);
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(
      async () => conn.query('SELECT Id FROM Account'),
      (err: JsforceError) => {
        assert.equal(err.errorCode, 'INVALID_SESSION_ID');
        assert.equal(err.message, 'Session expired or invalid');
        return true;
      },
    );
    const res = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: 'Bearer forged' },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), [
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  test('jsforce refreshes an expired session with its refresh token and retries the call', async () => {
    const code = sf.control.createAuthorizationCode('alex@contoso.example');
    const conn = new Connection({ oauth2: oauth2(sf), version: API_VERSION });
    await conn.authorize(code);
    assert.ok(conn.refreshToken, 'the authorization code grant issues a refresh token');
    const firstToken = conn.accessToken;
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);

    sf.control.expireSessions();
    const result = await conn.query<{ Name: string }>('SELECT Name FROM Opportunity');
    assert.equal(result.records[0]!.Name, 'Contoso — Enterprise renewal');
    assert.equal(refreshed, 1);
    assert.notEqual(conn.accessToken, firstToken);
    const statuses = sf.control
      .requests()
      .filter((r) => r.path.includes('/query'))
      .map((r) => r.status);
    assert.deepEqual(statuses, [401, 200]);

    // An authorization code is single use.
    await assert.rejects(
      new Connection({ oauth2: oauth2(sf) }).authorize(code),
      /invalid authorization code/,
    );
  });

  test('a revoked refresh token cannot refresh: the call fails instead of looping', async () => {
    const conn = new Connection({ oauth2: oauth2(sf), version: API_VERSION });
    await conn.authorize(sf.control.createAuthorizationCode('alex@contoso.example'));
    sf.control.revokeTokens('alex@contoso.example');
    await assert.rejects(async () => conn.query('SELECT Id FROM Account'), /expired access\/refresh token/);
  });

  test('token endpoint faults: IP restriction and failed login', async () => {
    sf.control.setFaults({ tokenEndpoint: 'ip_restricted' });
    await assert.rejects(
      new OAuth2({ loginUrl: sf.loginUrl }).requestToken({
        grant_type: JWT_GRANT,
        assertion: await jwtAssertion(sf),
      }),
      (err: Error) => {
        assert.equal(err.name, 'invalid_grant');
        assert.equal(err.message, 'ip restricted');
        return true;
      },
    );
    sf.control.setFaults({ tokenEndpoint: 'invalid_login' });
    await assert.rejects(adminConnection(sf), /authentication failure/);
    sf.control.clearFaults();
    await adminConnection(sf);
  });

  test('the HTTP control API expires sessions like the in-process one', async () => {
    const conn = await jwtConnection(sf);
    const res = await fetch(`${sf.controlUrl}/sessions/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.deepEqual(await res.json(), { expired: 1 });
    await assert.rejects(async () => conn.query('SELECT Id FROM Account'), /Session expired or invalid/);
  });

  test('a start (schema from the project, demo org, listening) takes well under a second', async () => {
    const started = Date.now();
    const another = await startSalesforceEmulator({ port: 0, projectDir: FIXTURE_PROJECT });
    const elapsed = Date.now() - started;
    await another.close();
    assert.ok(elapsed < 1000, `started in ${elapsed} ms`);
  });

  test('the demo org can be replaced: an empty org has no users to log in as', async () => {
    const empty = await startSalesforceEmulator({
      port: 0,
      projectDir: FIXTURE_PROJECT,
      seed: { records: [], passwords: {} },
    });
    try {
      assert.deepEqual(empty.control.records('User'), []);
      assert.equal(empty.adminUser.username, '');
      const { body } = await tokenError(empty, {
        grant_type: JWT_GRANT,
        assertion: await jwtAssertion(empty),
      });
      assert.deepEqual(body, {
        error: 'invalid_grant',
        error_description: "user hasn't approved this consumer",
      });
      empty.control.seed('User', {
        LastName: 'Solo',
        Email: 'solo@example.com',
        Username: 'solo@example.com',
        Alias: 'solo',
      });
      await jwtConnection({ ...empty, username: 'solo@example.com' });
    } finally {
      await empty.close();
    }
  });
});
