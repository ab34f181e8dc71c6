import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import type { RunningService } from '../../src/main.ts';
import { INBOUND_QUEUE } from '../../src/store/queue.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import {
  USERS,
  counter,
  post,
  serviceConfig,
  serviceEnv,
  sleep,
  start,
  startStandIns,
  subscribe,
  tasksFor,
  waitFor,
  type Stands,
} from '../helpers/stack.ts';

// Several service processes on one database: a crash between the Salesforce write and the job's completion,
// two workers sharing the queue, and a graceful stop with work in flight.

const ENV = { JOB_EXPIRE_SECONDS: '5', QUEUE_MAINTENANCE_SECONDS: '1', WORKER_POLL_MS: '200' };

let stands: Stands;
let db: TestDatabase;
let webhook: RunningService; // receives the notifications, runs no worker
const running: RunningService[] = [];

before(async () => {
  [stands, db] = await Promise.all([startStandIns(), testDatabase()]);
  webhook = await start(serviceConfig(stands, db.url, { ...ENV, WORKER_ENABLED: 'false' }));
  await subscribe(webhook);
});
after(async () => {
  for (const s of running) await s.close().catch(() => {});
  await webhook?.close();
  await stands?.close();
  await db?.close();
});

const deal = (id: string) => tasksFor(stands, id, ['Deal_Desk_Keywords']).Deal_Desk_Keywords!;
const keyState = async (messageId: string) =>
  (
    await webhook.context.db.pool.query<{ state: string }>(
      `SELECT state FROM processed_keys WHERE message_id = $1 AND rule = 'Deal_Desk_Keywords'`,
      [messageId],
    )
  ).rows[0]?.state;

test('worker killed between the Salesforce write and the job completion: one Task after restart', async () => {
  const fixture = fileURLToPath(new URL('../fixtures/crash-after-task-write.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...serviceEnv(stands, db.url, ENV) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += String(chunk)));
  const exited = once(child, 'exit');
  await waitFor('the worker process', () => out.includes('READY'), 30_000);

  stands.sf.control.clearRequests();
  const id = post(stands, USERS.alex, 'discount approved? (crash test)');
  const [, signal] = (await exited) as [number | null, string | null];
  assert.equal(signal, 'SIGKILL');
  assert.match(out, /WROTE tb1_/);
  assert.equal(deal(id).length, 1, 'Salesforce has the Task');
  assert.equal(await keyState(id), 'pending', 'PostgreSQL never learnt it was written');

  // A new worker on the same database: the job comes back after its expiry and is finished.
  const restarted = await start(serviceConfig(stands, db.url, ENV));
  running.push(restarted);
  await waitFor('the key to be written', async () => (await keyState(id)) === 'written', 20_000);
  assert.equal(deal(id).length, 1, 'still exactly one Task');
  const upserts = stands.sf.control.requests().filter((r) => r.path.endsWith('/composite/sobjects'));
  // Written again after the restart (more than twice only if a loaded machine let an attempt expire too):
  // the retried write looks the key up and updates the same Task.
  assert.ok(upserts.length >= 2, `${upserts.length} upsert calls`);
  // Completions are written in small batches just after the key: wait for the job to be marked done.
  const jobStates = async () =>
    (
      await restarted.context.db.pool.query<{ state: string }>(
        `SELECT state FROM pgboss.job WHERE name = $1 AND data->>'messageId' = $2`,
        [INBOUND_QUEUE, id],
      )
    ).rows.map((r) => r.state);
  await waitFor('the job to complete', async () => (await jobStates()).join() === 'completed');
});

test('two workers on one database share the work: every message once, duplicates included', async () => {
  // Two fresh workers with the same small concurrency, both running before anything is queued, and every
  // Salesforce call slowed to 250 ms: a job then takes at least that long, so one worker holding 2 jobs at a
  // time needs several seconds for the 30 messages alone while the other polls every 200 ms. (A worker
  // left from the test above, with 400 slots, could take every job in one fetch on a loaded machine.)
  for (const s of running.splice(0)) await s.close();
  const workerEnv = { ...ENV, WORKER_CONCURRENCY: '2' };
  const workers = [await start(serviceConfig(stands, db.url, workerEnv))];
  workers.push(await start(serviceConfig(stands, db.url, workerEnv)));
  running.push(...workers);
  const second = workers[1]!;
  const done = (labels: Record<string, string> = {}) =>
    Promise.all(workers.map((s) => counter(s.context.metrics.jobsDone, labels)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  stands.sf.control.setFaults({ latencyMs: 250 });
  try {
    const ids = Array.from({ length: 30 }, (_, i) => post(stands, USERS.alex, `MSA redline ${i}`));
    await stands.graph.control.idle();
    // Every delivered notification is also sent to the second replica's webhook: each message is queued twice.
    const bodies = stands.graph.control
      .deliveries({ kind: 'change', outcome: 'delivered' })
      .map((d) => d.body!)
      .filter((b) => ids.some((id) => JSON.stringify(b).includes(id)));
    for (const body of bodies) {
      const res = await request(second.url).post('/graph/notifications').send(body);
      assert.equal(res.status, 202);
    }
    await waitFor('30 Tasks', () => ids.every((id) => deal(id).length >= 1), 60_000);
    await waitFor('every job done', async () => sum(await done()) >= 60, 60_000);
    await sleep(300);
    assert.ok(
      ids.every((id) => deal(id).length === 1),
      'exactly one Task per message',
    );
    // Each message wrote its Task in exactly one job; its other job (and any retry) found the key written.
    assert.equal(sum(await done({ outcome: 'tasks' })), 30, 'Tasks written by 30 jobs, not more');
    const share = await done();
    assert.ok(
      share.every((n) => n > 0),
      `both workers took jobs: ${share.join(' / ')}`,
    );
  } finally {
    stands.sf.control.clearFaults();
  }
});

test('graceful stop: a job waiting for its batch is finished, not dropped', async () => {
  for (const s of running.splice(0)) await s.close();
  const slow = await start(serviceConfig(stands, db.url, { ...ENV, TASK_FLUSH_DELAY_MS: '20000' }));
  const id = post(stands, USERS.alex, 'legal review before close');
  await waitFor(
    'the job in flight',
    () => (slow.context.inboundWorker?.activeJobs ?? 0) > 0 && slow.context.taskWriter.pendingCount > 0,
  );
  const started = Date.now();
  await slow.close();
  assert.ok(Date.now() - started < 5000, 'did not wait for the 20 s batching delay');
  assert.equal(deal(id).length, 1);
  assert.equal(await keyState(id), 'written');
});
