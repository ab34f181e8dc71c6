import PgBoss from 'pg-boss';
import type { Logger } from '../logger.ts';

export type { PgBoss };

/** Queue names. One job per Graph notification (or per backfilled message). */
export const INBOUND_QUEUE = 'inbound-message';

export interface QueueOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  expireSeconds: number;
  maintenanceSeconds: number;
}

/** Starts pg-boss on the service database (its own `pgboss` schema) and creates the queues. */
export async function startQueue(url: string, options: QueueOptions, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 5,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
    monitorStateIntervalSeconds: 60,
  });
  boss.on('error', (err: unknown) => logger.error({ err }, 'pg-boss error'));
  await boss.start();
  await ensureQueue(boss, INBOUND_QUEUE, options);
  return boss;
}

export async function ensureQueue(boss: PgBoss, name: string, options: QueueOptions): Promise<void> {
  const settings = {
    name,
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
