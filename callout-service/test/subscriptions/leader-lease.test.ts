import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createLogger } from '../../src/logger.ts';
import { LeaderLease } from '../../src/subscriptions/leader-lease.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
const logger = createLogger('silent');
const KEY = 4242;

before(async () => {
  db = await testDatabase();
});
after(async () => {
  await db.close();
});

test('two replicas on one database: exactly one is the leader, the other takes over when it stops', async () => {
  const a = new LeaderLease(db.url, logger, KEY);
  const b = new LeaderLease(db.url, logger, KEY);
  try {
    const [ra, rb] = await Promise.all([a.tryAcquire(), b.tryAcquire()]);
    assert.equal(Number(ra) + Number(rb), 1, 'exactly one replica wins');
    const [leader, follower] = ra ? [a, b] : [b, a];
    // Repeated beats keep the same leader and never give the follower the lock.
    for (let i = 0; i < 5; i++) {
      assert.equal(await leader.tryAcquire(), true);
      assert.equal(await follower.tryAcquire(), false);
    }
    await leader.release();
    assert.equal(leader.isLeader, false);
    assert.equal(await follower.tryAcquire(), true, 'the follower takes over after a clean stop');
    assert.equal(await leader.tryAcquire(), false);
  } finally {
    await a.release();
    await b.release();
  }
});

test('a leader whose connection is killed loses the lock; another replica wins it', async () => {
  const a = new LeaderLease(db.url, logger, KEY);
  const b = new LeaderLease(db.url, logger, KEY);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    assert.equal(await a.tryAcquire(), true);
    assert.equal(await b.tryAcquire(), false);
    // Kill the leader's backend as a network partition or a crashed process would.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
      [KEY],
    );
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await a.confirm(), false, 'the old leader notices and steps down');
    assert.equal(await b.tryAcquire(), true);
    assert.equal(await a.tryAcquire(), false);
  } finally {
    await admin.end();
    await a.release();
    await b.release();
  }
});
