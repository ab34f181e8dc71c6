import express from 'express';
import type { Request, Response } from 'express';
import type { Faults, OrgContext, RequestLogEntry } from './context.ts';
import { noFaults, userByUsername } from './context.ts';
import type { PublishedEvent } from './dml.ts';
import { RecordValidationError, SalesforceApiError } from './errors.ts';
import type { SObjectRecord } from './org-data.ts';
import { runQuery } from './soql/run-query.ts';
import type { QueryResult } from './soql/run-query.ts';

// The control API: what tests, the sandbox and the benchmark use to arrange and observe the org. The
// in-process object and the HTTP routes under /_control call the same functions.

export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SalesforceControl {
  /** Inserts records with every check the API applies (read-only fields such as CreatedDate may be set). */
  seed(sobject: string, records: SObjectRecord | SObjectRecord[]): string[];
  /** All records of an sObject (copies). */
  records(sobject: string): SObjectRecord[];
  record(id: string): SObjectRecord | undefined;
  /** Updates one record as its owner's save in the UI would (no API call counted); every field check applies. */
  update(sobject: string, id: string, fields: SObjectRecord): void;
  /** Runs SOQL without counting against the API allocation. */
  query(soql: string): QueryResult;
  setPassword(username: string, password: string): void;
  /** Replaces a user's system permissions (what their profile and permission sets grant). */
  setUserPermissions(username: string, permissions: string[]): void;
  userPermissions(username: string): string[];
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Platform events published through the API (all, or one event type). */
  platformEvents(sobject?: string): PublishedEvent[];
  setFaults(faults: Partial<Faults>): Faults;
  clearFaults(): void;
  /** The next `times` updates of the sObject's records answer UNABLE_TO_LOCK_ROW (another save holds them). */
  lockUpdates(sobject: string, times: number): void;
  setLimits(limits: { dailyApiRequests?: number; used?: number }): { dailyApiRequests: number; used: number };
  /** Uses up the daily allocation: the next API call answers REQUEST_LIMIT_EXCEEDED. */
  exhaustApiLimit(): void;
  /** Ends sessions now (all, or one user's). Returns how many ended. */
  expireSessions(username?: string): number;
  /** Revokes refresh tokens and sessions (all, or one user's). */
  revokeTokens(username?: string): number;
  setSessionLifetime(seconds: number): void;
  /** Stands in for a user approving the connected app in a browser: a code for the authorization_code grant. */
  createAuthorizationCode(username: string): string;
  /** Back to the state at start: records re-seeded, sessions, faults, limits and logs cleared. */
  reset(): void;
}

export function createControl(
  ctx: OrgContext,
  seedOrg: () => void,
  defaultLimits: { dailyApiRequests: number },
): SalesforceControl {
  const object = (name: string) => {
    const o = ctx.data.object(name);
    if (!o) throw new ControlError('UNKNOWN_SOBJECT', `no sObject named ${name} in the stand-in's schema`);
    return o;
  };
  const userId = (username: string): string => {
    const u = userByUsername(ctx, username);
    if (!u) throw new ControlError('UNKNOWN_USER', `no user with username ${username}`);
    return String(u.Id);
  };
  const control: SalesforceControl = {
    setUserPermissions(username, permissions) {
      ctx.permissions.set(userId(username), permissions);
    },
    userPermissions(username) {
      return ctx.permissions.of(userId(username));
    },
    seed(sobject, records) {
      const list = Array.isArray(records) ? records : [records];
      const o = object(sobject);
      const users = ctx.data.all(object('User'));
      const actor = users.length > 0 ? String(users[0]!.Id) : '';
      return list.map((r, i) => {
        try {
          return ctx.dml.insert(o.name, r, { userId: actor, system: true });
        } catch (err) {
          if (err instanceof RecordValidationError || err instanceof SalesforceApiError) {
            throw new ControlError('INVALID_RECORD', `${o.name} record ${i}: ${err.message}`);
          }
          throw err;
        }
      });
    },
    records: (sobject) => ctx.data.all(object(sobject)).map((r) => ({ ...r })),
    record: (id) => {
      const found = ctx.data.byId(id);
      return found ? { ...found.record } : undefined;
    },
    update(sobject, id, fields) {
      const o = object(sobject);
      const users = ctx.data.all(object('User'));
      try {
        ctx.dml.update(o.name, id, fields, { userId: users.length > 0 ? String(users[0]!.Id) : '' });
      } catch (err) {
        if (err instanceof RecordValidationError || err instanceof SalesforceApiError) {
          throw new ControlError('INVALID_RECORD', `${o.name} ${id}: ${err.message}`);
        }
        throw err;
      }
    },
    query: (soql) => runQuery(ctx.data, soql, ctx.apiVersion),
    setPassword(username, password) {
      userId(username);
      ctx.passwords.set(username.toLowerCase(), password);
    },
    requests: () => ctx.requestLog.map((e) => ({ ...e })),
    clearRequests: () => void ctx.requestLog.splice(0),
    platformEvents: (sobject) =>
      ctx.dml.events
        .filter((e) => !sobject || e.sobject.toLowerCase() === sobject.toLowerCase())
        .map((e) => ({ ...e })),
    setFaults(faults) {
      if (faults.errorRate !== undefined && (faults.errorRate < 0 || faults.errorRate > 1)) {
        throw new ControlError('INVALID_FAULT', 'errorRate must be between 0 and 1');
      }
      if (faults.errorStatus !== undefined && (faults.errorStatus < 400 || faults.errorStatus > 599)) {
        throw new ControlError('INVALID_FAULT', 'errorStatus must be an HTTP error status (400-599)');
      }
      if (
        faults.tokenEndpoint !== undefined &&
        faults.tokenEndpoint !== null &&
        !['ip_restricted', 'invalid_login'].includes(faults.tokenEndpoint)
      ) {
        throw new ControlError(
          'INVALID_FAULT',
          "tokenEndpoint must be 'ip_restricted', 'invalid_login' or null",
        );
      }
      Object.assign(ctx.faults, faults);
      if (faults.tokenEndpoint === null) delete ctx.faults.tokenEndpoint;
      return { ...ctx.faults };
    },
    clearFaults() {
      Object.assign(ctx.faults, noFaults(), { tokenEndpoint: undefined, retryAfterSeconds: undefined });
      ctx.dml.lockedUpdates.clear();
    },
    lockUpdates(sobject, times) {
      if (!Number.isInteger(times) || times < 0) {
        throw new ControlError('INVALID_FAULT', 'times must be a whole number of updates (0 or more)');
      }
      ctx.dml.lockedUpdates.set(object(sobject).name, times);
    },
    setLimits(limits) {
      if (limits.dailyApiRequests !== undefined) ctx.limits.dailyApiRequests = limits.dailyApiRequests;
      if (limits.used !== undefined) ctx.limits.used = limits.used;
      return { ...ctx.limits };
    },
    exhaustApiLimit: () => void (ctx.limits.used = ctx.limits.dailyApiRequests),
    expireSessions: (username) => ctx.sessions.expire(username === undefined ? undefined : userId(username)),
    revokeTokens: (username) => ctx.sessions.revoke(username === undefined ? undefined : userId(username)),
    setSessionLifetime(seconds) {
      if (!(seconds > 0))
        throw new ControlError(
          'INVALID_LIFETIME',
          'the session lifetime must be a positive number of seconds',
        );
      ctx.sessions.lifetimeMs = seconds * 1000;
    },
    createAuthorizationCode: (username) => ctx.sessions.issueCode(userId(username)),
    reset() {
      ctx.dml.lockedUpdates.clear();
      ctx.data.clear();
      ctx.sessions.clear();
      ctx.dml.events.splice(0);
      ctx.requestLog.splice(0);
      ctx.cursors.clear();
      ctx.passwords.clear();
      control.clearFaults();
      ctx.limits.used = 0;
      ctx.limits.dailyApiRequests = defaultLimits.dailyApiRequests;
      seedOrg();
    },
  };
  return control;
}

/** HTTP routes for the same operations; see README.md in this folder. */
export function controlRouter(control: SalesforceControl): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '50mb' }));
  const route =
    (fn: (req: Request) => unknown, status = 200) =>
    (req: Request, res: Response): void => {
      try {
        const result = fn(req);
        if (result === undefined) res.status(204).end();
        else res.status(status).json(result);
      } catch (err) {
        if (err instanceof ControlError)
          res.status(400).json({ error: { code: err.code, message: err.message } });
        else if (err instanceof SalesforceApiError)
          res.status(400).json({ error: { code: err.errorCode, message: err.message } });
        else throw err;
      }
    };
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
  const optionalUser = (req: Request) =>
    typeof body(req).username === 'string' ? (body(req).username as string) : undefined;
  router.post(
    '/reset',
    route(() => control.reset()),
  );
  router.post(
    '/records/:sobject',
    route((req) => ({ ids: control.seed(String(req.params.sobject), req.body as SObjectRecord[]) }), 201),
  );
  router.get(
    '/records/:sobject',
    route((req) => ({ records: control.records(String(req.params.sobject)) })),
  );
  router.get(
    '/query',
    route((req) => control.query(String(req.query.q ?? ''))),
  );
  router.get(
    '/requests',
    route(() => ({ requests: control.requests() })),
  );
  router.delete(
    '/requests',
    route(() => control.clearRequests()),
  );
  router.get(
    '/events',
    route((req) => ({
      events: control.platformEvents(req.query.sobject ? String(req.query.sobject) : undefined),
    })),
  );
  router.put(
    '/faults',
    route((req) => control.setFaults(body(req) as Partial<Faults>)),
  );
  router.delete(
    '/faults',
    route(() => control.clearFaults()),
  );
  router.post(
    '/lock-updates',
    route((req) => {
      const input = body(req) as { sobject?: unknown; times?: unknown };
      control.lockUpdates(String(input.sobject ?? ''), Number(input.times));
      return { ok: true };
    }),
  );
  router.put(
    '/limits',
    route((req) => control.setLimits(body(req) as { dailyApiRequests?: number; used?: number })),
  );
  router.post(
    '/limits/exhaust',
    route(() => control.exhaustApiLimit()),
  );
  router.post(
    '/sessions/expire',
    route((req) => ({ expired: control.expireSessions(optionalUser(req)) })),
  );
  router.put(
    '/sessions/lifetime',
    route((req) => control.setSessionLifetime(Number(body(req).seconds))),
  );
  router.post(
    '/tokens/revoke',
    route((req) => ({ revoked: control.revokeTokens(optionalUser(req)) })),
  );
  router.post(
    '/authorization-codes',
    route((req) => ({ code: control.createAuthorizationCode(String(body(req).username ?? '')) }), 201),
  );
  router.put(
    '/passwords',
    route((req) => control.setPassword(String(body(req).username ?? ''), String(body(req).password ?? ''))),
  );
  return router;
}
