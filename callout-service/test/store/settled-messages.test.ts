import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { migrate } from '../../src/store/migrations.ts';
import { isSettled, markSettled, pruneSettledMessages } from '../../src/store/settled-messages.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

let db: TestDatabase;
let pool: pg.Pool;

before(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url });
  await migrate(pool);
});
after(async () => {
  await pool?.end();
  await db?.close();
});

const message = (messageId: string, channelId = 'c') => ({ teamId: 't', channelId, messageId });

test('a message is settled once marked, twice is no error, and only that message in that channel', async () => {
  assert.equal(await isSettled(pool, message('m1')), false);
  await markSettled(pool, message('m1'));
  await markSettled(pool, message('m1'));
  assert.equal(await isSettled(pool, message('m1')), true);
  assert.equal(await isSettled(pool, message('m1', 'other-channel')), false);
  assert.equal(await isSettled(pool, message('m2')), false);
});

test('messages settled longer ago than the retention are forgotten, recent ones stay', async () => {
  await markSettled(pool, message('old'));
  await markSettled(pool, message('new'));
  await pool.query(
    `UPDATE settled_messages SET settled_at = now() - interval '40 days' WHERE message_id = 'old'`,
  );
  assert.equal(await pruneSettledMessages(pool, 30), 1);
  assert.equal(await isSettled(pool, message('old')), false);
  assert.equal(await isSettled(pool, message('new')), true);
});
