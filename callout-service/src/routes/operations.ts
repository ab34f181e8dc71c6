import { Router } from 'express';
import type { ServiceContext } from '../context.ts';
import { healthRouter } from '../ops/health.ts';
import { graphLifecycleRouter } from './graph-lifecycle.ts';
import { v1Router } from './v1/index.ts';

/** Health probes, Graph lifecycle notifications and the signed /v1 API, mounted by the app. */
export function operationsRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.use(healthRouter(ctx.readiness));
  router.use(
    graphLifecycleRouter({
      pool: ctx.db.pool,
      boss: ctx.boss,
      logger: ctx.logger,
      metrics: ctx.metrics,
      bodyLimit: ctx.config.http.notificationBodyLimit,
      onQueued: () => ctx.subscriptionManager.notify(),
    }),
  );
  router.use(
    v1Router({
      pool: ctx.db.pool,
      boss: ctx.boss,
      probe: ctx.readiness,
      jwt: ctx.config.api.jwt,
      bodyLimit: ctx.config.api.bodyLimit,
      renewSubscription: (id) => ctx.subscriptionManager.renew(id),
      graph: ctx.graph,
      outbound: ctx.outbound,
      transcripts: ctx.transcripts?.handler,
    }),
  );
  return router;
}
