import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PgBoss } from 'pg-boss';
import { createLogger } from '../../src/logger.ts';
import { startQueue } from '../../src/store/queue.ts';
import { ensureLifecycleQueue } from '../../src/subscriptions/lifecycle-queue.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
before(async () => {
  db = await testDatabase();
});
after(async () => {
  await db?.close();
});

const options = { retryLimit: 2, retryDelaySeconds: 1, expireSeconds: 60, maintenanceSeconds: 60 };

test('replicas starting together on a fresh database all start (no deadlock creating the queues)', async () => {
  // Found by the chaos run: "deadlock detected" from createQueue killed one replica's start.
  for (let round = 0; round < 3; round++) {
    const url = await db.another();
    const started = await Promise.allSettled(
      Array.from({ length: 4 }, async () => {
        const boss = await startQueue(url, options, createLogger('silent'));
        await ensureLifecycleQueue(boss);
        return boss;
      }),
    );
    const bosses = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    await Promise.all(bosses.map((b: PgBoss) => b.stop({ graceful: false, timeout: 1000 })));
    assert.deepEqual(
      started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason)),
      [],
      `round ${round}`,
    );
  }
});
