import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import express from 'express';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import request from 'supertest';
import { ValidationTokenVerifier } from '../../src/graph/notifications.ts';
import type { InboundJob } from '../../src/inbound/job.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics, type Metrics } from '../../src/ops/metrics.ts';
import { graphNotificationsRouter } from '../../src/routes/graph-notifications.ts';
import { migrate } from '../../src/store/migrations.ts';
import { INBOUND_QUEUE, startQueue } from '../../src/store/queue.ts';
import { saveSubscription, getSubscription } from '../../src/store/subscriptions.ts';
import { encryptLikeGraph, encryptionKeyPair, tokenIssuer } from '../helpers/rich-notification.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';

const TEAM = 'team-guid-1';
const CHANNEL = '19:dealdesk@thread.tacv2';
const SECRET = 'clientstate-secret-of-sub-1';
const ISSUER = 'https://sts.windows.net/tenant-1/';
const APP_ID = 'app-1';

let db: TestDatabase;
let pool: pg.Pool;
let boss: PgBoss;
let metrics: Metrics;
let app: express.Express;
let logLines: string[];
let issuer: Awaited<ReturnType<typeof tokenIssuer>>;
const keys = encryptionKeyPair();

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url });
  await migrate(pool);
  boss = await startQueue(
    db.url,
    { retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 60, maintenanceSeconds: 60 },
    createLogger('silent'),
  );
  await saveSubscription(pool, {
    id: 'sub-1',
    resource: `/teams/${TEAM}/channels/${CHANNEL}/messages`,
    teamId: TEAM,
    channelId: CHANNEL,
    channelLinkId: 'a00000000000001',
    clientState: SECRET,
    expiration: new Date(Date.now() + 3600_000),
  });
  issuer = await tokenIssuer();
});

beforeEach(async () => {
  await pool.query(`DELETE FROM pgboss.job`);
  logLines = [];
  metrics = createMetrics({ defaultMetrics: false });
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _e, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  app = express();
  app.use(
    graphNotificationsRouter({
      pool,
      boss,
      logger,
      metrics,
      verifier: new ValidationTokenVerifier('https://unused.example', ISSUER, APP_ID, issuer.jwks),
      notificationPrivateKey: keys.privateKeyPem,
      bodyLimit: '16kb',
    }),
  );
  app.use(
    (
      err: { type?: string; message: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = err.type === 'entity.too.large' ? 413 : err.type === 'entity.parse.failed' ? 400 : 500;
      res.status(status).json({ error: { message: err.message } });
    },
  );
});

after(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await pool?.end();
  await db?.close();
});

const resource = (id: string) => `teams('${TEAM}')/channels('${CHANNEL}')/messages('${id}')`;
const notification = (id: string, over: Record<string, unknown> = {}) => ({
  subscriptionId: 'sub-1',
  changeType: 'created',
  clientState: SECRET,
  tenantId: 'tenant-1',
  resource: resource(id),
  resourceData: { id, '@odata.type': '#Microsoft.Graph.chatMessage' },
  ...over,
});

async function queuedJobs(): Promise<InboundJob[]> {
  const { rows } = await pool.query<{ data: InboundJob }>(
    `SELECT data FROM pgboss.job WHERE name = $1 ORDER BY data->>'messageId'`,
    [INBOUND_QUEUE],
  );
  return rows.map((r) => r.data);
}

const rejected = async (reason: string) =>
  (await metrics.notificationsRejected.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

test('validation request: the token comes back unchanged as text/plain', async () => {
  const token = 'Validation: Testing client application reachability for subscription Request-Id: 3c0f<&>';
  const res = await request(app)
    .post(`/graph/notifications?validationToken=${encodeURIComponent(token)}`)
    .set('content-type', 'text/plain')
    .send('');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
  assert.equal(res.text, token);
  assert.equal((await queuedJobs()).length, 0);
});

test('notifications become one job each and the answer is 202', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({
      value: [notification('1001'), notification('1002'), notification('1003', { changeType: 'updated' })],
    });
  assert.equal(res.status, 202);
  const jobs = await queuedJobs();
  assert.deepEqual(
    jobs.map((j) => [j.messageId, j.teamId, j.channelId, j.changeType, j.source]),
    [
      ['1001', TEAM, CHANNEL, 'created', 'notification'],
      ['1002', TEAM, CHANNEL, 'created', 'notification'],
      ['1003', TEAM, CHANNEL, 'updated', 'notification'],
    ],
  );
  assert.equal(new Set(jobs.map((j) => j.deliveryId)).size, 3, 'each delivery has its own id');
  await waitFor(
    'the last notification time',
    async () => (await getSubscription(pool, 'sub-1'))?.lastNotificationAt,
  );
  assert.equal((await metrics.jobsQueued.get()).values[0]?.value, 3);
});

test('wrong clientState: discarded, counted, logged without payload or secret', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({ value: [notification('2001', { clientState: 'guessed-secret' }), notification('2002')] });
  assert.equal(res.status, 202);
  assert.deepEqual(
    (await queuedJobs()).map((j) => j.messageId),
    ['2002'],
  );
  assert.equal(await rejected('client-state'), 1);
  const log = logLines.join('');
  assert.match(log, /change notification discarded/);
  assert.ok(!log.includes('guessed-secret') && !log.includes(SECRET), 'no clientState in logs');
  assert.ok(!log.includes('2001'), 'no resource (payload) in logs');
});

test('unknown subscription: discarded and counted', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({ value: [notification('3001', { subscriptionId: 'sub-unknown' })] });
  assert.equal(res.status, 202);
  assert.equal((await queuedJobs()).length, 0);
  assert.equal(await rejected('unknown-subscription'), 1);
});

test('a resource outside the subscription channel and deletions are not queued', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({
      value: [
        notification('4001', {
          resource: `teams('${TEAM}')/channels('19:other@thread.tacv2')/messages('4001')`,
        }),
        notification('4002', { changeType: 'deleted' }),
      ],
    });
  assert.equal(res.status, 202);
  assert.equal((await queuedJobs()).length, 0);
  assert.equal(await rejected('unsupported-resource'), 1);
  assert.equal(await rejected('change-type'), 1);
});

test('malformed JSON gets 400 with the reason', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .set('content-type', 'application/json')
    .send('{"value": [ {"subscriptionId": ');
  assert.equal(res.status, 400);
  assert.match(res.body.error.message, /JSON|Unexpected/);
});

test('JSON that is not a notification collection gets 400 naming the problem', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({ value: [{ changeType: 'created' }] });
  assert.equal(res.status, 400);
  assert.match(res.body.error.message, /value\.0\.subscriptionId/);
  const res2 = await request(app).post('/graph/notifications').send({ hello: 'world' });
  assert.equal(res2.status, 400);
  assert.match(res2.body.error.message, /value/);
});

test('oversized bodies are refused with 413 before parsing', async () => {
  const big = { value: [notification('5001', { padding: 'x'.repeat(20_000) })] };
  const res = await request(app).post('/graph/notifications').send(big);
  assert.equal(res.status, 413);
  assert.equal((await queuedJobs()).length, 0);
});

test('rich notification: verified tokens, decrypted content carried in the job', async () => {
  const message = {
    id: '6001',
    body: { contentType: 'html', content: '<p>discount</p>' },
    from: { user: { id: 'u1' } },
  };
  const res = await request(app)
    .post('/graph/notifications')
    .send({
      value: [notification('6001', { encryptedContent: encryptLikeGraph(message, keys.publicKeyPem) })],
      validationTokens: [await issuer.sign({ iss: ISSUER, aud: APP_ID })],
    });
  assert.equal(res.status, 202);
  const [job] = await queuedJobs();
  assert.deepEqual(job?.message, message);
});

test('rich notification with a token for another app is discarded', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({
      value: [
        notification('7001', { encryptedContent: encryptLikeGraph({ id: '7001' }, keys.publicKeyPem) }),
      ],
      validationTokens: [await issuer.sign({ iss: ISSUER, aud: 'someone-else' })],
    });
  assert.equal(res.status, 202);
  assert.equal((await queuedJobs()).length, 0);
  assert.equal(await rejected('validation-token'), 1);
});

test('content that fails to decrypt falls back to fetching the message', async () => {
  const res = await request(app)
    .post('/graph/notifications')
    .send({
      value: [
        notification('8001', {
          encryptedContent: encryptLikeGraph({ id: '8001' }, encryptionKeyPair().publicKeyPem),
        }),
      ],
      validationTokens: [await issuer.sign({ iss: ISSUER, aud: APP_ID })],
    });
  assert.equal(res.status, 202);
  const [job] = await queuedJobs();
  assert.equal(job?.messageId, '8001');
  assert.equal(job?.message, undefined);
});
