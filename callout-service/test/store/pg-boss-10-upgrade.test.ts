import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import PgBoss10 from 'pg-boss-10';
import { newInboundJob } from '../../src/inbound/job.ts';
import { createLogger } from '../../src/logger.ts';
import { legacySchema } from '../../src/store/pg-boss-10-upgrade.ts';
import { INBOUND_QUEUE, QUEUE_SCHEMA, startQueue } from '../../src/store/queue.ts';
import { LIFECYCLE_QUEUE } from '../../src/subscriptions/lifecycle-queue.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  DEAL_DESK,
  SALES_TEAM,
  USERS,
  post,
  serviceConfig,
  start,
  startStandIns,
  tasksFor,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// A database whose queue was written by pg-boss 10 (the previous major, installed here under an alias):
// the service's start upgrades it to the current pg-boss and the jobs still to do are carried over.

const QUEUE_OPTIONS = { retryLimit: 8, retryDelaySeconds: 1, expireSeconds: 60, maintenanceSeconds: 60 };
const silent = createLogger('silent');

let db: TestDatabase;
let stands: Stands;

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
});
after(async () => {
  await stands?.close();
  await db?.close();
});

/** Runs pg-boss 10 on a fresh database as the previous release of the service did, then stops it. */
async function withPgBoss10(url: string, fill: (boss: PgBoss10) => Promise<void>): Promise<void> {
  const boss = new PgBoss10({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await boss.createQueue(INBOUND_QUEUE, {
    name: INBOUND_QUEUE,
    retryLimit: 8,
    retryDelay: 5,
    retryBackoff: true,
  });
  await boss.createQueue(LIFECYCLE_QUEUE, { name: LIFECYCLE_QUEUE, retryLimit: 5, retryDelay: 5 });
  await fill(boss);
  await boss.stop({ graceful: false, wait: true, timeout: 1000 });
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const inbound = (messageId: string) =>
  newInboundJob({
    source: 'notification',
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    messageId,
    replyToId: null,
  });

test('jobs queued by pg-boss 10 are carried over with their state, and the old schema goes', async () => {
  const url = await db.another();
  const ids = {} as Record<'waiting' | 'later' | 'active' | 'retried' | 'done' | 'lifecycle', string>;
  await withPgBoss10(url, async (boss) => {
    ids.active = (await boss.send(INBOUND_QUEUE, inbound('m-active')))!;
    ids.retried = (await boss.send(INBOUND_QUEUE, inbound('m-retried')))!;
    ids.done = (await boss.send(INBOUND_QUEUE, inbound('m-done')))!;
    // m-active was taken by a replica that then stopped; one attempt of m-retried failed; m-done finished.
    assert.equal((await boss.fetch(INBOUND_QUEUE, { batchSize: 3 })).length, 3);
    await boss.fail(INBOUND_QUEUE, ids.retried);
    await boss.complete(INBOUND_QUEUE, ids.done);
    ids.waiting = (await boss.send(INBOUND_QUEUE, inbound('m-waiting')))!;
    ids.later = (await boss.send(INBOUND_QUEUE, inbound('m-later'), { startAfter: 3600 }))!;
    ids.lifecycle = (await boss.send(LIFECYCLE_QUEUE, { subscriptionId: 's1', lifecycleEvent: 'missed' }))!;
  });
  const [v10] = await query<{ version: number }>(url, `SELECT version FROM ${QUEUE_SCHEMA}.version`);
  assert.equal(v10?.version, 24, 'the fixture is a pg-boss 10 schema');

  const boss = await startQueue(url, QUEUE_OPTIONS, silent);
  try {
    assert.ok((await boss.schemaVersion())! > 24, 'pg-boss installed its current schema');
    const [old] = await query<{ n: string | null }>(url, 'SELECT to_regnamespace($1)::text AS n', [
      legacySchema(QUEUE_SCHEMA),
    ]);
    assert.equal(old?.n, null, 'the pg-boss 10 schema is dropped once its jobs are moved');

    const jobs = await boss.findJobs<{ messageId: string }>(INBOUND_QUEUE);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    assert.deepEqual(
      [...byId.keys()].sort(),
      [ids.waiting, ids.later, ids.active, ids.retried].sort(),
      'every job still to do, under its own id; the completed one is history',
    );
    assert.equal(byId.get(ids.retried)!.data.messageId, 'm-retried');
    assert.equal(byId.get(ids.retried)!.retryLimit, 7, 'the attempt already spent still counts');
    assert.equal(byId.get(ids.active)!.state, 'created', 'the job a stopped replica held is to do again');
    assert.equal(byId.get(ids.active)!.retryLimit, 7, 'its lost attempt counts as a failed one');
    assert.equal(byId.get(ids.waiting)!.retryLimit, 8);
    assert.ok(byId.get(ids.later)!.startAfter.getTime() > Date.now() + 3000 * 1000, 'still due in an hour');
    const lifecycle = await boss.findJobs(LIFECYCLE_QUEUE);
    assert.deepEqual(
      lifecycle.map((j) => j.id),
      [ids.lifecycle],
    );
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }

  // A second start finds nothing left to move.
  const again = await startQueue(url, QUEUE_OPTIONS, silent);
  try {
    assert.equal((await again.findJobs(INBOUND_QUEUE)).length, 4);
  } finally {
    await again.stop({ graceful: false, timeout: 1000 });
  }
});

test('replicas starting together on a pg-boss 10 database move each job once', async () => {
  const url = await db.another();
  await withPgBoss10(url, async (boss) => {
    for (let i = 0; i < 300; i++) await boss.send(INBOUND_QUEUE, inbound(`m${i}`));
  });
  const started = await Promise.allSettled([
    startQueue(url, QUEUE_OPTIONS, silent),
    startQueue(url, QUEUE_OPTIONS, silent),
  ]);
  const bosses = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [row] = await query<{ n: number; distinct_messages: number }>(
      url,
      `SELECT count(*)::int AS n, count(DISTINCT data->>'messageId')::int AS distinct_messages
       FROM ${QUEUE_SCHEMA}.job WHERE name = $1`,
      [INBOUND_QUEUE],
    );
    assert.deepEqual(row, { n: 300, distinct_messages: 300 });
  } finally {
    await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, timeout: 1000 })));
  }
});

test('the upgraded service processes the jobs pg-boss 10 had queued: messages become Tasks', async () => {
  const url = await db.another();
  const first = post(stands, USERS.alex, 'Is a discount possible on the renewal?');
  const second = post(stands, USERS.megan, 'Globex is pitching them a redline');
  await withPgBoss10(url, async (boss) => {
    await boss.send(INBOUND_QUEUE, inbound(first));
    await boss.send(INBOUND_QUEUE, inbound(second));
  });
  const service = await start(serviceConfig(stands, url));
  try {
    await waitFor('Tasks for both queued messages', () => {
      return (
        tasksFor(stands, first).Deal_Desk_Keywords!.length === 1 &&
        tasksFor(stands, second).Competitor_Mentions!.length === 1
      );
    });
  } finally {
    await service.close();
  }
});
