import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { JobInserter, newInboundJob } from '../../src/inbound/job.ts';
import { createLogger } from '../../src/logger.ts';
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

const job = (i: number) =>
  newInboundJob({ source: 'notification', teamId: 't', channelId: 'c', messageId: `m${i}`, replyToId: null });

test('concurrent requests share inserts, and each resolves once its jobs are stored', async () => {
  let statements = 0;
  const inserter = new JobInserter(boss, undefined, {
    executeSql: async (text: string, values: unknown[]) => {
      statements += 1;
      return await pool.query(text, values);
    },
  });
  await Promise.all(Array.from({ length: 100 }, (_, i) => inserter.enqueue([job(i), job(1000 + i)])));
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1`, [
    INBOUND_QUEUE,
  ]);
  assert.equal(Number(rows[0]!.n), 200);
  assert.ok(statements < 100, `${statements} inserts for 100 requests`);
  assert.ok(statements >= 1);
});

test('a failed insert rejects the requests in it, and the next ones still go through', async () => {
  let fail = true;
  const inserter = new JobInserter(boss, undefined, {
    executeSql: async (text: string, values: unknown[]) => {
      if (fail) {
        fail = false;
        throw new Error('connection lost');
      }
      return await pool.query(text, values);
    },
  });
  await assert.rejects(inserter.enqueue([job(5000)]), /connection lost/);
  await inserter.enqueue([job(5001)]);
  const { rows } = await pool.query(
    `SELECT data->>'messageId' AS id FROM pgboss.job WHERE data->>'messageId' IN ('m5000', 'm5001')`,
  );
  assert.deepEqual(
    rows.map((r: { id: string }) => r.id),
    ['m5001'],
  );
});
