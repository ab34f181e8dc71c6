import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/src/salesforce/index.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { SalesforceAuthError, requestSalesforceToken } from '../../src/salesforce/auth.ts';
import { SalesforceClient } from '../../src/salesforce/connection.ts';
import { LimitExceededError, PermanentError } from '../../src/salesforce/errors.ts';
import { TaskWriter, type TaskRecord } from '../../src/salesforce/task-writer.ts';
import { repoRoot } from '../helpers/stack.ts';

// The Salesforce adapter on its own against the Salesforce stand-in: both OAuth flows, limit tracking,
// and the batching Task writer.

let sf: SalesforceEmulator;
let whatId: string;
let ownerId: string;
const logger = createLogger('silent');

before(async () => {
  sf = await startSalesforceEmulator({ port: 0, projectDir: repoRoot });
  const opp = sf.control.query('SELECT Id, OwnerId FROM Opportunity LIMIT 1').records[0]!;
  whatId = String(opp.Id);
  ownerId = String(opp.OwnerId);
});
beforeEach(() => {
  sf.control.clearFaults();
  sf.control.setLimits({ used: 0, dailyApiRequests: 100_000 });
  sf.control.clearRequests();
});
after(async () => {
  await sf?.close();
});

function sfConfig(env: Record<string, string> = {}): Config['salesforce'] {
  return loadConfig({
    GRAPH_TENANT_ID: 't',
    GRAPH_CLIENT_ID: 'c',
    GRAPH_CLIENT_SECRET: 's',
    SF_LOGIN_URL: sf.loginUrl,
    SF_CLIENT_ID: sf.clientId,
    SF_USERNAME: sf.username,
    SF_PRIVATE_KEY: sf.privateKeyPem,
    SF_API_VERSION: sf.apiVersion,
    SF_LIMIT_BACKOFF_SECONDS: '60',
    ...env,
  }).salesforce;
}

const task = (key: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  Subject: `Subject ${key}`,
  Description: 'd',
  WhatId: whatId,
  OwnerId: ownerId,
  ActivityDate: '2026-12-01',
  Priority: 'Normal',
  Status: 'Not Started',
  Teams_Message_Id__c: key,
  ...over,
});
/** Task writes: sObject Collections creates (POST) and updates (PATCH); lookups go through /composite. */
const writeCalls = () => sf.control.requests().filter((r) => r.path.endsWith('/composite/sobjects'));
const lookupCalls = () => sf.control.requests().filter((r) => r.path.endsWith('/composite'));

test('JWT bearer and client credentials both give a session', async () => {
  const jwt = await requestSalesforceToken(sfConfig());
  assert.equal(jwt.instanceUrl, sf.instanceUrl);
  const cc = await requestSalesforceToken(
    sfConfig({ SF_AUTH_FLOW: 'client_credentials', SF_CLIENT_SECRET: sf.clientSecret }),
  );
  assert.ok(cc.accessToken);
});

test('token errors keep the OAuth error code for the operator', async () => {
  await assert.rejects(
    requestSalesforceToken(sfConfig({ SF_AUTH_FLOW: 'client_credentials', SF_CLIENT_SECRET: 'wrong' })),
    (err: unknown) => err instanceof SalesforceAuthError && err.error === 'invalid_client',
  );
  await assert.rejects(
    requestSalesforceToken(sfConfig({ SF_USERNAME: 'nobody@example.com' })),
    (err: unknown) => err instanceof SalesforceAuthError && err.error === 'invalid_grant',
  );
});

test('API usage is read from Sforce-Limit-Info after every call', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const client = new SalesforceClient(sfConfig(), logger, metrics);
  sf.control.setLimits({ used: 500, dailyApiRequests: 1000 });
  await client.query('SELECT Id FROM User');
  assert.equal(client.limits.limit, 1000);
  assert.ok(client.limits.used! >= 501);
  assert.equal(client.limits.criticalOnly, false);
  sf.control.setLimits({ used: 900 });
  await client.query('SELECT Id FROM User');
  assert.equal(client.limits.criticalOnly, true);
  const ratio = (await metrics.salesforceApiUsage.get()).values.find((v) => v.labels.kind === 'ratio');
  assert.ok(ratio && ratio.value > 0.8);
});

test('REQUEST_LIMIT_EXCEEDED pauses every call until the backoff has passed', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  sf.control.exhaustApiLimit();
  await assert.rejects(client.query('SELECT Id FROM User'), LimitExceededError);
  sf.control.clearRequests();
  sf.control.setLimits({ used: 0 });
  await assert.rejects(client.query('SELECT Id FROM User'), LimitExceededError, 'still paused');
  assert.equal(sf.control.requests().length, 0, 'no call made while paused');
  client.limits.resume();
  assert.equal((await client.query('SELECT Id FROM User LIMIT 1')).length, 1);
});

test('the writer creates fresh Tasks 200 per call, with no lookup and no upsert', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 50 }, logger);
  const results = await Promise.all(
    Array.from({ length: 450 }, (_, i) => writer.write(task(`batch-${i}`), { mayExist: false })),
  );
  assert.equal(results.length, 450);
  assert.ok(results.every((r) => r.created && r.id.startsWith('00T')));
  assert.deepEqual(
    writeCalls().map((r) => r.method),
    ['POST', 'POST', 'POST'],
  );
  assert.equal(lookupCalls().length, 0, 'a fresh claim needs no lookup');
  assert.ok(
    !sf.control.requests().some((r) => r.path.includes('/composite/sobjects/Task/')),
    'never an upsert',
  );
});

test('the integration user cannot upsert on the key (no View All Data): the writer never needs to', async () => {
  assert.ok(!sf.control.userPermissions(sf.username).includes('ViewAllData'));
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 20 }, logger);
  const first = await writer.write(task('crash-key', { Subject: 'before the crash' }), { mayExist: false });
  // The job crashed before marking the key written; its retry may exist in Salesforce: looked up and updated.
  const again = await writer.write(task('crash-key', { Subject: 'after the retry' }), { mayExist: true });
  assert.equal(again.id, first.id);
  assert.equal(again.created, false);
  const rows = sf.control.records('Task').filter((t) => t.Teams_Message_Id__c === 'crash-key');
  assert.deepEqual(
    rows.map((t) => t.Subject),
    ['after the retry'],
  );
  assert.equal(lookupCalls().length, 1, 'one lookup for the retried key');
});

test('a partial batch waits for the delay, then goes', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 150 }, logger);
  const started = Date.now();
  await Promise.all([writer.write(task('delay-1')), writer.write(task('delay-2'))]);
  assert.ok(Date.now() - started >= 140);
  assert.equal(writeCalls().length, 1);
});

test('upserting the same key again updates the Task; one key twice in a burst never shares a call', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 20 }, logger);
  const first = await writer.write(task('same-key', { Subject: 'v1' }));
  const [a, b] = await Promise.all([
    writer.write(task('same-key', { Subject: 'v2' })),
    writer.write(task('same-key', { Subject: 'v3' })),
  ]);
  assert.equal(first.created, true);
  assert.equal(a!.id, first.id);
  assert.equal(b!.id, first.id);
  assert.equal(a!.created || b!.created, false);
  const rows = sf.control.records('Task').filter((t) => t.Teams_Message_Id__c === 'same-key');
  assert.equal(rows.length, 1);
});

test('per-record failures reject only their own write, permanent ones as PermanentError', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 20 }, logger);
  const outcomes = await Promise.allSettled([
    writer.write(task('ok-1')),
    writer.write(task('bad-priority', { Priority: 'Whenever' })),
    writer.write(task('ok-2')),
  ]);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  const reason = (outcomes[1] as PromiseRejectedResult).reason as Error;
  assert.ok(reason instanceof PermanentError);
  assert.match(reason.message, /INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/);
  assert.equal(writeCalls().length, 1);
});

test('a failed call rejects every write in it (they are retried by their jobs)', async () => {
  const client = new SalesforceClient(sfConfig(), logger);
  const writer = new TaskWriter(client, { batchSize: 200, flushDelayMs: 20 }, logger);
  await client.query('SELECT Id FROM User LIMIT 1');
  sf.control.setFaults({ failNext: 1, errorStatus: 503 });
  const outcomes = await Promise.allSettled([writer.write(task('fail-1')), writer.write(task('fail-2'))]);
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['rejected', 'rejected'],
  );
  assert.ok(!((outcomes[0] as PromiseRejectedResult).reason instanceof PermanentError));
});
