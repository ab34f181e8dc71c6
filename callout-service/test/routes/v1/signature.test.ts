import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { SignJWT, generateKeyPair } from 'jose';
import pg from 'pg';
import request from 'supertest';
import { CalloutSigner } from '../../../../emulators/src/salesforce/named-credential.ts';
import { verifyCaller } from '../../../src/routes/v1/signature.ts';
import { migrate } from '../../../src/store/migrations.ts';
import { TokenIdStore } from '../../../src/store/token-ids.ts';
import { testDatabase, type TestDatabase } from '../../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;
let signer: CalloutSigner;

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url });
  await migrate(pool);
  signer = await CalloutSigner.create();
});
after(async () => {
  await pool?.end();
  await db?.close();
});

/** One replica of the /v1 API; several share the database, as replicas do. */
function app(certificatePem: string | undefined = signer.certificatePem) {
  const a = express();
  a.use(
    '/v1',
    ...verifyCaller({
      certificatePem,
      issuer: 'teams-bridge-salesforce',
      audience: 'teams-bridge-service',
      maxLifetimeSeconds: 300,
      clockToleranceSeconds: 30,
      tokenIds: new TokenIdStore(pool),
      bodyLimit: '1kb',
    }),
  );
  a.post('/v1/echo', (req, res) => {
    res.json({ got: req.body ?? null });
  });
  a.get('/v1/ping', (_req, res) => {
    res.json({ ok: true });
  });
  a.use(
    (
      err: { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res.status(err.status ?? 500).json({ error: { code: err.type ?? 'error', message: 'x' } });
    },
  );
  return a;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('a JWT minted as the Named Credential does passes; the JSON body is parsed after authentication', async () => {
  const body = '{"items":[{"k":"é"}]}';
  const res = await request(app())
    .post('/v1/echo')
    .set(await signer.authorization())
    .set('content-type', 'application/json')
    .send(body);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { got: { items: [{ k: 'é' }] } });
  const get = await request(app())
    .get('/v1/ping')
    .set(await signer.authorization({ alg: 'RS512' }));
  assert.equal(get.status, 200, 'RS512 is allowed too');
});

test('a token is accepted once, on any replica: a replay is refused', async () => {
  const headers = await signer.authorization();
  const [first, second] = [app(), app()];
  assert.equal((await request(first).get('/v1/ping').set(headers)).status, 200);
  const replayHere = await request(first).get('/v1/ping').set(headers);
  assert.equal(replayHere.status, 401);
  assert.equal(replayHere.body.error.code, 'token_replayed');
  const replayElsewhere = await request(second).get('/v1/ping').set(headers);
  assert.equal(replayElsewhere.body.error.code, 'token_replayed', 'the other replica knows it too');

  // Without a jti (the documented default claims have none) the signature identifies the token.
  const noJti = await signer.authorization({ jti: null });
  assert.equal((await request(second).get('/v1/ping').set(noJti)).status, 200);
  assert.equal((await request(first).get('/v1/ping').set(noJti)).body.error.code, 'token_replayed');
});

test('wrong issuer, audience, signer, algorithm, expired or long-lived tokens get 401 saying what to fix', async () => {
  const expect401 = async (headers: Record<string, string>, code: string, message?: RegExp) => {
    const res = await request(app()).get('/v1/ping').set(headers);
    assert.equal(res.status, 401, code);
    assert.equal(res.body.error.code, code);
    assert.match(res.headers['www-authenticate'] ?? '', /Bearer error="invalid_token"/);
    if (message) assert.match(res.body.error.message, message);
  };
  await expect401(
    await signer.authorization({ issuer: 'someone-else' }),
    'bad_issuer',
    /teams-bridge-salesforce/,
  );
  await expect401(await signer.authorization({ audience: 'another-service' }), 'bad_audience', /aud/);
  await expect401(await signer.authorization({ ageSeconds: 200 }), 'token_expired');
  await expect401(await signer.authorization({ lifetimeSeconds: 3600 }), 'token_lifetime', /at most 300 s/);

  const stranger = await generateKeyPair('RS256');
  const forged = await new SignJWT({ jti: 'forged' })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer('teams-bridge-salesforce')
    .setAudience('teams-bridge-service')
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(stranger.privateKey);
  await expect401(bearer(forged), 'bad_signature', /TEAMS_BRIDGE_JWT_CERTIFICATE/);

  const hmac = await new SignJWT({ jti: 'hmac' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('teams-bridge-salesforce')
    .setAudience('teams-bridge-service')
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(new TextEncoder().encode('a-shared-secret-is-not-accepted-any-more'));
  await expect401(bearer(hmac), 'bad_algorithm');

  await expect401({}, 'missing_token', /Authorization: Bearer/);
  await expect401({ Authorization: 'Bearer not-a-jwt' }, 'missing_token');
  await expect401(bearer('bm90LWpzb24.e30.c2ln'), 'malformed_token');
});

test('authentication comes before the body: an unauthenticated large body gets 401, not 413', async () => {
  const big = JSON.stringify({ x: 'y'.repeat(20_000) });
  const anonymous = await request(app()).post('/v1/echo').set('content-type', 'application/json').send(big);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 'missing_token');
  const authenticated = await request(app())
    .post('/v1/echo')
    .set(await signer.authorization())
    .set('content-type', 'application/json')
    .send(big);
  assert.equal(authenticated.status, 413, 'the limit applies once the caller is known');
});

test('malformed JSON gets 400; no certificate configured gives 503 naming the variable', async () => {
  const malformed = await request(app())
    .post('/v1/echo')
    .set(await signer.authorization())
    .set('content-type', 'application/json')
    .send('{"a":');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'malformed_json');
  const unconfigured = await request(app(''))
    .get('/v1/ping')
    .set(await signer.authorization());
  assert.equal(unconfigured.status, 503);
  assert.match(unconfigured.body.error.message, /TEAMS_BRIDGE_JWT_CERTIFICATE/);
});
