import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PgBoss } from 'pg-boss';
import { graphStatus } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import { saveChannelCursor, getChannelCursor } from '../store/channel-cursors.ts';
import type { Pool } from '../store/database.ts';
import { deleteSubscription, saveSubscription, updateSubscriptionStatus } from '../store/subscriptions.ts';
import { listActiveLinks, type ActiveLink } from './channel-links.ts';
import type { DeltaBackfill } from './delta-backfill.ts';
import { channelMessagesResource, type GraphSubscriptions } from './graph-subscriptions.ts';
import type { LeaderLease } from './leader-lease.ts';
import { LIFECYCLE_QUEUE, enqueueLifecycleJobs, type LifecycleJob } from './lifecycle-queue.ts';
import type { SubscriptionMirror } from './salesforce-mirror.ts';
import {
  getSubscriptionRow,
  lastHeardFrom,
  listSubscriptionRows,
  type SubscriptionRow,
} from './subscription-rows.ts';

export interface SubscriptionManagerOptions {
  /** Resolved when used: the service knows its public URL only once it listens. */
  notificationUrl: () => string;
  lifecycleNotificationUrl: () => string;
  /** Lifetime asked of Graph (channel messages allow at most 4,320 minutes). */
  lifetimeMinutes: number;
  /** Renew when less than this is left. */
  renewBeforeMinutes: number;
  /** How often links are reconciled with subscriptions (and renewals checked). */
  reconcileSeconds: number;
  /** How often each channel's delta query runs. */
  backfillSeconds: number;
  /** A live subscription without a notification for this long is reported Silent. */
  silentAfterMinutes: number;
  /** How often the leader looks for lifecycle events and non-leaders try to become the leader (ms). */
  tickMs: number;
}

export interface SubscriptionManagerDeps {
  pool: Pool;
  boss: PgBoss;
  graph: GraphSubscriptions;
  salesforce: SalesforceClient;
  lease: LeaderLease;
  backfill: DeltaBackfill;
  mirror: SubscriptionMirror;
  logger: Logger;
  /** Active links; defaults to the Teams_Channel_Link__c query. */
  activeLinks?: () => Promise<ActiveLink[]>;
  /** The tenant getAllTranscripts subscription: created at the first beat, then renewed on reconcile. */
  transcripts?: { keepAlive(now?: Date): Promise<unknown> };
}

export interface ReconcileResult {
  created: string[];
  renewed: string[];
  recreated: string[];
  deleted: string[];
  silent: string[];
  errors: string[];
}

/** A fresh per-subscription secret Graph echoes in every notification (base64url, 43 characters). */
export function newClientState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * One Graph subscription per Active channel link, kept alive by the one replica holding the leader lease:
 * created with a lifecycle URL and its own clientState, renewed well before expiry, recreated when Graph lost
 * it (404 or subscriptionRemoved), deleted when its link goes, mirrored to Teams_Subscription__c, watched for
 * silence, and backed by a delta query per channel. All changes run one at a time (`exclusive`).
 */
export class SubscriptionManager {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake = new AbortController();
  private queue: Promise<unknown> = Promise.resolve();
  private nextReconcile = 0;
  private nextBackfill = 0;
  private readonly links: () => Promise<ActiveLink[]>;
  /** Channel names from the last links read, for the mirror's Name field. */
  private readonly linkNames = new Map<string, string>();

  constructor(
    private readonly deps: SubscriptionManagerDeps,
    private readonly options: SubscriptionManagerOptions,
  ) {
    const load = deps.activeLinks ?? (() => listActiveLinks(deps.salesforce));
    this.links = async () => {
      const links = await load();
      for (const l of links) this.linkNames.set(l.channelId, l.channelName ?? l.name);
      return links;
    };
  }

  get isLeader(): boolean {
    return this.deps.lease.isLeader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.abort();
    await this.loop;
    await this.queue.catch(() => undefined);
    await this.deps.lease.release();
  }

  /** Look at the lifecycle queue now (the lifecycle route just queued an event). */
  notify(): void {
    this.wake.abort();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.tick();
      } catch (err) {
        this.deps.logger.error({ err }, 'subscription manager pass failed');
      }
      if (!this.running) break;
      if (this.wake.signal.aborted) this.wake = new AbortController();
      await sleep(this.options.tickMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
    }
  }

  /** One beat: become or stay the leader, then do whatever is due. Public for tests. */
  async tick(now = Date.now()): Promise<boolean> {
    const wasLeader = this.deps.lease.isLeader;
    if (!(await this.deps.lease.tryAcquire())) return false;
    if (!wasLeader) {
      // A new leader does not trust what a former leader may have left half done.
      this.nextReconcile = 0;
      this.nextBackfill = 0;
      this.deps.mirror.reset();
    }
    await this.processLifecycleJobs();
    // A failed pass (Salesforce or Graph unreachable) is tried again within half a minute, not a full interval.
    const retryAt = now + Math.min(30, this.options.reconcileSeconds) * 1000;
    if (now >= this.nextReconcile) {
      this.nextReconcile = retryAt;
      const result = await this.reconcile();
      const transcriptsOk = await this.keepTranscriptsAlive();
      if (result.errors.length === 0 && transcriptsOk) {
        this.nextReconcile = now + this.options.reconcileSeconds * 1000;
      }
    }
    if (now >= this.nextBackfill) {
      this.nextBackfill = now + Math.min(30, this.options.backfillSeconds) * 1000;
      await this.backfillAll();
      this.nextBackfill = now + this.options.backfillSeconds * 1000;
    }
    return true;
  }

  private async keepTranscriptsAlive(): Promise<boolean> {
    if (!this.deps.transcripts) return true;
    try {
      await this.exclusive(() => this.deps.transcripts!.keepAlive());
      return true;
    } catch (err) {
      this.deps.logger.error({ err }, 'keeping the transcript subscription alive failed');
      return false;
    }
  }

  /** Runs `work` after every change queued before it (one change at a time in this process). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Links vs subscriptions: create, renew, recreate, delete; silence; mirror. */
  reconcile(now = new Date()): Promise<ReconcileResult> {
    return this.exclusive(async () => {
      const result: ReconcileResult = {
        created: [],
        renewed: [],
        recreated: [],
        deleted: [],
        silent: [],
        errors: [],
      };
      const links = await this.links();
      const byChannel = new Map(links.map((l) => [l.channelId, l]));
      const rows = await listSubscriptionRows(this.deps.pool);
      const covered = new Set<string>();
      const removed: SubscriptionRow[] = [];

      for (const row of rows) {
        const link = byChannel.get(row.channelId);
        if (!link || link.teamId.toLowerCase() !== row.teamId.toLowerCase() || covered.has(row.channelId)) {
          await this.remove(row);
          removed.push({ ...row, status: 'Removed', lastError: null });
          result.deleted.push(row.id);
          continue;
        }
        covered.add(row.channelId);
        const dueAt = now.getTime() + this.options.renewBeforeMinutes * 60_000;
        if (!row.expiration || row.expiration.getTime() <= dueAt) {
          try {
            const outcome = await this.renewRow(row, link);
            (outcome === 'renewed' ? result.renewed : result.recreated).push(row.id);
          } catch (err) {
            result.errors.push(`${row.channelId}: ${(err as Error).message}`);
          }
        }
      }

      for (const link of links) {
        if (covered.has(link.channelId)) continue;
        try {
          const id = await this.createFor(link);
          result.created.push(id);
        } catch (err) {
          result.errors.push(`${link.channelId}: ${(err as Error).message}`);
          this.deps.logger.error(
            { err, channelId: link.channelId },
            'creating the Graph subscription for a linked channel failed',
          );
        }
      }

      result.silent = await this.checkSilence(now);
      await this.mirrorAll(removed);
      return result;
    });
  }

  /** Delta query for every subscribed channel. */
  backfillAll(): Promise<{ channels: number; queued: number }> {
    return this.exclusive(async () => {
      const rows = await listSubscriptionRows(this.deps.pool);
      let queued = 0;
      const done = new Set<string>();
      for (const row of rows) {
        if (done.has(row.channelId)) continue;
        done.add(row.channelId);
        try {
          queued += (await this.deps.backfill.runChannel(row.teamId, row.channelId, row.createdAt)).queued;
        } catch (err) {
          this.deps.logger.error({ err, channelId: row.channelId }, 'delta backfill failed for a channel');
        }
      }
      return { channels: done.size, queued };
    });
  }

  /**
   * Renews one subscription now (admin action, POST /v1/subscriptions/{id}/renew). Graph lost it (404): the
   * leader recreates it through the lifecycle queue, and the row says so meanwhile.
   */
  renew(id: string): Promise<SubscriptionRow | undefined> {
    return this.exclusive(async () => {
      const row = await getSubscriptionRow(this.deps.pool, id);
      if (!row) return undefined;
      try {
        await this.renewOnGraph(row);
      } catch (err) {
        if (graphStatus(err) !== 404) throw err;
        await updateSubscriptionStatus(this.deps.pool, id, {
          status: 'Removed',
          lastError: 'Graph no longer has this subscription: it is being recreated',
        });
        await enqueueLifecycleJobs(this.deps.boss, [
          { subscriptionId: id, lifecycleEvent: 'subscriptionRemoved', receivedAt: new Date().toISOString() },
        ]);
        this.notify();
      }
      return await getSubscriptionRow(this.deps.pool, id);
    });
  }

  /** Lifecycle events queued by POST /graph/lifecycle (leader only). */
  async processLifecycleJobs(): Promise<number> {
    let handled = 0;
    for (;;) {
      const jobs = (await this.deps.boss.fetch<LifecycleJob>(LIFECYCLE_QUEUE, { batchSize: 20 })) ?? [];
      if (jobs.length === 0) return handled;
      for (const job of jobs) {
        try {
          await this.exclusive(() => this.handleLifecycle(job.data));
          await this.deps.boss.complete(LIFECYCLE_QUEUE, job.id);
          handled++;
        } catch (err) {
          this.deps.logger.error(
            { err, event: job.data.lifecycleEvent },
            'lifecycle event failed: will retry',
          );
          await this.deps.boss.fail(LIFECYCLE_QUEUE, job.id, { message: (err as Error).message });
        }
      }
    }
  }

  private async handleLifecycle(event: LifecycleJob): Promise<void> {
    const log = this.deps.logger.child({
      subscriptionId: event.subscriptionId,
      lifecycleEvent: event.lifecycleEvent,
    });
    const row = await getSubscriptionRow(this.deps.pool, event.subscriptionId);
    if (!row) {
      log.info('lifecycle event for a subscription no longer kept: ignored');
      return;
    }
    const link = (await this.links()).find((l) => l.channelId === row.channelId);
    if (!link) {
      await this.remove(row);
      return;
    }
    if (event.lifecycleEvent === 'reauthorizationRequired') {
      const outcome = await this.renewRow(row, link);
      log.info({ outcome }, 'subscription reauthorized');
    } else if (event.lifecycleEvent === 'subscriptionRemoved') {
      await this.recreate(row, link);
      log.warn('Graph removed the subscription: recreated and backfilled');
    } else if (event.lifecycleEvent === 'missed') {
      const r = await this.deps.backfill.runChannel(row.teamId, row.channelId, row.createdAt);
      log.warn({ queued: r.queued }, 'Graph missed notifications: backfilled');
    }
    await this.mirrorAll([]);
  }

  private expiration(): Date {
    return new Date(Date.now() + this.options.lifetimeMinutes * 60_000);
  }

  private async renewOnGraph(row: SubscriptionRow): Promise<void> {
    const renewed = await this.deps.graph.renew(row.id, this.expiration());
    await updateSubscriptionStatus(this.deps.pool, row.id, {
      status: row.status === 'Silent' ? 'Silent' : 'Active',
      expiration: new Date(renewed.expirationDateTime),
      lastError: null,
    });
  }

  private async renewRow(row: SubscriptionRow, link: ActiveLink): Promise<'renewed' | 'recreated'> {
    try {
      await this.renewOnGraph(row);
      return 'renewed';
    } catch (err) {
      if (graphStatus(err) === 404) {
        await this.recreate(row, link);
        return 'recreated';
      }
      await updateSubscriptionStatus(this.deps.pool, row.id, {
        status: 'Error',
        lastError: `renewal failed: ${(err as Error).message}`,
      });
      this.deps.logger.error({ err, subscriptionId: row.id }, 'renewing a subscription failed');
      throw err;
    }
  }

  private async recreate(row: SubscriptionRow, link: ActiveLink): Promise<string> {
    await this.deps.graph.delete(row.id).catch(() => undefined);
    await deleteSubscription(this.deps.pool, row.id);
    await this.deps.mirror.sync([{ row: { ...row, status: 'Removed' }, name: link.name }]);
    return await this.createFor(link, row.createdAt);
  }

  /** Deletes the Graph subscription (gone already is fine) and forgets it. */
  private async remove(row: SubscriptionRow): Promise<void> {
    try {
      await this.deps.graph.delete(row.id);
    } catch (err) {
      if (graphStatus(err) !== 404) {
        this.deps.logger.warn({ err, subscriptionId: row.id }, 'deleting the Graph subscription failed');
      }
    }
    await deleteSubscription(this.deps.pool, row.id);
    this.deps.logger.info({ subscriptionId: row.id, channelId: row.channelId }, 'subscription deleted');
  }

  /** Creates the channel's subscription, then runs its delta so nothing between old and new is lost. */
  private async createFor(link: ActiveLink, watchedSince?: Date): Promise<string> {
    const resource = channelMessagesResource(link.teamId, link.channelId);
    const clientState = newClientState();
    const input = {
      resource,
      notificationUrl: this.options.notificationUrl(),
      lifecycleNotificationUrl: this.options.lifecycleNotificationUrl(),
      clientState,
      expiration: this.expiration(),
    };
    let created;
    try {
      created = await this.deps.graph.create(input);
    } catch (err) {
      // One subscription per app per channel: one we lost track of (its secret unknown) is replaced.
      if (graphStatus(err) !== 409 && graphStatus(err) !== 403) throw err;
      const stale = (await this.deps.graph.list()).filter(
        (s) => s.resource.toLowerCase() === resource.toLowerCase(),
      );
      if (stale.length === 0) throw err;
      for (const s of stale) await this.deps.graph.delete(s.id).catch(() => undefined);
      created = await this.deps.graph.create(input);
    }
    await saveSubscription(this.deps.pool, {
      id: created.id,
      resource,
      teamId: link.teamId,
      channelId: link.channelId,
      channelLinkId: link.id,
      clientState,
      expiration: new Date(created.expirationDateTime),
      status: 'Active',
    });
    this.deps.logger.info(
      { subscriptionId: created.id, channelId: link.channelId, expiration: created.expirationDateTime },
      'subscription created',
    );
    // The watermark of a channel's first round: messages since it was linked count, older ones are history.
    if (!(await getChannelCursor(this.deps.pool, link.teamId, link.channelId))) {
      await saveChannelCursor(this.deps.pool, {
        teamId: link.teamId,
        channelId: link.channelId,
        lastMessageAt: watchedSince ?? link.createdDate ?? new Date(),
      });
    }
    try {
      await this.deps.backfill.runChannel(link.teamId, link.channelId, watchedSince ?? new Date());
    } catch (err) {
      this.deps.logger.warn(
        { err, channelId: link.channelId },
        'backfill after creating a subscription failed',
      );
    }
    return created.id;
  }

  /** Silent: a live subscription whose channel sent nothing for longer than configured. */
  private async checkSilence(now: Date): Promise<string[]> {
    const silent: string[] = [];
    const limit = this.options.silentAfterMinutes * 60_000;
    for (const row of await listSubscriptionRows(this.deps.pool)) {
      const live = row.expiration !== null && row.expiration > now;
      if (!live || (row.status !== 'Active' && row.status !== 'Silent')) continue;
      const quietFor = now.getTime() - lastHeardFrom(row).getTime();
      if (quietFor > limit) {
        silent.push(row.id);
        if (row.status !== 'Silent') {
          await updateSubscriptionStatus(this.deps.pool, row.id, { status: 'Silent' });
          this.deps.logger.warn(
            { subscriptionId: row.id, channelId: row.channelId, quietMinutes: Math.round(quietFor / 60_000) },
            'ALERT: channel silent while its subscription should be live',
          );
        }
      } else if (row.status === 'Silent') {
        await updateSubscriptionStatus(this.deps.pool, row.id, { status: 'Active' });
        this.deps.logger.info({ subscriptionId: row.id }, 'channel heard from again: no longer silent');
      }
    }
    return silent;
  }

  private async mirrorAll(removed: SubscriptionRow[]): Promise<void> {
    const rows = await listSubscriptionRows(this.deps.pool);
    const entries = [...rows, ...removed].map((row) => ({
      row,
      name: this.linkNames.get(row.channelId) ?? row.channelId,
    }));
    await this.deps.mirror.sync(entries);
  }
}
