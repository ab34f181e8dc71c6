import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ServiceContext } from './context.ts';
import { graphNotificationsRouter } from './routes/graph-notifications.ts';
import { metricsRouter } from './routes/metrics.ts';
import { operationsRouter } from './routes/operations.ts';

/** Maps body-parser failures and anything thrown to `{ error: { code, message } }` without echoing input. */
function errorHandler(ctx: ServiceContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (e?.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'malformed_json', message: `request body is not valid JSON: ${e.message}` } });
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json({
        error: {
          code: 'body_too_large',
          message: `request body exceeds the limit of ${e.limit ?? '?'} bytes`,
        },
      });
      return;
    }
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      res
        .status(415)
        .json({ error: { code: 'unsupported_encoding', message: e.message ?? 'unsupported encoding' } });
      return;
    }
    const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    if (status === 500) ctx.logger.error({ err, path: req.path }, 'request failed');
    res.status(status).json({
      error: {
        code: status === 500 ? 'internal_error' : 'bad_request',
        message: status === 500 ? 'internal error' : (e.message ?? 'bad request'),
      },
    });
  };
}

/** The express app: routes and error handling only. */
export function createApp(ctx: ServiceContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.use(
    graphNotificationsRouter({
      pool: ctx.db.ingestPool,
      boss: ctx.boss,
      logger: ctx.logger,
      metrics: ctx.metrics,
      verifier: ctx.notificationVerifier,
      notificationPrivateKey: ctx.config.graph.notificationPrivateKey,
      bodyLimit: ctx.config.http.notificationBodyLimit,
      onQueued: () => ctx.inboundWorker?.notify(),
      transcripts: ctx.transcripts?.intake,
    }),
  );

  // The bot's messaging endpoint: the Teams SDK authenticates each activity (Bot Framework JWT).
  app.use(ctx.outbound.bot.adapter.router());

  app.use(operationsRouter(ctx));

  app.use(metricsRouter({ registry: ctx.metrics.registry, bearerToken: ctx.config.metrics.bearerToken }));

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
  });
  app.use(errorHandler(ctx));
  return app;
}
