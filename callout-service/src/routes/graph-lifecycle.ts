import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { clientStateMatches } from '../graph/notifications.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Pool } from '../store/database.ts';
import { getSubscriptions } from '../store/subscriptions.ts';
import {
  HANDLED_LIFECYCLE_EVENTS,
  enqueueLifecycleJobs,
  type LifecycleJob,
} from '../subscriptions/lifecycle-queue.ts';
import { echoValidationToken } from './validation-token.ts';
import { readNotificationBody } from './notification-body.ts';

export interface GraphLifecycleDeps {
  pool: Pool;
  boss: PgBoss;
  logger: Logger;
  metrics: Metrics;
  bodyLimit: string;
  /** Wakes the local subscription manager (the leader, wherever it runs, also polls the queue). */
  onQueued?: () => void;
}

/**
 * POST /graph/lifecycle — Graph's lifecycle notifications (the subscription's lifecycleNotificationUrl).
 * Validation requests get their token echoed. Each event is checked like a change notification (known
 * subscription, its own clientState, constant-time) and queued for the subscription manager, which runs on
 * one replica: reauthorizationRequired renews (and so reauthorizes), subscriptionRemoved recreates and
 * backfills, missed backfills. Other events are logged. The answer (202) never waits for Graph.
 */
export function graphLifecycleRouter(deps: GraphLifecycleDeps): Router {
  const router = express.Router();

  router.post('/graph/lifecycle', echoValidationToken);

  router.post(
    '/graph/lifecycle',
    express.json({ limit: deps.bodyLimit, type: () => true, strict: true }),
    async (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      try {
        const body = readNotificationBody(req, res, 'lifecycle-notification');
        if (!body) return;
        const events = body.value;
        deps.metrics.notificationsReceived.inc({ kind: 'lifecycle' }, events.length);
        const subscriptions = await getSubscriptions(deps.pool, [
          ...new Set(events.map((e) => e.subscriptionId)),
        ]);
        const jobs: LifecycleJob[] = [];
        for (const e of events) {
          const subscription = subscriptions.get(e.subscriptionId);
          const reason = !subscription
            ? 'unknown-subscription'
            : !clientStateMatches(e.clientState, subscription.clientState)
              ? 'client-state'
              : !e.lifecycleEvent
                ? 'not-lifecycle'
                : undefined;
          if (reason) {
            deps.metrics.notificationsRejected.inc({ reason: `lifecycle-${reason}` });
            deps.logger.warn(
              { subscriptionId: e.subscriptionId, reason },
              'lifecycle notification discarded',
            );
            continue;
          }
          const lifecycleEvent = e.lifecycleEvent!;
          if (!HANDLED_LIFECYCLE_EVENTS.has(lifecycleEvent)) {
            deps.logger.info({ subscriptionId: e.subscriptionId, lifecycleEvent }, 'lifecycle event noted');
            continue;
          }
          deps.logger.info({ subscriptionId: e.subscriptionId, lifecycleEvent }, 'lifecycle event queued');
          jobs.push({
            subscriptionId: e.subscriptionId,
            lifecycleEvent,
            receivedAt: new Date().toISOString(),
          });
        }
        await enqueueLifecycleJobs(deps.boss, jobs);
        res.status(202).end();
        if (jobs.length > 0) deps.onQueued?.();
      } catch (err) {
        next(err);
      } finally {
        deps.metrics.webhookDuration.observe(
          { route: 'lifecycle' },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      }
    },
  );
  return router;
}
