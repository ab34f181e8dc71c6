import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OrgContext } from './context.ts';
import { SalesforceApiError } from './errors.ts';
import { limitInfoHeader } from './limits.ts';
import { userById } from './context.ts';
import { handleTokenRequest, identity, userInfo } from './oauth.ts';
import { handleApi } from './rest-api.ts';
import { isSupportedVersion, versionList } from './versions.ts';
import type { Session } from './sessions.ts';

// The HTTP face of the stand-in: the OAuth endpoints, /services/data and the control routes.

const MAX_LOG = 10_000;
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

type AsyncHandler = (req: Request, res: Response) => Promise<void>;
const wrap =
  (fn: AsyncHandler) =>
  (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch(next);
  };

function bearer(req: Request): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1]?.trim();
}

function logRequests(ctx: OrgContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = Date.now();
    res.on('finish', () => {
      ctx.requestLog.push({
        at: new Date(started).toISOString(),
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        durationMs: Date.now() - started,
        userId: res.locals.userId as string | undefined,
        apiCall: res.locals.apiCall === true,
      });
      if (ctx.requestLog.length > MAX_LOG) ctx.requestLog.splice(0, ctx.requestLog.length - MAX_LOG);
    });
    next();
  };
}

function injectedError(ctx: OrgContext): SalesforceApiError | undefined {
  const f = ctx.faults;
  const fire = f.failNext > 0 || (f.errorRate > 0 && Math.random() < f.errorRate);
  if (!fire) return undefined;
  if (f.failNext > 0) f.failNext -= 1;
  return f.errorStatus === 503
    ? new SalesforceApiError(
        503,
        'SERVER_UNAVAILABLE',
        'Server temporarily unavailable. Please try again later.',
      )
    : new SalesforceApiError(
        f.errorStatus,
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
      );
}

export function createApp(ctx: OrgContext, controlRouter: express.Router): express.Express {
  const app = express();
  // Salesforce serves `//services/...` as `/services/...`: the sf CLI saves an instance URL ending in "/"
  // (`sf org login access-token` keeps `new URL(...).href`) and joins paths onto it.
  app.use((req, _res, next) => {
    const query = req.url.indexOf('?');
    const path = query < 0 ? req.url : req.url.slice(0, query);
    if (path.includes('//')) req.url = path.replace(/\/{2,}/g, '/') + (query < 0 ? '' : req.url.slice(query));
    next();
  });
  app.disable('x-powered-by');
  // Control calls stay out of the request log, which shows what API clients did.
  app.use('/_control', controlRouter);
  app.use(logRequests(ctx));

  app.post(
    '/services/oauth2/token',
    express.urlencoded({ extended: false }),
    wrap(async (req, res) => {
      if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
      const answer = await handleTokenRequest(ctx, (req.body ?? {}) as Record<string, string>);
      res.status(answer.status).set('Cache-Control', 'no-store').json(answer.body);
    }),
  );

  app.post('/services/oauth2/revoke', express.urlencoded({ extended: false }), (req, res) => {
    const token = (req.body as Record<string, string> | undefined)?.token;
    const session = token ? ctx.sessions.use(token) : undefined;
    const grant = token ? ctx.sessions.refreshGrant(token) : undefined;
    if (!session && !grant) {
      res
        .status(400)
        .json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
      return;
    }
    if (session) ctx.sessions.expire(session.userId);
    if (grant) ctx.sessions.revoke(grant.userId);
    res.status(200).end();
  });

  app.get('/services/oauth2/userinfo', (req, res) => {
    const session = ctx.sessions.use(bearer(req) ?? '');
    if (!session) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    res.json(userInfo(ctx, session.userId));
  });

  // The identity URL returned as `id` by the token endpoint (jsforce's conn.identity()).
  app.get('/id/:orgId/:userId', (req, res) => {
    const session = ctx.sessions.use(bearer(req) ?? '');
    if (!session) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    if (req.params.orgId !== ctx.orgId || !userById(ctx, String(req.params.userId))) {
      res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return;
    }
    res.json(identity(ctx, String(req.params.userId)));
  });

  app.get('/services/data', (_req, res) => {
    res.json(versionList());
  });

  app.all(
    /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/,
    express.text({ type: () => true, limit: '50mb' }),
    wrap(async (req, res) => {
      if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
      const params = req.params as unknown as Record<string, string | undefined>;
      const version = params[0] ?? '';
      const path = params[1] ?? '';
      if (!isSupportedVersion(version)) {
        res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
        return;
      }
      const session: Session | undefined = ctx.sessions.use(bearer(req) ?? '');
      if (!session) {
        res.status(401).json(INVALID_SESSION);
        return;
      }
      res.locals.userId = session.userId;
      if (ctx.limits.used >= ctx.limits.dailyApiRequests) {
        res
          .status(403)
          .set('Sforce-Limit-Info', limitInfoHeader(ctx))
          .json([{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
        return;
      }
      ctx.limits.used += 1;
      res.locals.apiCall = true;
      res.set('Sforce-Limit-Info', limitInfoHeader(ctx));
      const injected = injectedError(ctx);
      if (injected) {
        if (ctx.faults.retryAfterSeconds !== undefined)
          res.set('Retry-After', String(ctx.faults.retryAfterSeconds));
        res.status(injected.status).json(injected.toBody());
        return;
      }
      let body: unknown;
      const raw = typeof req.body === 'string' ? req.body : '';
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch (err) {
          res.status(400).json([
            {
              errorCode: 'JSON_PARSER_ERROR',
              message: `Unexpected character in the request body: ${(err as Error).message}`,
            },
          ]);
          return;
        }
      }
      try {
        const answer = handleApi(ctx, {
          method: req.method,
          path,
          version,
          query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
          body,
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
          ),
          userId: session.userId,
        });
        res.status(answer.status).set(answer.headers ?? {});
        if (answer.status === 204 || answer.body === undefined) res.end();
        else res.json(answer.body);
      } catch (err) {
        if (err instanceof SalesforceApiError) {
          res.status(err.status).json(err.toBody());
          return;
        }
        throw err;
      }
    }),
  );

  app.use((req: Request, res: Response) => {
    res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    console.error('salesforce stand-in: unexpected error', err.stack ?? err.message);
    res
      .status(500)
      .json([{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${err.message}` }]);
  });
  return app;
}
