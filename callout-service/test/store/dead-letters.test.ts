import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { createLogger } from '../../src/logger.ts';
import {
  getDeadLetter,
  listDeadLetters,
  recordDeadLetter,
  requeueDeadLetter,
} from '../../src/store/dead-letters.ts';
import { migrate } from '../../src/store/migrations.ts';
import { INBOUND_QUEUE, startQueue } from '../../src/store/queue.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;
let boss: PgBoss;

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url });
  await migrate(pool);
  boss = await startQueue(
    db.url,
    { retryLimit: 1, retryDelaySeconds: 1, expireSeconds: 60, maintenanceSeconds: 60 },
    createLogger('silent'),
  );
});
after(async () => {
  await boss?.stop({ graceful: false, timeout: 1000 });
  await pool?.end();
  await db?.close();
});

test('dead letters are listed newest first with their error, and requeued exactly once', async () => {
  const a = await recordDeadLetter(pool, {
    queue: INBOUND_QUEUE,
    jobId: null,
    payload: { deliveryId: 'd-a', messageId: 'm-a' },
    error: 'INVALID_CROSS_REFERENCE_KEY: bad owner',
    attempts: 1,
  });
  await new Promise((r) => setTimeout(r, 5));
  const b = await recordDeadLetter(pool, {
    queue: INBOUND_QUEUE,
    jobId: null,
    payload: { deliveryId: 'd-b', messageId: 'm-b' },
    error: 'timeout',
    attempts: 9,
  });
  const page = await listDeadLetters(pool, { limit: 10 });
  assert.equal(page.total, 2);
  assert.deepEqual(
    page.items.map((i) => i.id),
    [b, a],
  );
  assert.equal(page.items[1]?.error, 'INVALID_CROSS_REFERENCE_KEY: bad owner');
  assert.deepEqual(page.items[1]?.payload, { deliveryId: 'd-a', messageId: 'm-a' });

  const requeued = await requeueDeadLetter(pool, boss, a);
  assert.equal(requeued.requeued, true);
  assert.deepEqual(await requeueDeadLetter(pool, boss, a), { requeued: false, reason: 'already' });
  assert.deepEqual(await requeueDeadLetter(pool, boss, '00000000-0000-0000-0000-000000000000'), {
    requeued: false,
    reason: 'not-found',
  });
  assert.deepEqual(await requeueDeadLetter(pool, boss, 'not-a-uuid'), {
    requeued: false,
    reason: 'not-found',
  });

  const job = await boss.getJobById(INBOUND_QUEUE, (requeued as { jobId: string }).jobId);
  assert.deepEqual(job?.data, { deliveryId: 'd-a', messageId: 'm-a' }, 'same payload, same delivery id');
  assert.equal((await listDeadLetters(pool)).total, 1);
  assert.ok((await getDeadLetter(pool, a))?.requeuedAt);
  assert.equal(await getDeadLetter(pool, 'nope'), undefined);
});
