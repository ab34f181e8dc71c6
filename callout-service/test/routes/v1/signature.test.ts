import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { signRequest, signedHeaders, verifySignature } from '../../../src/routes/v1/signature.ts';

const SECRET = 'a-signing-secret-of-at-least-32-characters';

function app(secret: string | undefined = SECRET) {
  const a = express();
  a.use('/v1', ...verifySignature(secret, '1kb'));
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

test('the signature is HMAC-SHA256 over timestamp + "." + raw body, hex, prefixed v1= (as Apex signs)', () => {
  const expected = createHmac('sha256', SECRET).update('1767225600.{"a":1}').digest('hex');
  assert.equal(signRequest(SECRET, '1767225600', '{"a":1}'), `v1=${expected}`);
});

test('a correctly signed POST and GET pass and the JSON body is parsed from the raw bytes', async () => {
  const body = '{"items":[{"k":"é"}]}';
  const res = await request(app())
    .post('/v1/echo')
    .set(signedHeaders(SECRET, body))
    .set('content-type', 'application/json')
    .send(body);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { got: { items: [{ k: 'é' }] } });
  const get = await request(app()).get('/v1/ping').set(signedHeaders(SECRET));
  assert.equal(get.status, 200);
});

test('bad, missing or reused-with-another-body signatures get 401 saying what to fix', async () => {
  const headers = signedHeaders(SECRET, '{"a":1}');
  const tampered = await request(app())
    .post('/v1/echo')
    .set(headers)
    .set('content-type', 'application/json')
    .send('{"a":2}');
  assert.equal(tampered.status, 401);
  assert.equal(tampered.body.error.code, 'bad_signature');
  assert.match(tampered.body.error.message, /exact body bytes/);

  const wrongKey = await request(app())
    .get('/v1/ping')
    .set(signedHeaders('another-secret-of-32-characters-xx'));
  assert.equal(wrongKey.status, 401);
  assert.equal(wrongKey.body.error.code, 'bad_signature');

  const none = await request(app()).get('/v1/ping');
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'missing_timestamp');

  const noSig = await request(app())
    .get('/v1/ping')
    .set('X-Teams-Bridge-Timestamp', String(Math.floor(Date.now() / 1000)));
  assert.equal(noSig.body.error.code, 'missing_signature');
});

test('timestamps more than 300 s off are refused, inside the window accepted', async () => {
  const old = await request(app())
    .get('/v1/ping')
    .set(signedHeaders(SECRET, '', Date.now() - 301_000));
  assert.equal(old.status, 401);
  assert.equal(old.body.error.code, 'stale_timestamp');
  const future = await request(app())
    .get('/v1/ping')
    .set(signedHeaders(SECRET, '', Date.now() + 400_000));
  assert.equal(future.status, 401);
  const near = await request(app())
    .get('/v1/ping')
    .set(signedHeaders(SECRET, '', Date.now() - 250_000));
  assert.equal(near.status, 200);
});

test('oversized bodies get 413 and signed malformed JSON gets 400; no secret configured gives 503', async () => {
  const big = JSON.stringify({ x: 'y'.repeat(2000) });
  const tooBig = await request(app())
    .post('/v1/echo')
    .set(signedHeaders(SECRET, big))
    .set('content-type', 'application/json')
    .send(big);
  assert.equal(tooBig.status, 413);
  const bad = '{"a":';
  const malformed = await request(app())
    .post('/v1/echo')
    .set(signedHeaders(SECRET, bad))
    .set('content-type', 'application/json')
    .send(bad);
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'malformed_json');
  const unconfigured = await request(app('')).get('/v1/ping').set(signedHeaders(SECRET));
  assert.equal(unconfigured.status, 503);
  assert.match(unconfigured.body.error.message, /TEAMS_BRIDGE_SIGNING_SECRET/);
});
