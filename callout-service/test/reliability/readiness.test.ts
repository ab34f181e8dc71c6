import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { serviceConfig, start, startStandIns, type Stands } from '../helpers/stack.ts';

let db: TestDatabase;
let stands: Stands;
let service: RunningService;

before(async () => {
  db = await testDatabase();
  stands = await startStandIns();
  // No reuse of a probe result between the steps below; a successful call stands for 30 s as usual.
  service = await start(serviceConfig(stands, db.url, { READINESS_CACHE_SECONDS: '0' }));
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});
beforeEach(() => {
  stands.graph.control.clearFaults();
  stands.sf.control.clearFaults();
});

const readyz = async () =>
  (await request(service.url).get('/readyz')).body as Record<string, unknown> & {
    ready: boolean;
    down: string[];
  };
const noAddress = (body: unknown) => {
  const text = JSON.stringify(body);
  for (const where of [stands.graph.baseUrl, stands.sf.loginUrl, new URL(stands.graph.baseUrl).host])
    assert.equal(text.includes(where), false, `the answer names ${where}: ${text}`);
  assert.doesNotMatch(text, /127\.0\.0\.1|localhost/);
};

test('ready while every dependency answers', async () => {
  const r = await readyz();
  assert.equal(r.ready, true, JSON.stringify(r));
  assert.deepEqual(r.down, []);
});

test('Graph answering 503 makes the replica unready, naming Graph (the cached token does not hide it)', async () => {
  assert.equal((await readyz()).ready, true);
  stands.graph.control.setFaults({ errorRate: 1, errorStatus: 503, target: 'graph' });
  const r = await readyz();
  assert.equal(r.ready, false);
  assert.deepEqual(r.down, ['graph']);
  noAddress(r);
  stands.graph.control.clearFaults();
  assert.equal((await readyz()).ready, true);
});

test('Entra ID answering 503 makes the replica unready, naming Entra', async () => {
  stands.graph.control.setFaults({ errorRate: 1, errorStatus: 503, target: 'entra' });
  const r = await readyz();
  assert.equal(r.ready, false);
  assert.deepEqual(r.down, ['entra']);
  noAddress(r);
});

test('Salesforce failing every call makes the replica unready, naming Salesforce, and ready again after', async () => {
  assert.equal((await readyz()).ready, true, 'a session exists');
  stands.sf.control.setFaults({ errorRate: 1, errorStatus: 503 });
  // A real call fails (as the worker's would), and the probe itself fails too.
  await assert.rejects(service.context.salesforce.query('SELECT Id FROM User LIMIT 1'));
  const r = await readyz();
  assert.equal(r.ready, false, JSON.stringify(r));
  assert.deepEqual(r.down, ['salesforce']);
  noAddress(r);
  stands.sf.control.clearFaults();
  assert.equal((await readyz()).ready, true);
});

test('a spent API allocation is not an outage: Salesforce answers, work waits for the limit pause', async () => {
  stands.sf.control.exhaustApiLimit();
  await assert.rejects(service.context.salesforce.query('SELECT Id FROM User LIMIT 1'));
  const r = await readyz();
  assert.equal(r.ready, true, JSON.stringify(r));
  stands.sf.control.setLimits({ used: 0 });
  service.context.salesforce.limits.resume();
});

test('an unreachable PostgreSQL is named without its address', async () => {
  // The probe itself, pointed at a closed port: the error text must not carry the address.
  const { describeFailure } = await import('../../src/ops/health.ts');
  const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
  assert.equal(describeFailure(err), 'connect ECONNREFUSED <address>');
  assert.equal(
    describeFailure(new Error('request to https://graph.example:8443/v1.0/x failed')),
    'request to <url> failed',
  );
});
