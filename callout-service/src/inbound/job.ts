import { randomUUID } from 'node:crypto';
import type { Db, PgBoss } from 'pg-boss';
import type { GraphChatMessage } from '../graph/client.ts';
import type { Metrics } from '../ops/metrics.ts';
import { INBOUND_QUEUE } from '../store/queue.ts';

/**
 * One queued channel message to turn into Tasks. Written by the webhook (one per notification) and by the
 * delta backfill (one per message Graph never notified). `deliveryId` identifies this delivery across
 * retries, reschedules and dead-letter requeues: it is the owner of the idempotency claims.
 */
export interface InboundJob {
  deliveryId: string;
  source: 'notification' | 'backfill';
  /** ISO time the notification reached the service (start of the end-to-end latency). */
  receivedAt: string;
  subscriptionId?: string;
  changeType?: string;
  tenantId?: string;
  teamId: string;
  channelId: string;
  messageId: string;
  replyToId: string | null;
  /** The message itself when the rich notification or the delta query carried it (no fetch needed). */
  message?: GraphChatMessage;
}

export function newInboundJob(
  fields: Omit<InboundJob, 'deliveryId' | 'receivedAt'> & { receivedAt?: string },
) {
  return { deliveryId: randomUUID(), receivedAt: new Date().toISOString(), ...fields } satisfies InboundJob;
}

/** Writes the jobs in one round trip (pg-boss insert). Returns how many were written. */
export async function enqueueInboundJobs(
  boss: PgBoss,
  jobs: InboundJob[],
  metrics?: Metrics,
  options: { db?: Db } = {},
): Promise<number> {
  if (jobs.length === 0) return 0;
  await boss.insert(
    INBOUND_QUEUE,
    jobs.map((data) => ({ data: data as unknown as object })),
    options.db ? { db: options.db } : {},
  );
  metrics?.jobsQueued.inc({ queue: INBOUND_QUEUE }, jobs.length);
  return jobs.length;
}

/**
 * Group insert for the webhook: jobs from requests that arrive while an insert is running go together in the
 * next one. No added wait when idle; under load one round trip (and one commit) serves many requests.
 * Each request still gets its answer only after its own jobs are committed.
 */
export class JobInserter {
  private waiting: { jobs: InboundJob[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  private running = false;

  constructor(
    private readonly boss: PgBoss,
    private readonly metrics?: Metrics,
    private readonly db?: Db,
    private readonly maxJobsPerInsert = 2000,
  ) {}

  enqueue(jobs: InboundJob[]): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ jobs, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group: typeof this.waiting = [];
        let count = 0;
        while (
          this.waiting.length > 0 &&
          (group.length === 0 || count + this.waiting[0]!.jobs.length <= this.maxJobsPerInsert)
        ) {
          const next = this.waiting.shift()!;
          group.push(next);
          count += next.jobs.length;
        }
        try {
          await enqueueInboundJobs(
            this.boss,
            group.flatMap((g) => g.jobs),
            this.metrics,
            this.db ? { db: this.db } : {},
          );
          for (const g of group) g.resolve();
        } catch (err) {
          for (const g of group) g.reject(err as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
