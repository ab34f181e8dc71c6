import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listDeadLetters } from '../../src/store/dead-letters.ts';
import type { RunningService } from '../../src/main.ts';
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

// Microsoft's Teams service limits, as the Graph stand-in enforces them by default: 4 requests a second per
// app on one channel, 20 single channel-message reads a second per app. A burst in one channel goes over
// them; the 429s are retried after Retry-After and every message still becomes its Task, once.

let stands: Stands;
let db: TestDatabase;
let service: RunningService;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  service = await start(serviceConfig(stands, db.url));
  await subscribe(service);
});
after(async () => {
  await service?.close();
  await stands?.close();
  await db?.close();
});

test('a burst in one channel over Graph read limits: throttled reads retried, every Task once, no dead letter', async () => {
  const since = new Date().toISOString();
  const ids = Array.from({ length: 12 }, (_, i) => post(stands, USERS.alex, `discount request ${i}`));
  await waitFor(
    '12 Tasks',
    () => ids.every((id) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!.length >= 1),
    30_000,
  );
  const reads = stands.graph.control.requests({ method: 'GET', pathContains: '/messages/', since });
  const throttled = reads.filter((r) => r.status === 429).length;
  assert.ok(
    throttled > 0,
    `the stand-in held the burst to Graph's limits (${reads.length} reads, none throttled)`,
  );
  for (const id of ids)
    assert.equal(tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!.length, 1);
  assert.equal((await listDeadLetters(service.context.db.pool)).items.length, 0);
});
