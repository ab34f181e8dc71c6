import { Router } from 'express';
import type { SubscriptionRow } from '../../subscriptions/subscription-rows.ts';
import { subscriptionView } from './status.ts';

/** POST /v1/subscriptions/{id}/renew: renew now (a subscription Graph lost is recreated by the manager). */
export function subscriptionsRouter(deps: {
  renew: (id: string) => Promise<SubscriptionRow | undefined>;
}): Router {
  const router = Router();
  router.post('/subscriptions/:id/renew', async (req, res, next) => {
    try {
      const row = await deps.renew(req.params.id);
      if (!row) {
        res.status(404).json({
          error: {
            code: 'not_found',
            message: `no subscription ${req.params.id}: take the id from GET /v1/status`,
          },
        });
        return;
      }
      res.json(subscriptionView(row));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
