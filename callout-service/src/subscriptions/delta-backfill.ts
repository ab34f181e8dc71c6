import type { PgBoss } from 'pg-boss';
import { graphStatus, type GraphChatMessage } from '../graph/client.ts';
import { enqueueInboundJobs, newInboundJob } from '../inbound/job.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { getChannelCursor, saveChannelCursor } from '../store/channel-cursors.ts';
import type { Pool } from '../store/database.ts';
import { INBOUND_QUEUE } from '../store/queue.ts';
import type { GraphSubscriptions } from './graph-subscriptions.ts';

export interface BackfillResult {
  seen: number;
  queued: number;
  /** True when the round started without a delta link (first round or the link was refused). */
  fresh: boolean;
}

/** Messages edited long after this are still caught; messages older than the watermark on a fresh round are history. */
const WATERMARK_MARGIN_MS = 60_000;

/**
 * The safety net under the subscriptions: a delta query per channel (the delta link kept in PostgreSQL)
 * returns what changed since the last round, and every message no job has handled yet is queued as an
 * inbound job, on the same path as a notification. The inbound handler's idempotency keys make a message
 * that was also notified produce its Tasks once. A fresh round (no delta link yet) only queues messages
 * newer than the channel's watermark: linking a channel does not turn its whole history into Tasks.
 */
export class DeltaBackfill {
  constructor(
    private readonly deps: {
      pool: Pool;
      boss: PgBoss;
      graph: GraphSubscriptions;
      logger: Logger;
      metrics?: Metrics;
      onQueued?: () => void;
    },
  ) {}

  async runChannel(teamId: string, channelId: string, fallbackWatermark: Date): Promise<BackfillResult> {
    const cursor = await getChannelCursor(this.deps.pool, teamId, channelId);
    let link = cursor?.deltaLink ?? undefined;
    const watermark = cursor?.lastMessageAt ?? fallbackWatermark;
    let fresh = !link;
    let messages: GraphChatMessage[];
    let deltaLink: string;
    try {
      ({ messages, deltaLink } = await this.round(teamId, channelId, link));
    } catch (err) {
      const status = graphStatus(err);
      if (!link || (status !== 400 && status !== 404 && status !== 410)) throw err;
      // An expired or refused delta token: start a new round from the watermark.
      this.deps.logger.warn({ channelId, status }, 'delta link refused: starting a fresh delta round');
      link = undefined;
      fresh = true;
      ({ messages, deltaLink } = await this.round(teamId, channelId, undefined));
    }

    const floor = watermark.getTime() - WATERMARK_MARGIN_MS;
    const candidates = messages.filter((m) => {
      if (m.deletedDateTime) return false;
      if (!fresh) return true;
      const at = Date.parse(m.lastModifiedDateTime ?? m.createdDateTime ?? '');
      return Number.isFinite(at) && at >= floor;
    });
    const handled = await this.alreadyHandled(
      teamId,
      channelId,
      candidates.map((m) => m.id),
    );
    const jobs = candidates
      .filter((m) => !handled.has(m.id))
      .map((message) =>
        newInboundJob({
          source: 'backfill',
          teamId,
          channelId,
          messageId: message.id,
          replyToId: message.replyToId ?? null,
          message,
        }),
      );
    // Queue first, then move the cursor: a crash in between repeats the round (idempotent), never skips it.
    await enqueueInboundJobs(this.deps.boss, jobs, this.deps.metrics);
    const newest = messages
      .map((m) => Date.parse(m.createdDateTime ?? ''))
      .filter(Number.isFinite)
      .reduce((a, b) => Math.max(a, b), 0);
    await saveChannelCursor(this.deps.pool, {
      teamId,
      channelId,
      deltaLink,
      lastMessageAt: newest > 0 ? new Date(newest) : (cursor?.lastMessageAt ?? fallbackWatermark),
    });
    if (jobs.length > 0) {
      this.deps.logger.info(
        { channelId, queued: jobs.length, seen: messages.length },
        'backfill queued messages that no notification brought',
      );
      this.deps.onQueued?.();
    }
    return { seen: messages.length, queued: jobs.length, fresh };
  }

  private async round(
    teamId: string,
    channelId: string,
    link: string | undefined,
  ): Promise<{ messages: GraphChatMessage[]; deltaLink: string }> {
    const messages: GraphChatMessage[] = [];
    let next = link;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await this.deps.graph.deltaPage(teamId, channelId, next);
      messages.push(...(page.value ?? []));
      if (page['@odata.deltaLink']) return { messages, deltaLink: page['@odata.deltaLink'] };
      next = page['@odata.nextLink'];
      if (!next) throw new Error('Graph delta page carried neither @odata.nextLink nor @odata.deltaLink');
    }
    throw new Error('Graph delta round did not end after 1000 pages');
  }

  /**
   * Message ids that already have a job (a notification queued or done, still in pg-boss's job table) or a
   * Task key. Only an optimisation: if this lookup fails, every candidate is queued and idempotency decides.
   */
  private async alreadyHandled(teamId: string, channelId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    try {
      const { rows } = await this.deps.pool.query<{ id: string }>(
        `SELECT message_id AS id FROM processed_keys
           WHERE team_id = $1 AND channel_id = $2 AND message_id = ANY($3::text[])
         UNION
         SELECT data->>'messageId' AS id FROM pgboss.job
           WHERE name = $4 AND data->>'channelId' = $2 AND data->>'messageId' = ANY($3::text[])`,
        [teamId, channelId, ids, INBOUND_QUEUE],
      );
      return new Set(rows.map((r) => r.id));
    } catch (err) {
      this.deps.logger.warn({ err }, 'backfill: checking for handled messages failed; queueing all');
      return new Set();
    }
  }
}
