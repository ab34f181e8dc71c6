import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
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
  options: { db?: PgBoss.Db } = {},
): Promise<number> {
  if (jobs.length === 0) return 0;
  await boss.insert(
    jobs.map((data) => ({ name: INBOUND_QUEUE, data: data as unknown as object })),
    options.db ? { db: options.db } : {},
  );
  metrics?.jobsQueued.inc({ queue: INBOUND_QUEUE }, jobs.length);
  return jobs.length;
}
