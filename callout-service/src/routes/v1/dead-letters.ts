import { Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { listDeadLetters, requeueDeadLetter } from '../../store/dead-letters.ts';
import type { Pool } from '../../store/database.ts';

function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw Object.assign(new Error(`${name} must be a whole number from ${min} to ${max}`), { status: 400 });
  }
  return n;
}

/** GET /v1/dead-letters and POST /v1/dead-letters/{id}/retry (the admin page's dead-letter list). */
export function deadLettersRouter(deps: { pool: Pool; boss: PgBoss }): Router {
  const router = Router();
  router.get('/dead-letters', async (req, res, next) => {
    try {
      const limit = intParam(req.query.limit, 'limit', 50, 1, 500);
      const offset = intParam(req.query.offset, 'offset', 0, 0, 1_000_000);
      const page = await listDeadLetters(deps.pool, { limit, offset });
      res.json({
        items: page.items.map((d) => ({
          id: d.id,
          queue: d.queue,
          error: d.error,
          payload: d.payload,
          failedAt: d.failedAt,
          attempts: d.attempts,
        })),
        total: page.total,
      });
    } catch (err) {
      next(err);
    }
  });
  router.post('/dead-letters/:id/retry', async (req, res, next) => {
    try {
      const result = await requeueDeadLetter(deps.pool, deps.boss, req.params.id);
      if (result.requeued) {
        res.status(202).json({ id: req.params.id, requeued: true });
      } else if (result.reason === 'already') {
        res.status(409).json({
          error: { code: 'already_requeued', message: `dead letter ${req.params.id} was already retried` },
        });
      } else {
        res.status(404).json({
          error: {
            code: 'not_found',
            message: `no dead letter ${req.params.id}: take the id from GET /v1/dead-letters`,
          },
        });
      }
    } catch (err) {
      next(err);
    }
  });
  return router;
}
