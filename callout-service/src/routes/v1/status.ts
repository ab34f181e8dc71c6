import { Router } from 'express';
import type { PgBoss } from 'pg-boss';
import type { ReadinessProbe } from '../../ops/health.ts';
import type { Pool } from '../../store/database.ts';
import { INBOUND_QUEUE, queuedJobCount } from '../../store/queue.ts';
import { listSubscriptions, type SubscriptionRecord } from '../../store/subscriptions.ts';

/** A subscription as the API shows it (never its clientState). */
export function subscriptionView(s: SubscriptionRecord) {
  return {
    id: s.id,
    teamId: s.teamId,
    channelId: s.channelId,
    resource: s.resource,
    expiration: s.expiration?.toISOString() ?? null,
    status: s.status,
    lastNotificationAt: s.lastNotificationAt?.toISOString() ?? null,
    lastError: s.lastError,
  };
}

/** GET /v1/status: what the admin page shows as the service's health. */
export function statusRouter(deps: { pool: Pool; boss: PgBoss; probe: ReadinessProbe }): Router {
  const router = Router();
  router.get('/status', async (_req, res, next) => {
    try {
      const [readiness, queueDepth, subscriptions] = await Promise.all([
        deps.probe.check(),
        queuedJobCount(deps.pool, INBOUND_QUEUE),
        listSubscriptions(deps.pool),
      ]);
      const problems = (['database', 'graph', 'salesforce'] as const)
        .filter((k) => !readiness[k].ok)
        .map((k) => `${k}: ${readiness[k].error ?? 'failed'}`);
      res.json({
        healthy: readiness.ready,
        database: readiness.database.ok,
        graph: readiness.graph.ok,
        salesforce: readiness.salesforce.ok,
        queueDepth,
        checkedAt: readiness.checkedAt,
        message: problems.length ? problems.join('; ') : 'all dependencies answer',
        subscriptions: subscriptions.map(subscriptionView),
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
