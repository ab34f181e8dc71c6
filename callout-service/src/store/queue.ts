import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Pool } from './database.ts';
import { carryOverPgBoss10Jobs, setAsidePgBoss10Schema } from './pg-boss-10-upgrade.ts';

export type { PgBoss };

/** Queue names. One job per Graph notification (or per backfilled message). */
export const INBOUND_QUEUE = 'inbound-message';

/** pg-boss keeps its tables in this schema of the service database. */
export const QUEUE_SCHEMA = 'pgboss';

export interface QueueOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  expireSeconds: number;
  maintenanceSeconds: number;
}

/**
 * Starts pg-boss on the service database and creates the queues. pg-boss installs or migrates its schema in
 * `start()`; a schema left by pg-boss 10, which it cannot migrate, is upgraded around it (pg-boss-10-upgrade.ts).
 */
export async function startQueue(url: string, options: QueueOptions, logger: Logger): Promise<PgBoss> {
  const legacyWaiting = await setAsidePgBoss10Schema(url, QUEUE_SCHEMA, logger);
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    max: 5,
    // Lost attempts are expired by the supervise/monitor pass, old jobs deleted by maintenance: one setting.
    superviseIntervalSeconds: options.maintenanceSeconds,
    monitorIntervalSeconds: options.maintenanceSeconds,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
  });
  boss.on('error', (err: unknown) => logger.error({ err }, 'pg-boss error'));
  await boss.start();
  try {
    await ensureQueue(boss, INBOUND_QUEUE, options);
    if (legacyWaiting) await carryOverPgBoss10Jobs(boss, url, QUEUE_SCHEMA, logger);
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw err;
  }
  return boss;
}

export async function ensureQueue(boss: PgBoss, name: string, options: QueueOptions): Promise<void> {
  const settings = {
    retryLimit: options.retryLimit,
    retryDelay: options.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: options.expireSeconds,
  };
  const existing = await boss.getQueue(name);
  if (existing) await boss.updateQueue(name, settings);
  else {
    try {
      await boss.createQueue(name, settings);
    } catch (err) {
      // Another replica created it between the check and the insert.
      if (!(await boss.getQueue(name))) throw err;
    }
  }
}

/**
 * Jobs waiting in a queue (created or retry, due or not), counted now. pg-boss's own queue counts are
 * refreshed only by its monitor pass, too late for a health page or a test that has just queued something.
 */
export async function queuedJobCount(pool: Pool, name: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry')`,
    [name],
  );
  return rows[0]?.n ?? 0;
}
