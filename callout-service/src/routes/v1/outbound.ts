import { Router } from 'express';
import { acceptOutboundItems, outboundBatchSchema } from '../../outbound/outbound-items.ts';
import type { Pool } from '../../store/database.ts';

/** POST /v1/outbound: a batch from the Salesforce outbound Queueable, accepted once per idempotency key. */
export function outboundRouter(deps: { pool: Pool; onAccepted?: () => void }): Router {
  const router = Router();
  router.post('/outbound', async (req, res, next) => {
    const parsed = outboundBatchSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({
        error: {
          code: 'invalid_outbound_batch',
          message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'} (expected { "items": [ { "idempotencyKey", "kind", "recordId", "payload" } ] })`,
        },
      });
      return;
    }
    try {
      const result = await acceptOutboundItems(deps.pool, parsed.data.items);
      res.status(202).json(result);
      if (result.accepted > 0) deps.onAccepted?.();
    } catch (err) {
      next(err);
    }
  });
  return router;
}
