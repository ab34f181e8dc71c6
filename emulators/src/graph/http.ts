/** The express app: request log, faults, Entra routes, Graph v1.0 routes, control API, error handling. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { authenticate } from './auth.ts';
import type { EmulatorContext } from './context.ts';
import type { GraphControl } from './control.ts';
import { entraRouter } from './entra.ts';
import type { EntraState } from './entra.ts';
import { GraphError, TokenError, sendGraphError } from './errors.ts';
import { shouldApply } from './faults.ts';
import type { LoggedRequest } from './request-log.ts';
import { subscriptionsRouter } from './subscriptions.ts';
import type { Subscriptions } from './subscriptions.ts';
import { teamsRouter } from './teams-api.ts';
import { usersRouter } from './users-api.ts';
import type { BotState } from './bot/bot-state.ts';
import { CONNECTOR_PATH, connectorRouter } from './bot/connector.ts';
import { installedAppsRouter } from './bot/installed-apps.ts';
import { WORKFLOWS_PATH, workflowsRouter, type WorkflowsState } from './workflows.ts';

function areaOf(path: string): LoggedRequest['area'] {
  if (path.startsWith('/v1.0/') || path.startsWith('/beta/')) return 'graph';
  if (path.startsWith('/_control')) return 'control';
  if (/oauth2|discovery|openid-configuration|devicelogin/.test(path)) return 'entra';
  return 'other';
}

function faultMiddleware(ctx: EmulatorContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const area = areaOf(req.path);
    const faults = ctx.faults;
    const targeted =
      (area === 'graph' || area === 'entra') &&
      (faults.target === 'all' || faults.target === area) &&
      (!faults.pathContains || req.path.includes(faults.pathContains));
    if (!targeted) return next();
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (!shouldApply(faults, 'failNext', 'errorRate')) return next();
    const status = faults.errorStatus;
    res.locals.fault = `injected ${status}`;
    res.setHeader('Retry-After', String(faults.retryAfterSeconds));
    if (area === 'entra') {
      const error = new TokenError(
        status,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
      );
      res.status(status).json(error.body());
      return;
    }
    const code =
      status === 429
        ? 'TooManyRequests'
        : status === 503
          ? 'ServiceUnavailable'
          : status === 504
            ? 'GatewayTimeout'
            : 'InternalServerError';
    sendGraphError(
      req,
      res,
      new GraphError(
        status,
        code,
        `Injected fault: the service answered ${status}. Retry after ${faults.retryAfterSeconds} s.`,
      ),
    );
  };
}

export function createHttpApp(
  ctx: EmulatorContext,
  entra: EntraState,
  subscriptions: Subscriptions,
  control: GraphControl,
  bot: BotState,
  workflows: WorkflowsState,
) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const started = Date.now();
    const requestId = randomUUID();
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', req.header('client-request-id') ?? requestId);
    res.on('finish', () => {
      ctx.requestLog.add({
        at: new Date(started).toISOString(),
        method: req.method,
        path: req.originalUrl.split('?')[0]!,
        status: res.statusCode,
        durationMs: Date.now() - started,
        area: areaOf(req.path),
        clientId: res.locals.clientId as string | undefined,
        userId: res.locals.userId as string | undefined,
        fault: res.locals.fault as string | undefined,
      });
    });
    next();
  });
  app.use(faultMiddleware(ctx));
  app.use('/', entraRouter(ctx, entra));

  const graph = express.Router();
  graph.use(express.json({ limit: '1mb' }));
  graph.use(authenticate(ctx));
  graph.use(teamsRouter(ctx));
  graph.use(installedAppsRouter(ctx, bot));
  graph.use(usersRouter(ctx));
  graph.use(subscriptionsRouter(ctx, subscriptions));
  graph.use((req, _res, next) => {
    next(
      new GraphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${req.path.split('/').filter(Boolean).pop() ?? ''}'.`,
      ),
    );
  });
  app.use('/v1.0', graph);
  app.use(CONNECTOR_PATH, connectorRouter(ctx, bot));
  app.use(WORKFLOWS_PATH, workflowsRouter(ctx, workflows));

  app.use('/_control', express.json({ limit: '5mb' }), controlRouter(control));

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof GraphError) return sendGraphError(req, res, error);
    const status = (error as { status?: number; type?: string }).status;
    if (status === 400 || status === 413) {
      return sendGraphError(
        req,
        res,
        new GraphError(status, 'BadRequest', `Invalid request body: ${(error as Error).message}`),
      );
    }
    ctx.options.log(`unexpected error on ${req.method} ${req.path}: ${(error as Error).message}`);
    sendGraphError(req, res, new GraphError(500, 'InternalServerError', (error as Error).message));
  });
  return app;
}

/** `GET|POST /_control/{operation}`: arguments from the JSON body (POST) or the query string (GET). */
function controlRouter(control: GraphControl) {
  const router = express.Router();
  const operations = control as unknown as Record<string, (input?: unknown) => unknown>;
  router.all('/:operation', async (req, res) => {
    const name = req.params.operation!;
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (typeof operation !== 'function') {
      res.status(404).json({
        error: {
          code: 'UnknownOperation',
          message: `No control operation '${name}'. Known: ${Object.keys(operations).join(', ')}.`,
        },
      });
      return;
    }
    try {
      const input = req.method === 'GET' ? { ...req.query } : req.body;
      const result = await operation(input && Object.keys(input).length > 0 ? input : undefined);
      res.json(result ?? { ok: true });
    } catch (error) {
      const graphError = error instanceof GraphError ? error : undefined;
      res
        .status(graphError?.status ?? 400)
        .json({ error: { code: graphError?.code ?? 'BadRequest', message: (error as Error).message } });
    }
  });
  return router;
}
