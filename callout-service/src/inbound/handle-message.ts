import { graphStatus, type GraphAdapter, type GraphChatMessage } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Pool } from '../store/database.ts';
import { parkMessage } from '../store/deferred-messages.ts';
import { claimKeys, markWritten } from '../store/processed-keys.ts';
import { isSettled, markSettled, type MessageRef } from '../store/settled-messages.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import { LimitExceededError, PermanentError } from '../salesforce/errors.ts';
import type { LimitTracker } from '../salesforce/limits.ts';
import type { TaskWriter, TaskWriteResult } from '../salesforce/task-writer.ts';
import { taskKey } from './idempotency-key.ts';
import type { InboundJob } from './job.ts';
import { messageText } from './message-text.ts';
import type { OwnerResolver } from './owner.ts';
import { matchRules } from './rules.ts';
import { buildTask } from './task-fields.ts';

export type HandleOutcome =
  | 'tasks'
  | 'no-match'
  | 'duplicate'
  | 'unknown-channel'
  | 'ignored'
  | 'gone'
  | 'partial-duplicate'
  | 'deferred';

export interface HandleResult {
  outcome: HandleOutcome;
  written: number;
  keys: string[];
}

/** Test seams: run after Salesforce confirmed the Tasks and before PostgreSQL records them as written. */
export interface InboundHooks {
  afterTaskWrite?: (keys: string[]) => void | Promise<void>;
}

export interface InboundHandlerDeps {
  pool: Pool;
  graph: GraphAdapter;
  directory: SalesforceDirectory;
  owners: OwnerResolver;
  writer: TaskWriter;
  limits: LimitTracker;
  logger: Logger;
  metrics?: Metrics;
  /** How long another delivery's pending claim is respected before it may be taken over. */
  claimLeaseSeconds: number;
  hooks?: InboundHooks;
}

/**
 * The notification job: message -> text -> rules -> record and owner -> Tasks. Throws to have the job retried
 * (LimitExceededError: rescheduled without using an attempt; PermanentError: dead-lettered at once).
 */
export class InboundHandler {
  constructor(private readonly deps: InboundHandlerDeps) {}

  async handle(job: InboundJob): Promise<HandleResult> {
    const { directory, logger } = this.deps;
    // Made on first use: at the usual log level most jobs log nothing, and a pino child is built per call.
    let child: Logger | undefined;
    const log = () =>
      (child ??= logger.child({
        deliveryId: job.deliveryId,
        messageId: job.messageId,
        channelId: job.channelId,
      }));

    const link = await directory.getChannelLink(job.channelId);
    if (!link || link.status !== 'Active' || !link.recordId) {
      log().info(
        { linkStatus: link?.status ?? 'none' },
        'message from a channel with no active link: skipped',
      );
      return { outcome: 'unknown-channel', written: 0, keys: [] };
    }

    // A repeated 'created' notification of a message already settled: nothing new can come of it, so it is
    // answered without fetching the message again. Edits are evaluated again; payloads need no fetch.
    if (!job.message && job.changeType !== 'updated' && (await isSettled(this.deps.pool, job))) {
      log().debug('message already settled: repeated notification skipped');
      return { outcome: 'duplicate', written: 0, keys: [] };
    }
    const message = job.message ?? (await this.fetchMessage(job));
    if (!message) return { outcome: 'gone', written: 0, keys: [] };
    const messageId = message.id || job.messageId;
    const ref = { teamId: job.teamId, channelId: job.channelId, messageId };
    if (message.deletedDateTime || (message.messageType && message.messageType !== 'message')) {
      await this.settle(ref, log);
      return { outcome: 'ignored', written: 0, keys: [] };
    }
    // Posts by apps and bots (our own cards included) are not sales conversation.
    if (message.from?.application || !message.from?.user) {
      await this.settle(ref, log);
      return { outcome: 'ignored', written: 0, keys: [] };
    }

    const text = messageText(message.body?.content, message.body?.contentType);
    const rules = await directory.getRules();
    const all = matchRules(text, rules);
    // Above the API threshold only critical rules run now; the message waits for the others (parked, and
    // queued again when usage falls): "pause" means later, never skipped.
    const matches = this.deps.limits.criticalOnly ? all.filter((m) => m.rule.critical) : all;
    const deferred = matches.length < all.length;
    if (deferred) {
      await parkMessage(this.deps.pool, job);
      log().info(
        { deferredRules: all.length - matches.length },
        'non-critical rules deferred: API usage high',
      );
    }
    if (matches.length === 0) {
      if (deferred) return { outcome: 'deferred', written: 0, keys: [] };
      await this.settle(ref, log);
      return { outcome: 'no-match', written: 0, keys: [] };
    }

    const candidates = matches.map((match) => ({
      match,
      key: taskKey(job.teamId, job.channelId, messageId, match.rule.developerName),
    }));
    const claims = await claimKeys(
      this.deps.pool,
      candidates.map((c) => ({
        key: c.key,
        teamId: job.teamId,
        channelId: job.channelId,
        messageId,
        rule: c.match.rule.developerName,
      })),
      job.deliveryId,
      this.deps.claimLeaseSeconds,
    );
    const mine = candidates.filter((c) => ['claimed', 'reclaimed'].includes(claims.get(c.key) ?? ''));
    const allWritten = (writtenNow: string[]) =>
      !deferred && candidates.every((c) => claims.get(c.key) === 'written' || writtenNow.includes(c.key));
    if (mine.length === 0) {
      log().debug('every matching rule already has its Task (or another delivery is writing it)');
      if (allWritten([])) await this.settle(ref, log);
      return { outcome: 'duplicate', written: 0, keys: [] };
    }

    const sender = {
      id: message.from.user.id ?? null,
      name: message.from.user.displayName ?? 'Unknown sender',
    };
    const owner = await this.deps.owners.resolve(sender, link.recordId);
    const tasks = mine.map((c) =>
      buildTask({
        key: c.key,
        match: c.match,
        link,
        message,
        text,
        sender: { name: sender.name, email: owner.senderEmail },
        ownerId: owner.ownerId,
      }),
    );

    // A fresh claim means no earlier attempt wrote the Task: create it without looking it up first.
    const outcomes = await Promise.allSettled(
      tasks.map((t, i) => this.deps.writer.write(t, { mayExist: claims.get(mine[i]!.key) !== 'claimed' })),
    );
    const written: { key: string; taskId: string }[] = [];
    const errors: Error[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled')
        written.push({ key: mine[i]!.key, taskId: (o.value as TaskWriteResult).id });
      else errors.push(o.reason as Error);
    });
    if (written.length > 0) {
      await this.deps.hooks?.afterTaskWrite?.(written.map((w) => w.key));
      await markWritten(this.deps.pool, written);
      const seconds = (Date.now() - new Date(job.receivedAt).getTime()) / 1000;
      for (const c of mine.filter((m) => written.some((w) => w.key === m.key))) {
        this.deps.metrics?.endToEndLatency.observe({ rule_kind: c.match.rule.kind }, Math.max(seconds, 0));
      }
    }
    if (errors.length === 0 && allWritten(written.map((w) => w.key))) await this.settle(ref, log);
    if (errors.length > 0) {
      // Retrying is for what can succeed later; a limit pause wins over everything else.
      throw (
        errors.find((e) => e instanceof LimitExceededError) ??
        errors.find((e) => !(e instanceof PermanentError)) ??
        errors[0]!
      );
    }
    log().debug({ written: written.length, ownerHow: owner.how }, 'Tasks written');
    return {
      outcome: mine.length < candidates.length ? 'partial-duplicate' : 'tasks',
      written: written.length,
      keys: written.map((w) => w.key),
    };
  }

  /** The settled mark only spares later duplicates a fetch: failing to write it fails nothing. */
  private async settle(ref: MessageRef, log: () => Logger): Promise<void> {
    await markSettled(this.deps.pool, ref).catch((err: unknown) =>
      log().warn({ err }, 'marking the message settled failed: a repeated notification will fetch it again'),
    );
  }

  private async fetchMessage(job: InboundJob): Promise<GraphChatMessage | undefined> {
    try {
      return await this.deps.graph.getChannelMessage(job.teamId, job.channelId, job.messageId, job.replyToId);
    } catch (err) {
      if (graphStatus(err) === 404) return undefined;
      throw err;
    }
  }
}
