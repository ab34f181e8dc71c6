import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from '@prometheus-io/client';

const digest = (v: string) => createHash('sha256').update(v).digest();

/** True when the header carries `Bearer <token>`; compared in constant time (hashes of equal length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && !!match;
}

/** GET /metrics: the Prometheus text format, behind a bearer token when one is configured. */
export function metricsRouter(deps: { registry: Registry; bearerToken?: string }): Router {
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (deps.bearerToken !== undefined && !bearerMatches(req.get('authorization'), deps.bearerToken)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({
          error: { code: 'unauthorized', message: 'send Authorization: Bearer <METRICS_BEARER_TOKEN>' },
        });
      return;
    }
    try {
      res.type(deps.registry.contentType).send(await deps.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
