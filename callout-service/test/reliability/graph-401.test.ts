import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { listDeadLetters } from '../../src/store/dead-letters.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  USERS,
  post,
  serviceConfig,
  start,
  startStandIns,
  subscribe,
  tasksFor,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

let stands: Stands;
let db: TestDatabase;
let service: RunningService;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  service = await start(serviceConfig(stands, db.url, { JOB_RETRY_LIMIT: '2' }));
  await subscribe(service);
  const id = post(stands, USERS.alex, 'warm-up discount');
  await waitFor('warm-up Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('Graph 401 on a cached token: the token is dropped, the call repeated once with a fresh one', async () => {
  const tokensBefore = stands.graph.control
    .requests({ area: 'entra' })
    .filter((r) => r.path.includes('/token')).length;
  // Graph stops honouring every token issued so far (what revoked consent or a server-side reset does).
  stands.graph.control.expireTokens();
  const id = post(stands, USERS.alex, 'discount after the token reset');
  await waitFor(
    'the Task without a stall',
    () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1,
    8000,
  );
  const tokensAfter = stands.graph.control
    .requests({ area: 'entra' })
    .filter((r) => r.path.includes('/token')).length;
  assert.ok(tokensAfter > tokensBefore, 'a new token was requested');
  assert.equal((await listDeadLetters(service.context.db.pool, { limit: 10 })).total, 0);
});

test('the call repeated after a 401 carries only the fresh token (one call succeeds on its own)', async () => {
  // No job retry to hide behind: the readiness probe makes one call and reports what it got.
  stands.graph.control.expireTokens();
  const since = new Date().toISOString();
  await service.context.graph.probe();
  const answers = stands.graph.control
    .requests({ pathContains: '/v1.0/subscriptions', since })
    .map((r) => r.status);
  assert.deepEqual(answers.slice(0, 2), [401, 200]);
});
