import pg from 'pg';
import type { PgBoss, QueuePolicy } from 'pg-boss';
import type { Logger } from '../logger.ts';

/**
 * Upgrade of a queue schema written by pg-boss 10 (schema version 24). pg-boss 11 and later have no
 * migration from it (their oldest starting version is 25: "Cannot migrate pg-boss schema from version 24");
 * the maintainer's advice is to move the waiting jobs into a fresh schema. So, at start:
 *   1. `setAside`: a pg-boss 10 schema under the service's schema name is renamed to `<schema>_v10`,
 *      leaving the name free for pg-boss to install its current schema;
 *   2. `carryOver`: once pg-boss has started, its queues are created with their pg-boss 10 settings and
 *      every job still to do (created, retry, or active on a replica that was stopped) is inserted with its
 *      id, payload, priority, due time and remaining attempts; the old schema is dropped in the same
 *      transaction, so a crash leaves either both copies (the next start repeats the move; ids already
 *      moved are skipped) or only the new one.
 * Completed, cancelled and failed jobs are history (failed ones are kept as the service's own dead letters)
 * and are not carried over.
 */

const PG_BOSS_10_SCHEMA_VERSION = 24;
/** One transaction-level advisory lock key for both steps, so replicas starting together take turns. */
const LOCK_KEY = 'teams-bridge:pg-boss-10-upgrade';

export const legacySchema = (schema: string) => `${schema}_v10`;

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number | undefined> {
  const table = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
    `${schema}.version`,
  ]);
  if (!table.rows[0]?.t) return undefined;
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.version`);
  return rows[0]?.version;
}

/** Step 1. Returns true when a pg-boss 10 schema (set aside now or by an earlier, interrupted start) waits. */
export async function setAsidePgBoss10Schema(url: string, schema: string, logger: Logger): Promise<boolean> {
  return await withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
      const current = await schemaVersion(client, schema);
      if (current !== undefined && current < PG_BOSS_10_SCHEMA_VERSION) {
        throw new Error(
          `the queue schema "${schema}" is at pg-boss schema version ${current}: start pg-boss 10.1 or later on it ` +
            `once (schema version ${PG_BOSS_10_SCHEMA_VERSION}) so this service can carry its jobs over`,
        );
      }
      if (current === PG_BOSS_10_SCHEMA_VERSION) {
        await client.query(`ALTER SCHEMA ${schema} RENAME TO ${legacySchema(schema)}`);
        logger.info(
          { from: schema, to: legacySchema(schema) },
          'pg-boss 10 queue schema set aside for upgrade',
        );
      }
      const waiting = (await schemaVersion(client, legacySchema(schema))) === PG_BOSS_10_SCHEMA_VERSION;
      await client.query('COMMIT');
      return waiting;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

interface LegacyQueue {
  name: string;
  policy: string | null;
  retry_limit: number | null;
  retry_delay: number | null;
  retry_backoff: boolean | null;
  expire_seconds: number | null;
}

interface LegacyJob {
  id: string;
  name: string;
  state: 'created' | 'retry' | 'active';
  priority: number;
  data: object | null;
  retry_limit: number;
  retry_count: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date;
  singleton_key: string | null;
  expire_seconds: number;
  dead_letter: string | null;
}

/**
 * The attempts already spent still count. pg-boss 10 adds a retry to `retry_count` when it fetches a job in
 * `retry`; a job in `retry` has one failed attempt not counted yet, and an `active` one an attempt that was
 * lost with its replica (pg-boss would have expired it as failed).
 */
function retriesLeft(job: LegacyJob): number {
  const spent = job.retry_count + (job.state === 'created' ? 0 : 1);
  return Math.max(job.retry_limit - spent, 0);
}

/** Step 2: moves the waiting jobs into the started pg-boss, then drops the old schema. Returns how many. */
export async function carryOverPgBoss10Jobs(
  boss: PgBoss,
  url: string,
  schema: string,
  logger: Logger,
): Promise<number> {
  const old = legacySchema(schema);
  return await withClient(url, async (client) => {
    // Held for the whole move (a session lock: the queues are created on pg-boss's own connections).
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
    try {
      return await moveJobs(boss, client, old, logger);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]);
    }
  });
}

async function moveJobs(boss: PgBoss, client: pg.Client, old: string, logger: Logger): Promise<number> {
  // Gone when another replica finished the move while this one waited for the lock.
  if ((await schemaVersion(client, old)) !== PG_BOSS_10_SCHEMA_VERSION) return 0;
  // Queues first (pg-boss creates them outside any caller transaction); existing ones are left as they are.
  const queues = await client.query<LegacyQueue>(
    `SELECT name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds FROM ${old}.queue`,
  );
  for (const q of queues.rows) {
    if (await boss.getQueue(q.name)) continue;
    await boss
      .createQueue(q.name, {
        policy: (q.policy ?? 'standard') as QueuePolicy,
        ...(q.retry_limit !== null && { retryLimit: q.retry_limit }),
        ...(q.retry_delay !== null && { retryDelay: q.retry_delay }),
        ...(q.retry_backoff !== null && { retryBackoff: q.retry_backoff }),
        ...(q.expire_seconds !== null && { expireInSeconds: q.expire_seconds }),
      })
      .catch(async (err: unknown) => {
        if (!(await boss.getQueue(q.name))) throw err; // else the service created it meanwhile
      });
  }

  await client.query('BEGIN');
  try {
    const { rows } = await client.query<LegacyJob>(
      `SELECT id, name, state, priority, data, retry_limit, retry_count, retry_delay, retry_backoff,
                start_after, singleton_key, EXTRACT(epoch FROM expire_in)::int AS expire_seconds, dead_letter
         FROM ${old}.job WHERE state IN ('created', 'retry', 'active') ORDER BY created_on`,
    );
    const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
    const byQueue = Map.groupBy(rows, (j) => j.name);
    for (const [name, jobs] of byQueue) {
      for (let i = 0; i < jobs.length; i += 1000) {
        await boss.insert(
          name,
          jobs.slice(i, i + 1000).map((j) => ({
            id: j.id,
            data: j.data ?? {},
            priority: j.priority,
            retryLimit: retriesLeft(j),
            retryDelay: j.retry_delay,
            retryBackoff: j.retry_backoff,
            startAfter: j.start_after,
            ...(j.singleton_key !== null && { singletonKey: j.singleton_key }),
            expireInSeconds: j.expire_seconds,
            ...(j.dead_letter !== null && { deadLetter: j.dead_letter }),
          })),
          { db },
        );
      }
    }
    await client.query(`DROP SCHEMA ${old} CASCADE`);
    await client.query('COMMIT');
    logger.info(
      { jobs: rows.length, queues: [...byQueue.keys()] },
      'pg-boss 10 jobs carried over to the current queue schema',
    );
    return rows.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
