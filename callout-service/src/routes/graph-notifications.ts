import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { PgBoss } from 'pg-boss';
import {
  asChatMessage,
  clientStateMatches,
  decryptNotificationContent,
  parseChannelMessageResource,
  type ChangeNotification,
  type ValidationTokenVerifier,
} from '../graph/notifications.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Pool } from '../store/database.ts';
import { getSubscriptions, markNotified, type SubscriptionRecord } from '../store/subscriptions.ts';
import { JobInserter, newInboundJob, type InboundJob } from '../inbound/job.ts';
import type { TranscriptIntake } from '../transcripts/intake.ts';
import { echoValidationToken } from './validation-token.ts';
import { readNotificationBody } from './notification-body.ts';

export interface GraphNotificationsDeps {
  pool: Pool;
  boss: PgBoss;
  logger: Logger;
  metrics: Metrics;
  verifier: ValidationTokenVerifier;
  /** PEM of the certificate key rich notifications are encrypted for; without it content is fetched. */
  notificationPrivateKey: string | undefined;
  bodyLimit: string;
  /** Called after jobs were queued (wakes the local worker). */
  onQueued?: () => void;
  /** Meeting transcript notifications (getAllTranscripts) share this URL and go to their own queue. */
  transcripts?: TranscriptIntake;
}

type Rejection =
  | 'unknown-subscription'
  | 'client-state'
  | 'unsupported-resource'
  | 'validation-token'
  | 'lifecycle'
  | 'change-type';

/**
 * POST /graph/notifications — Graph change notifications for channel messages.
 * Validation requests get their token echoed as text/plain. Notifications are checked (subscription known,
 * clientState equal to that subscription's secret, validation tokens for rich notifications) and written as
 * one job each in a single insert; the answer is 202 once they are in PostgreSQL. Nothing here calls Graph or
 * Salesforce. Rejected notifications are counted and logged by id only.
 */
export function graphNotificationsRouter(deps: GraphNotificationsDeps): Router {
  const router = express.Router();
  const subscriptions = new SubscriptionCache(deps);
  // Inserts go through the pool the caller reserves for ingestion, never waiting behind the worker's queries.
  const inserter = new JobInserter(deps.boss, deps.metrics, {
    executeSql: async (text: string, values: unknown[]) => await deps.pool.query(text, values),
  });

  router.post('/graph/notifications', echoValidationToken);

  router.post(
    '/graph/notifications',
    express.json({ limit: deps.bodyLimit, type: () => true, strict: true }),
    async (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      try {
        const body = readNotificationBody(req, res, 'change-notification');
        if (!body) return;
        const { value, validationTokens } = body;
        deps.metrics.notificationsReceived.inc({ kind: 'change' }, value.length);
        const transcripts = deps.transcripts ? await deps.transcripts.accept(value) : undefined;
        const jobs = await toJobs(transcripts?.rest ?? value, validationTokens, deps, subscriptions);
        await Promise.all([
          inserter.enqueue(jobs.jobs),
          transcripts && deps.transcripts!.enqueue(transcripts.jobs),
        ]);
        res.status(202).end();
        subscriptions.notified(jobs.subscriptionIds);
        if (jobs.jobs.length > 0) deps.onQueued?.();
      } catch (err) {
        next(err);
      } finally {
        deps.metrics.webhookDuration.observe(
          { route: 'notifications' },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      }
    },
  );

  return router;
}

/**
 * Subscriptions by id, kept for a few seconds (unknown ids are always looked up again), and the "last
 * notification" time written at most every few seconds per subscription, after the answer: at hundreds of
 * notifications a second the webhook then costs one database round trip per request, the job insert.
 */
class SubscriptionCache {
  private readonly entries = new Map<string, { at: number; record: SubscriptionRecord }>();
  private readonly lastMarked = new Map<string, number>();

  constructor(
    private readonly deps: GraphNotificationsDeps,
    private readonly ttlMs = 10_000,
    private readonly markEveryMs = 5_000,
  ) {}

  async get(ids: string[]): Promise<Map<string, SubscriptionRecord>> {
    const now = Date.now();
    const found = new Map<string, SubscriptionRecord>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.entries.get(id);
      if (hit && now - hit.at < this.ttlMs) found.set(id, hit.record);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, record] of await getSubscriptions(this.deps.pool, missing)) {
        found.set(id, record);
        this.entries.set(id, { at: now, record });
      }
      if (this.entries.size > 10_000) this.entries.clear();
    }
    return found;
  }

  notified(ids: string[]): void {
    const now = Date.now();
    const due = ids.filter((id) => now - (this.lastMarked.get(id) ?? 0) >= this.markEveryMs);
    if (due.length === 0) return;
    for (const id of due) this.lastMarked.set(id, now);
    markNotified(this.deps.pool, due, new Date(now)).catch((err: unknown) =>
      this.deps.logger.warn({ err }, 'recording the last notification time failed'),
    );
  }
}

async function toJobs(
  notifications: ChangeNotification[],
  validationTokens: string[] | undefined,
  deps: GraphNotificationsDeps,
  cache: SubscriptionCache,
): Promise<{ jobs: InboundJob[]; subscriptionIds: string[] }> {
  const reject = (n: ChangeNotification, reason: Rejection) => {
    deps.metrics.notificationsRejected.inc({ reason });
    deps.logger.warn(
      { subscriptionId: n.subscriptionId, changeType: n.changeType, reason },
      'change notification discarded',
    );
  };
  const subscriptions = await cache.get([...new Set(notifications.map((n) => n.subscriptionId))]);

  // Rich notifications are trusted only with valid validation tokens (checked once per request).
  let tokensValid: boolean | undefined;
  const richTrusted = async (): Promise<boolean> => {
    if (tokensValid === undefined) {
      try {
        await deps.verifier.verifyAll(validationTokens);
        tokensValid = true;
      } catch (err) {
        deps.logger.warn({ reason: (err as Error).message }, 'rich notification validation tokens rejected');
        tokensValid = false;
      }
    }
    return tokensValid;
  };

  const jobs: InboundJob[] = [];
  const accepted = new Set<string>();
  for (const n of notifications) {
    const subscription = subscriptions.get(n.subscriptionId);
    if (n.lifecycleEvent) {
      reject(n, 'lifecycle');
      continue;
    }
    if (!subscription) {
      reject(n, 'unknown-subscription');
      continue;
    }
    if (!clientStateMatches(n.clientState, subscription.clientState)) {
      reject(n, 'client-state');
      continue;
    }
    accepted.add(subscription.id);
    if (n.changeType && n.changeType !== 'created' && n.changeType !== 'updated') {
      reject(n, 'change-type');
      continue;
    }
    const ref = n.resource ? parseChannelMessageResource(n.resource) : undefined;
    if (!ref || !sameChannel(ref, subscription)) {
      reject(n, 'unsupported-resource');
      continue;
    }
    let message: InboundJob['message'];
    if (n.encryptedContent) {
      if (!(await richTrusted())) {
        reject(n, 'validation-token');
        continue;
      }
      if (deps.notificationPrivateKey) {
        try {
          message = asChatMessage(
            decryptNotificationContent(n.encryptedContent, deps.notificationPrivateKey),
          );
        } catch (err) {
          // The message is fetched instead; the notification itself was authentic.
          deps.logger.warn(
            { subscriptionId: n.subscriptionId, reason: (err as Error).message },
            'decryption failed',
          );
        }
      }
    }
    jobs.push(
      newInboundJob({
        source: 'notification',
        subscriptionId: subscription.id,
        changeType: n.changeType,
        tenantId: n.tenantId,
        teamId: ref.teamId,
        channelId: ref.channelId,
        messageId: ref.messageId,
        replyToId: ref.replyToId,
        ...(message ? { message } : {}),
      }),
    );
  }
  return { jobs, subscriptionIds: [...accepted] };
}

/** The notification's resource must be the subscription's own channel (GUIDs compared without case). */
function sameChannel(
  ref: { teamId: string; channelId: string },
  subscription: { teamId: string; channelId: string },
): boolean {
  return (
    ref.teamId.toLowerCase() === subscription.teamId.toLowerCase() && ref.channelId === subscription.channelId
  );
}
