import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningService } from '../../src/main.ts';
import { listDeadLetters } from '../../src/store/dead-letters.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  USERS,
  counter,
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
  // The production backoff (15 minutes), probed every second.
  service = await start(
    serviceConfig(stands, db.url, { SF_LIMIT_BACKOFF_SECONDS: '900', SF_LIMIT_PROBE_SECONDS: '1' }),
  );
  await subscribe(service);
  const id = post(stands, USERS.alex, 'warm-up discount');
  await waitFor('warm-up Task', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1);
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('a limit pause ends as soon as Salesforce accepts calls again, not after the fixed backoff', async () => {
  const limitBefore = await counter(service.context.metrics.jobsFailed, { reason: 'limit' });
  stands.sf.control.exhaustApiLimit();
  const id = post(stands, USERS.alex, 'discount while exhausted');
  await waitFor(
    'the limit to be hit',
    async () => (await counter(service.context.metrics.jobsFailed, { reason: 'limit' })) > limitBefore,
  );
  assert.ok(service.context.salesforce.limits.isPaused());
  assert.ok(service.context.salesforce.limits.pausedUntil > Date.now() + 800_000, 'a 900 s pause at most');

  const restoredAt = Date.now();
  stands.sf.control.setLimits({ used: 0 });
  await waitFor('the Task soon after', () => tasksFor(stands, id).Deal_Desk_Keywords!.length === 1, 10_000);
  assert.ok(Date.now() - restoredAt < 10_000);
  assert.equal(service.context.salesforce.limits.isPaused(), false);
  assert.equal((await listDeadLetters(service.context.db.pool)).total, 0);
});
