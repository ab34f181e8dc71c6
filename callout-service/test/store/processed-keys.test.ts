import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { migrate } from '../../src/store/migrations.ts';
import { claimKeys, markWritten, pruneProcessedKeys, type KeyClaim } from '../../src/store/processed-keys.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url });
  assert.ok((await migrate(pool)).includes(1), 'the state tables are created');
  assert.deepEqual(await migrate(pool), [], 'migrations apply once');
});
after(async () => {
  await pool?.end();
  await db?.close();
});

const claim = (key: string, rule = 'R'): KeyClaim => ({
  key,
  teamId: 't',
  channelId: 'c',
  messageId: key,
  rule,
});

test('the first delivery claims; another delivery is held off; the same delivery takes its claim back', async () => {
  const first = await claimKeys(pool, [claim('k1'), claim('k2')], 'd1', 600);
  assert.deepEqual([...first.values()], ['claimed', 'claimed']);
  const other = await claimKeys(pool, [claim('k1')], 'd2', 600);
  assert.equal(other.get('k1'), 'held-elsewhere');
  const retry = await claimKeys(pool, [claim('k1')], 'd1', 600);
  assert.equal(
    retry.get('k1'),
    'reclaimed',
    'an earlier attempt may have written it: the writer looks it up',
  );
});

test('a written key is never claimed again, by anyone', async () => {
  await claimKeys(pool, [claim('w1')], 'd1', 600);
  await markWritten(pool, [{ key: 'w1', taskId: '00T1' }]);
  assert.equal((await claimKeys(pool, [claim('w1')], 'd1', 600)).get('w1'), 'written');
  assert.equal((await claimKeys(pool, [claim('w1')], 'd9', 0)).get('w1'), 'written');
});

test('a stale claim of a vanished delivery can be taken over after its lease', async () => {
  await claimKeys(pool, [claim('s1')], 'd1', 600);
  await pool.query(`UPDATE processed_keys SET claimed_at = now() - interval '20 minutes' WHERE key = 's1'`);
  assert.equal((await claimKeys(pool, [claim('s1')], 'd2', 600)).get('s1'), 'reclaimed');
  assert.equal((await claimKeys(pool, [claim('s1')], 'd1', 600)).get('s1'), 'held-elsewhere');
});

test('concurrent claims of one key by many deliveries: exactly one wins', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => claimKeys(pool, [claim('race')], `d${i}`, 600)),
  );
  assert.equal(results.filter((r) => ['claimed', 'reclaimed'].includes(r.get('race')!)).length, 1);
});

test('the key is the only unique index, so ON CONFLICT (key) arbitrates every duplicate', async () => {
  // The key is taskKey(team, channel, message, rule): unique keys are unique (message, rule) pairs.
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'processed_keys'::regclass AND i.indisunique`,
  );
  assert.deepEqual(
    rows.map((r) => r.name),
    ['processed_keys_pkey'],
  );
});

test('old written keys are pruned; pending ones and recent ones stay', async () => {
  await claimKeys(pool, [claim('old-w'), claim('old-p'), claim('new-w')], 'dp', 600);
  await markWritten(pool, [
    { key: 'old-w', taskId: '00T' },
    { key: 'new-w', taskId: '00T' },
  ]);
  await pool.query(
    `UPDATE processed_keys SET written_at = now() - interval '40 days', claimed_at = now() - interval '40 days' WHERE key IN ('old-w', 'old-p')`,
  );
  assert.equal(await pruneProcessedKeys(pool, 30), 1);
  const { rows } = await pool.query<{ key: string }>(
    `SELECT key FROM processed_keys WHERE key IN ('old-w', 'old-p', 'new-w') ORDER BY key`,
  );
  assert.deepEqual(
    rows.map((r) => r.key),
    ['new-w', 'old-p'],
  );
});

test('deliveries racing for the same keys: exactly one claims, none fails with 23505', async () => {
  const racers = new pg.Pool({ connectionString: db.url, max: 12 });
  try {
    for (let round = 0; round < 15; round++) {
      const keys = [claim(`race-${round}-a`, 'Deal'), claim(`race-${round}-b`, 'Competitor')];
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => claimKeys(racers, keys, `racer-${round}-${i}`, 600)),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      assert.deepEqual(
        failed.map((f) => (f as PromiseRejectedResult).reason?.code),
        [],
        `round ${round}: a racing claim failed`,
      );
      for (const k of keys) {
        const winners = results.filter(
          (r) => r.status === 'fulfilled' && r.value.get(k.key) === 'claimed',
        ).length;
        assert.equal(winners, 1, `round ${round}: one claim of ${k.key}`);
      }
    }
  } finally {
    await racers.end();
  }
});
