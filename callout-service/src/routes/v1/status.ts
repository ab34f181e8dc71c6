import { Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { DEPENDENCIES, type ReadinessProbe } from '../../ops/health.ts';
import type { Pool } from '../../store/database.ts';
import { INBOUND_QUEUE, queuedJobCount } from '../../store/queue.ts';
import { listSubscriptions, type SubscriptionRecord } from '../../store/subscriptions.ts';
import { teamsWithoutApp } from '../../outbound/app-install-status.ts';

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
      const [readiness, queueDepth, subscriptions, withoutApp] = await Promise.all([
        deps.probe.check(),
        queuedJobCount(deps.pool, INBOUND_QUEUE),
        listSubscriptions(deps.pool),
        teamsWithoutApp(deps.pool),
      ]);
      const problems = DEPENDENCIES.filter((k) => !readiness[k].ok).map(
        (k) => `${k}: ${readiness[k].error ?? 'failed'}`,
      );
      const account = readiness.graphServiceAccount;
      if (account?.reason) problems.push(`Graph service account: ${account.reason}`);
      res.json({
        healthy: readiness.ready,
        database: readiness.database.ok,
        // The contract has one Graph flag: Microsoft's side works only when both Entra ID and Graph answer.
        graph: readiness.graph.ok && readiness.entra.ok,
        salesforce: readiness.salesforce.ok,
        queueDepth,
        checkedAt: readiness.checkedAt,
        message: problems.length ? problems.join('; ') : 'all dependencies answer',
        subscriptions: subscriptions.map(subscriptionView),
        // Present when something posts as the Graph service account (null otherwise).
        graphServiceAccount: account
          ? {
              ok: account.ok,
              state: account.state,
              username: account.username,
              reason: account.reason,
              refreshTokenExpiresAt: account.refreshTokenExpiresAt,
              waitingItems: account.waitingItems,
            }
          : null,
        // Linked teams where posting as the bot fails until the Teams app is added (not part of `healthy`).
        teamsWithoutApp: withoutApp.map((t) => ({
          teamId: t.teamId,
          teamName: t.teamName,
          lastInstallAttempt: t.lastOutcome,
          nextInstallAttemptAt: t.nextAttemptAt?.toISOString() ?? null,
        })),
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
