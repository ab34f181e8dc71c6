import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { listDeadLetters, requeueDeadLetter } from '../../src/store/dead-letters.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  USERS,
  counter,
  post,
  serviceConfig,
  sleep,
  start,
  startStandIns,
  subscribe,
  tasksFor,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// Salesforce and Graph misbehaving: failed calls, spent API allocation, expired sessions, throttling.

let stands: Stands;
let db: TestDatabase;
let service: RunningService;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  service = await start(serviceConfig(stands, db.url, { JOB_RETRY_LIMIT: '2' }));
  await subscribe(service);
  // Warm the caches (rules, link, Alex's mapping) so each test sees only its own failure.
  const id = post(stands, USERS.alex, 'warm-up discount');
  await waitFor('warm-up Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
});
beforeEach(() => {
  stands.sf.control.clearFaults();
  stands.graph.control.clearFaults();
  stands.sf.control.setLimits({ used: 0 });
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

const metric = (name: 'jobsFailed' | 'jobsDone' | 'jobsDead', labels: Record<string, string> = {}) =>
  counter(service.context.metrics[name], labels);
const deal = (id: string) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!;

test('a failed Salesforce call is retried and gives exactly one Task', async () => {
  const retriesBefore = await metric('jobsFailed', { reason: 'retry' });
  stands.sf.control.setFaults({ failNext: 1, errorStatus: 503 });
  const id = post(stands, USERS.alex, 'discount please (retry)');
  await waitFor('a Task after the retry', () => deal(id).length === 1);
  assert.ok((await metric('jobsFailed', { reason: 'retry' })) > retriesBefore, 'the first attempt failed');
  await sleep(500);
  assert.equal(deal(id).length, 1);
});

test('REQUEST_LIMIT_EXCEEDED: writes stop, nothing is lost, Tasks flow again after the pause', async () => {
  const limitBefore = await metric('jobsFailed', { reason: 'limit' });
  stands.sf.control.exhaustApiLimit();
  const ids = [
    post(stands, USERS.alex, 'discount A (limit)'),
    post(stands, USERS.alex, 'discount B (limit)'),
  ];
  await waitFor(
    'the limit to be hit',
    async () => (await metric('jobsFailed', { reason: 'limit' })) > limitBefore,
  );
  assert.ok(service.context.salesforce.limits.isPaused(), 'writes paused');
  // While paused the worker makes no Salesforce calls at all.
  stands.sf.control.clearRequests();
  await sleep(800);
  assert.equal(stands.sf.control.requests().filter((r) => r.apiCall).length, 0);
  assert.ok(ids.every((id) => deal(id).length === 0));

  stands.sf.control.setLimits({ used: 0 }); // the next day's allocation
  await waitFor('both Tasks after the pause', () => ids.every((id) => deal(id).length === 1), 15_000);
  assert.equal(
    (await listDeadLetters(service.context.db.pool)).total,
    0,
    'no attempt was spent on the limit',
  );
});

test('INVALID_SESSION_ID: the session is renewed and the call repeated', async () => {
  stands.sf.control.expireSessions();
  stands.sf.control.clearRequests();
  const id = post(stands, USERS.alex, 'discount after the session expired');
  await waitFor('a Task', () => deal(id).length === 1);
  const requests = stands.sf.control.requests();
  assert.ok(
    requests.some((r) => r.status === 401),
    'the old session was refused',
  );
  assert.ok(
    requests.some((r) => r.path.includes('/services/oauth2/token') && r.status === 200),
    'new token',
  );
  assert.equal(deal(id).length, 1);
});

test('Graph 429 with Retry-After: the client waits as told and the message still arrives', async () => {
  stands.graph.control.setFaults({
    failNext: 1,
    errorStatus: 429,
    retryAfterSeconds: 1,
    target: 'graph',
    pathContains: '/messages/',
  });
  const id = post(stands, USERS.alex, 'MSA for Graph throttling');
  await waitFor('a Task', () => deal(id).length === 1);
  const gets = stands.graph.control.requests({ pathContains: `/messages/${id}`, method: 'GET' });
  assert.equal(gets.length, 2, 'one throttled GET, one retry');
  assert.equal(gets[0]!.status, 429);
  const waited = Date.parse(gets[1]!.at) - Date.parse(gets[0]!.at);
  assert.ok(waited >= 900, `retried after ${waited} ms, Retry-After was 1 s`);
});

test('a job that keeps failing becomes a dead letter; requeued, it gives exactly one Task', async () => {
  const deadBefore = await metric('jobsDead');
  stands.sf.control.setFaults({ errorRate: 1, errorStatus: 500 });
  const id = post(stands, USERS.alex, 'redline that will fail');
  await waitFor('a dead letter', async () => (await metric('jobsDead')) > deadBefore, 20_000);
  stands.sf.control.clearFaults();
  const { items } = await listDeadLetters(service.context.db.pool);
  const letter = items.find((i) => (i.payload as { messageId?: string }).messageId === id);
  assert.ok(letter, 'the dead letter holds the job payload');
  assert.equal(letter.attempts, 3, 'first attempt and two retries');
  assert.match(letter.error, /UNKNOWN_EXCEPTION|unexpected error/);
  assert.equal(deal(id).length, 0);

  const requeued = await requeueDeadLetter(service.context.db.pool, service.context.boss, letter.id);
  assert.equal(requeued.requeued, true);
  service.context.inboundWorker?.notify();
  await waitFor('the Task after the requeue', () => deal(id).length === 1);
  await sleep(300);
  assert.equal(deal(id).length, 1);
});

test('one bad record fails alone: the other Tasks of the batch are written', async () => {
  // Megan is mapped to a Salesforce user who has been deactivated: her Task is refused
  // (INACTIVE_OWNER_OR_USER, a permanent error, dead-lettered at once); Alex's Task in the same call is written.
  const inactive = stands.sf.control.query('SELECT Id FROM User WHERE IsActive = false').records[0]!;
  stands.sf.control.seed('Teams_User_Mapping__c', {
    Name: 'Megan Bowen',
    Entra_Object_Id__c: USERS.megan,
    User__c: inactive.Id,
    Status__c: 'Manual',
  });
  const deadBefore = await metric('jobsDead');
  const permanentBefore = await metric('jobsFailed', { reason: 'permanent' });
  stands.sf.control.clearRequests();
  const bad = post(stands, USERS.megan, 'procurement wants a discount');
  const good = post(stands, USERS.alex, 'procurement is fine with the discount');
  await waitFor('the good Task', () => deal(good).length === 1);
  await waitFor('the bad one dead-lettered', async () => (await metric('jobsDead')) > deadBefore);
  assert.equal(deal(bad).length, 0);
  assert.equal(await metric('jobsFailed', { reason: 'permanent' }), permanentBefore + 1, 'not retried');
  const upserts = stands.sf.control.requests().filter((r) => r.path.endsWith('/composite/sobjects'));
  assert.equal(upserts.length, 1, 'both Tasks went in one call');
  const { items } = await listDeadLetters(service.context.db.pool);
  assert.match(items[0]!.error, /INACTIVE_OWNER_OR_USER/);
  assert.equal(items[0]!.attempts, 1);
});
