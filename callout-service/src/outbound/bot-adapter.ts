/**
 * Lets the Teams SDK's HttpServer (token validation, activity routing, invoke responses) serve its messaging
 * endpoint from the service's own express app, instead of starting a second server: the SDK's documented
 * transport seam (`IHttpServerAdapter`).
 */
import express, { type Router } from 'express';
import type { HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';

export class ServiceRouterAdapter implements IHttpServerAdapter {
  private handler: HttpRouteHandler | undefined;

  constructor(
    private readonly path: string,
    private readonly bodyLimit: string,
  ) {}

  registerRoute(method: 'POST', path: string, handler: HttpRouteHandler): void {
    if (method === 'POST' && path === this.path) this.handler = handler;
  }

  router(): Router {
    const router = express.Router();
    router.post(this.path, express.json({ limit: this.bodyLimit }), (req, res, next) => {
      const handler = this.handler;
      if (!handler) {
        res.status(503).json({ error: { code: 'bot_not_ready', message: 'the bot is starting' } });
        return;
      }
      handler({ body: req.body as unknown, headers: req.headers as Record<string, string | string[]> }).then(
        (answer) => {
          if (answer.body === undefined) res.status(answer.status).end();
          else res.status(answer.status).json(answer.body);
        },
        next,
      );
    });
    return router;
  }
}
