import type { PgBoss } from 'pg-boss';

/** Lifecycle events Graph sent, queued for the leader replica's subscription manager. */
export const LIFECYCLE_QUEUE = 'subscription-lifecycle';

export interface LifecycleJob {
  subscriptionId: string;
  /** reauthorizationRequired | subscriptionRemoved | missed (others are only logged by the route). */
  lifecycleEvent: string;
  receivedAt: string;
}

export const HANDLED_LIFECYCLE_EVENTS = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

export async function enqueueLifecycleJobs(boss: PgBoss, jobs: LifecycleJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    LIFECYCLE_QUEUE,
    jobs.map((data) => ({ data: data as unknown as object })),
  );
}

/** The lifecycle queue: a few retries, then the next reconcile pass repairs whatever is still wrong. */
export async function ensureLifecycleQueue(boss: PgBoss): Promise<void> {
  const settings = {
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
  };
  if (await boss.getQueue(LIFECYCLE_QUEUE)) return;
  try {
    await boss.createQueue(LIFECYCLE_QUEUE, settings);
  } catch (err) {
    if (!(await boss.getQueue(LIFECYCLE_QUEUE))) throw err; // another replica created it meanwhile
  }
}
