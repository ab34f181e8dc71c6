/**
 * The posting worker: takes due outbound items from PostgreSQL (any replica, never two at once), posts each
 * as one Teams message through the bot, records the post, writes the link back to Salesforce.
 *
 * Exactly once: `post_started_at` is committed before each send and the message id right after it. An item
 * claimed again with the first and not the second (a crash, a timeout, a 5xx) is looked for in the channel
 * before any new send (reconcile.ts); a 4xx says Teams posted nothing. Sends wait for the shared limiter
 * (post-limiter.ts) and honour Retry-After; after `maxAttempts` the item becomes a dead letter the admin page
 * lists and retries (queue `outbound-post`).
 */
import type { GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { Pool } from '../store/database.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import type { TeamsBot } from './bot.ts';
import { CARD_CONTENT_TYPE, cardMarker, handoffCard } from './card.ts';
import { getInstallation, markNotInstalled } from './installations.ts';
import type { OutboundConfig } from './outbound-config.ts';
import {
  claimDueItems,
  countWriteBackFailure,
  markDead,
  markDone,
  markPostStarted,
  recordPosted,
  retryLater,
  setTarget,
  type OutboundItem,
} from './outbound-rows.ts';
import { channelPosting } from './channel-posting.ts';
import { classifySendError, type SendOutcome } from './post-errors.ts';
import type { PostLimiter, Scope } from './post-limiter.ts';
import { findPostedMessage } from './reconcile.ts';
import { channelLink, messageLink, resolveTarget, type Target } from './targets.ts';
import {
  postToWorkflows,
  WORKFLOWS_MAX_MESSAGE_BYTES,
  workflowsBody,
  WorkflowsPostError,
} from './workflows-post.ts';
import { WriteBackRefused, writeBackMessageLink } from './writeback.ts';
import { notifyOwner } from './notify-owner.ts';
import { postItemAsServiceAccount } from './graph-delegated/post-item.ts';
import type { GraphServiceAccount } from './graph-delegated/service-account.ts';

export const OUTBOUND_DEAD_LETTER_QUEUE = 'outbound-post';

export interface OutboundHooks {
  /** Test seam: runs after Teams accepted the post and before it is recorded. */
  afterSend?: (item: OutboundItem, messageId: string) => Promise<void> | void;
  /** After the message link is recorded (and written back). */
  onPosted?: (item: OutboundItem, messageId: string, messageUrl: string) => Promise<void> | void;
}

export interface OutboundWorkerDeps {
  pool: Pool;
  bot: TeamsBot;
  graph: GraphAdapter;
  salesforce: SalesforceClient;
  limiter: PostLimiter;
  config: OutboundConfig;
  tenantId: string;
  logger: Logger;
  hooks?: OutboundHooks;
  /** The `graph` mode's delegated account (absent without OUTBOUND_SECRET_KEY). */
  serviceAccount?: GraphServiceAccount;
  graphBaseUrl?: string;
  /** A team without the app was met: the app installer looks at it soon (not once per item). */
  onNotInstalled?: (teamId: string) => void;
}

export class OutboundWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private looping: Promise<void> | undefined;

  constructor(private readonly deps: OutboundWorkerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.looping = this.loop();
  }

  /** New items were accepted: look now rather than at the next poll. */
  notify(): void {
    this.wake?.();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.looping;
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Test seam: stop taking work and forget what is running, as a killed process would. */
  abandon(): void {
    this.running = false;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        const room = this.deps.config.concurrency - this.inFlight.size;
        if (room > 0) {
          const items = await claimDueItems(this.deps.pool, room, this.deps.config.leaseSeconds);
          claimed = items.length;
          for (const item of items) {
            const p = this.process(item).catch((err: unknown) =>
              this.deps.logger.error({ err, key: item.idempotencyKey }, 'outbound item failed unexpectedly'),
            );
            this.inFlight.add(p);
            void p.finally(() => {
              this.inFlight.delete(p);
              this.wake?.();
            });
          }
        }
      } catch (err) {
        if (this.running) this.deps.logger.warn({ err }, 'claiming outbound items failed; trying again');
      }
      if (!this.running) break;
      if (claimed === 0 || this.inFlight.size >= this.deps.config.concurrency) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.deps.config.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private scopes(target: Target): Scope[] {
    return [
      { key: `thread:${target.channelId}`, windows: this.deps.config.limits.perThread },
      { key: `app:${this.deps.tenantId}`, windows: this.deps.config.limits.perApp },
    ];
  }

  private backoffMs(attempts: number): number {
    return this.deps.config.retryBaseSeconds * 1000 * 2 ** Math.max(0, attempts - 1);
  }

  private async fail(
    item: OutboundItem,
    message: string,
    options: { notPosted: boolean; permanent?: boolean },
  ) {
    const { pool, config, logger } = this.deps;
    if (options.permanent || item.attempts >= config.maxAttempts) {
      await markDead(pool, item.idempotencyKey, message);
      await recordDeadLetter(pool, {
        queue: OUTBOUND_DEAD_LETTER_QUEUE,
        jobId: item.idempotencyKey,
        payload: { idempotencyKey: item.idempotencyKey, recordId: item.recordId, kind: item.kind },
        error: message,
        attempts: item.attempts,
      });
      logger.warn(
        { key: item.idempotencyKey, attempts: item.attempts, error: message },
        'outbound item dead-lettered',
      );
      return;
    }
    await retryLater(pool, item.idempotencyKey, {
      delayMs: this.backoffMs(item.attempts),
      error: message,
      notPosted: options.notPosted,
      spendAttempt: true,
    });
  }

  private async process(item: OutboundItem): Promise<void> {
    const { pool, salesforce, config } = this.deps;
    // Posted already (a Workflows post may have no message id): only the write-back is left.
    if (item.status === 'posted' && item.messageUrl) {
      await this.finish(item, item.messageId ?? '', item.messageUrl);
      return;
    }
    const resolved = await resolveTarget(salesforce, config, item.recordId).catch(
      (err: unknown) => err as Error,
    );
    if (resolved instanceof Error) {
      await this.fail(item, `reading the channel link failed: ${resolved.message}`, { notPosted: true });
      return;
    }
    // An item keeps the channel it was first sent to, so a retry looks for it where it may be.
    const target: Target | undefined =
      item.teamId && item.channelId
        ? { teamId: item.teamId, channelId: item.channelId, channelUrl: resolved?.channelUrl ?? null }
        : resolved;
    if (!target) {
      await this.fail(item, 'no Active channel link for the record and no pipeline channel configured', {
        notPosted: true,
        permanent: true,
      });
      return;
    }
    if (!item.teamId) await setTarget(pool, item.idempotencyKey, target.teamId, target.channelId);

    if (item.postStartedAt) {
      const found = await findPostedMessage(
        this.deps.graph,
        target,
        cardMarker(item.idempotencyKey),
        item.postStartedAt,
      ).catch((err: unknown) => err as Error);
      if (found instanceof Error) {
        await this.fail(item, `could not check whether the card was already posted: ${found.message}`, {
          notPosted: false,
        });
        return;
      }
      if (found) {
        this.deps.logger.info(
          { key: item.idempotencyKey, messageId: found.id },
          'found the card already posted',
        );
        const url = messageLink(this.deps.tenantId, target.teamId, target.channelId, found.id);
        await recordPosted(pool, item.idempotencyKey, found.id, url);
        await this.finish(item, found.id, url);
        return;
      }
    }

    const posting = await channelPosting(pool, config, target).catch((err: unknown) => err as Error);
    if (posting instanceof Error) {
      await this.fail(item, `reading the channel's posting mode failed: ${posting.message}`, {
        notPosted: true,
      });
      return;
    }
    if (posting.mode === 'workflows') {
      await this.postWithWorkflows(item, target, posting.webhookUrl);
      return;
    }
    if (posting.mode === 'graph') {
      await this.postWithServiceAccount(item, target);
      return;
    }

    const installation = await getInstallation(pool, target.teamId);
    if (!installation?.installed) {
      this.deps.onNotInstalled?.(target.teamId);
      await this.fail(item, `the Teams app is not installed in team ${target.teamId}: add it to the team`, {
        notPosted: true,
      });
      return;
    }
    if (!(await this.takeSlot(item, target))) return;

    const card = handoffCard(item, { withAccept: true, channelUrl: target.channelUrl });
    await markPostStarted(pool, item.idempotencyKey);
    let messageId: string;
    try {
      messageId = await this.deps.bot.send(installation.serviceUrl, target.channelId, {
        attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
      });
    } catch (err) {
      const outcome = classifySendError(err);
      if (outcome.kind === 'not-installed') {
        await markNotInstalled(pool, target.teamId);
        this.deps.onNotInstalled?.(target.teamId);
      }
      await this.handleSendFailure(item, target, outcome);
      return;
    }
    await this.deps.hooks?.afterSend?.(item, messageId);
    const url = messageLink(this.deps.tenantId, target.teamId, target.channelId, messageId);
    await recordPosted(pool, item.idempotencyKey, messageId, url);
    await this.finish(item, messageId, url);
  }

  /** Waits for the shared limiter; false: the item was put back for when a slot frees. */
  private async takeSlot(item: OutboundItem, target: Target): Promise<boolean> {
    const slot = await this.deps.limiter.acquire(this.scopes(target));
    if (slot.ok) return true;
    await retryLater(this.deps.pool, item.idempotencyKey, {
      delayMs: slot.waitMs,
      notPosted: false,
      spendAttempt: false,
    });
    return false;
  }

  private async handleSendFailure(item: OutboundItem, target: Target, outcome: SendOutcome) {
    if (outcome.kind === 'throttled') {
      await this.deps.limiter.pause(`thread:${target.channelId}`, outcome.retryAfterSeconds);
      await retryLater(this.deps.pool, item.idempotencyKey, {
        delayMs: outcome.retryAfterSeconds * 1000,
        error: `Teams answered 429; retrying after ${outcome.retryAfterSeconds} s`,
        notPosted: true,
        spendAttempt: false,
      });
    } else if (outcome.kind === 'not-installed') {
      await this.fail(item, outcome.message, { notPosted: true });
    } else if (outcome.kind === 'permanent') {
      await this.fail(item, outcome.message, { notPosted: true, permanent: true });
    } else {
      await this.fail(item, outcome.message, { notPosted: outcome.notPosted });
    }
  }

  /**
   * A channel posting through its Workflows webhook: no Accept button (Action.Execute needs the bot), the
   * size checked before sending, 202 is success. The webhook returns no message id, so the posted card is
   * looked up in the channel by its marker for the link; not found yet: the channel's link stands in.
   */
  private async postWithWorkflows(item: OutboundItem, target: Target, webhookUrl: string | undefined) {
    const { pool } = this.deps;
    if (!webhookUrl) {
      await this.fail(
        item,
        `channel ${target.channelId} posts through Workflows but has no webhook URL set`,
        {
          notPosted: true,
          permanent: true,
        },
      );
      return;
    }
    const card = handoffCard(item, { withAccept: false, channelUrl: target.channelUrl });
    const bytes = Buffer.byteLength(workflowsBody(card));
    if (bytes > WORKFLOWS_MAX_MESSAGE_BYTES) {
      await this.fail(
        item,
        `the card is ${bytes} bytes, over the ${WORKFLOWS_MAX_MESSAGE_BYTES}-byte Workflows message limit: not sent (shorten the record's fields)`,
        { notPosted: true, permanent: true },
      );
      return;
    }
    if (!(await this.takeSlot(item, target))) return;
    await markPostStarted(pool, item.idempotencyKey);
    const startedAt = new Date();
    try {
      await postToWorkflows(webhookUrl, card);
    } catch (err) {
      const outcome: SendOutcome =
        err instanceof WorkflowsPostError
          ? err.outcome
          : { kind: 'retry', notPosted: false, message: (err as Error).message };
      await this.handleSendFailure(item, target, outcome);
      return;
    }
    const found = await findPostedMessage(
      this.deps.graph,
      target,
      cardMarker(item.idempotencyKey),
      startedAt,
      1,
    ).catch(() => undefined);
    const messageId = found?.id ?? '';
    const url = found
      ? messageLink(this.deps.tenantId, target.teamId, target.channelId, found.id)
      : (target.channelUrl ?? channelLink(this.deps.tenantId, target.teamId, target.channelId));
    await this.deps.hooks?.afterSend?.(item, messageId);
    await recordPosted(pool, item.idempotencyKey, messageId, url);
    await this.finish(item, messageId, url);
  }

  /** A channel posting as the Graph service account (graph-delegated/post-item.ts). */
  private async postWithServiceAccount(item: OutboundItem, target: Target) {
    const result = await postItemAsServiceAccount(
      { ...this.deps, graphBaseUrl: this.deps.graphBaseUrl ?? 'https://graph.microsoft.com' },
      item,
      target,
    );
    if (result.kind === 'handled') return;
    if (result.kind === 'failed') {
      await this.handleSendFailure(item, target, result.outcome);
      return;
    }
    await this.deps.hooks?.afterSend?.(item, result.messageId);
    const url = messageLink(this.deps.tenantId, target.teamId, target.channelId, result.messageId);
    await recordPosted(this.deps.pool, item.idempotencyKey, result.messageId, url);
    await this.finish(item, result.messageId, url);
  }

  private async teamOf(key: string): Promise<string | null> {
    const { rows } = await this.deps.pool.query<{ team_id: string | null }>(
      'SELECT team_id FROM outbound_items WHERE idempotency_key = $1',
      [key],
    );
    return rows[0]?.team_id ?? null;
  }

  /**
   * Posted: the link goes to Salesforce. A failed write-back is retried without posting again, with its own
   * bounded attempts (`maxAttempts`, backoff as for posts); then the item is a dead letter whose retry only
   * writes back. A record gone or read-only for good ends the item done, the reason kept on it.
   */
  private async finish(item: OutboundItem, messageId: string, url: string): Promise<void> {
    let note: string | undefined;
    try {
      const outcome = await writeBackMessageLink(this.deps.salesforce, item, url);
      if (!outcome.written) note = outcome.note;
    } catch (err) {
      if (!(err instanceof WriteBackRefused)) {
        await this.writeBackFailed(item, (err as Error).message);
        return;
      }
      note = `the Teams link could not be written back: ${err.message}`;
    }
    await markDone(this.deps.pool, item.idempotencyKey, note);
    if (note) this.deps.logger.info({ key: item.idempotencyKey, note }, 'posted without a write-back');
    const teamId = item.teamId ?? (await this.teamOf(item.idempotencyKey));
    if (teamId) await notifyOwner(this.deps, item, { teamId }, url);
    await this.deps.hooks?.onPosted?.(item, messageId, url);
  }

  private async writeBackFailed(item: OutboundItem, reason: string): Promise<void> {
    const { pool, config, logger } = this.deps;
    const message = `posted, but the link could not be written back: ${reason}`;
    const attempts = await countWriteBackFailure(pool, item.idempotencyKey, message);
    if (attempts < config.maxAttempts) {
      // spendAttempt: posting attempts stay as they are (a posted item's claims do not count them).
      await retryLater(pool, item.idempotencyKey, {
        delayMs: this.backoffMs(attempts),
        error: message,
        notPosted: false,
        spendAttempt: true,
      });
      return;
    }
    await markDead(pool, item.idempotencyKey, message);
    await recordDeadLetter(pool, {
      queue: OUTBOUND_DEAD_LETTER_QUEUE,
      jobId: item.idempotencyKey,
      payload: {
        idempotencyKey: item.idempotencyKey,
        recordId: item.recordId,
        kind: item.kind,
        posted: true,
      },
      error: message,
      attempts,
    });
    logger.warn({ key: item.idempotencyKey, attempts, error: reason }, 'write-back dead-lettered');
  }
}
