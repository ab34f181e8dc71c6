/** The posting limiter two replicas share: windows, the longest window, Retry-After pauses. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { PostLimiter } from '../../src/outbound/post-limiter.ts';
import { migrate } from '../../src/store/migrations.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  await migrate(pool);
});
after(async () => {
  await pool?.end();
  await db?.close();
});

const thread = (key: string) => ({
  key,
  windows: [
    { limit: 7, windowMs: 1000 },
    { limit: 8, windowMs: 2000 },
  ],
});

test('two replicas together get 7 posts a second in a thread, then a wait', async () => {
  const a = new PostLimiter(pool);
  const b = new PostLimiter(pool);
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire([thread('thread:t1')])),
  );
  assert.equal(results.filter((r) => r.ok).length, 7);
  const waits = results.filter((r) => !r.ok).map((r) => (r as { waitMs: number }).waitMs);
  assert.ok(
    waits.every((w) => w > 0 && w <= 1100),
    `waits ${waits.join(', ')}`,
  );
});

test('the second window holds after the first has room again', async () => {
  const limiter = new PostLimiter(pool, 1);
  for (let i = 0; i < 7; i++) assert.ok((await limiter.acquire([thread('thread:t2')])).ok);
  await new Promise((r) => setTimeout(r, 1050));
  assert.ok((await limiter.acquire([thread('thread:t2')])).ok, 'the 8th in 2 s');
  const ninth = await limiter.acquire([thread('thread:t2')]);
  assert.equal(ninth.ok, false, '8 per 2 s');
});

test('a Retry-After pause stops every replica for that scope only', async () => {
  const limiter = new PostLimiter(pool);
  await limiter.pause('thread:t3', 2);
  const paused = await new PostLimiter(pool).acquire([thread('thread:t3')]);
  assert.equal(paused.ok, false);
  assert.ok((paused as { waitMs: number }).waitMs > 1000);
  assert.ok((await limiter.acquire([thread('thread:t4')])).ok);
});
