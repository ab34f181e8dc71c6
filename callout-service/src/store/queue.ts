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
  await createQueueOnce(boss, name, settings, true);
}

/**
 * Creates a queue unless it exists (updating its settings if asked). Replicas starting together on a fresh
 * database race here: creating a pg-boss queue is DDL (a partition of the job table), and two at once end
 * in "deadlock detected" (40P01) or a duplicate, which killed the start of one replica. The loser waits a
 * little and looks again, a few times, instead of failing.
 */
export async function createQueueOnce(
  boss: PgBoss,
  name: string,
  settings: PgBoss.Queue,
  update: boolean,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = await boss.getQueue(name);
      if (existing) {
        if (update) await boss.updateQueue(name, settings);
        return;
      }
      await boss.createQueue(name, settings);
      return;
    } catch (err) {
      if (attempt >= 6) throw err;
      // Another replica is creating it (or just did): look again after a short, jittered wait.
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}
