/** Bearer-token checks and permission checks for the Graph API surface. */
import type { Request, Response, NextFunction } from 'express';
import { GraphError } from './errors.ts';
import type { EmulatorContext } from './context.ts';
import type { App, User } from './store.ts';

export interface Caller {
  kind: 'app' | 'user';
  app: App;
  user?: User;
  /** Permissions in effect: those in the token that the tenant still consents to. */
  permissions: Set<string>;
}

export interface Needs {
  application?: string[];
  delegated?: string[];
}

const lower = (items: string[]) => items.map((item) => item.toLowerCase());

export function authenticate(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction) => check(ctx, req, res, next);
}

async function check(ctx: EmulatorContext, req: Request, res: Response, next: NextFunction) {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) {
    next(new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'));
    return;
  }
  const check = await ctx.tokens.verifyAccessToken(match[1]!.trim());
  if (!check.ok) {
    next(
      new GraphError(
        401,
        'InvalidAuthenticationToken',
        check.reason === 'expired'
          ? 'Lifetime validation failed, the token is expired.'
          : 'Access token validation failure. Invalid audience or signature.',
      ),
    );
    return;
  }
  const claims = check.claims;
  const app = ctx.store.apps.get(claims.appid);
  if (!app) {
    next(
      new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. The application no longer exists.',
      ),
    );
    return;
  }
  let caller: Caller;
  if (claims.idtyp === 'user') {
    const user = claims.oid ? ctx.store.users.get(claims.oid) : undefined;
    if (!user) {
      next(
        new GraphError(
          401,
          'InvalidAuthenticationToken',
          'Access token validation failure. The user no longer exists.',
        ),
      );
      return;
    }
    const consented = new Set(lower(app.delegatedPermissions));
    const scp = lower((claims.scp ?? '').split(' ').filter(Boolean));
    caller = { kind: 'user', app, user, permissions: new Set(scp.filter((s) => consented.has(s))) };
  } else {
    const consented = new Set(lower(app.applicationPermissions));
    caller = {
      kind: 'app',
      app,
      permissions: new Set(lower(claims.roles ?? []).filter((r) => consented.has(r))),
    };
  }
  res.locals.caller = caller;
  res.locals.clientId = app.clientId;
  res.locals.userId = caller.user?.id;
  next();
}

export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

/** 403 Authorization_RequestDenied unless the caller holds one of the permissions the API accepts. */
export function requirePermission(caller: Caller, needs: Needs): void {
  const accepted = (caller.kind === 'app' ? needs.application : needs.delegated) ?? [];
  if (accepted.some((permission) => caller.permissions.has(permission.toLowerCase()))) return;
  const held = [...caller.permissions].join(', ');
  throw new GraphError(
    403,
    'Authorization_RequestDenied',
    accepted.length === 0
      ? `Insufficient privileges to complete the operation. This API does not support ${caller.kind === 'app' ? 'application' : 'delegated'} permissions.`
      : `Insufficient privileges to complete the operation. API requires one of '${accepted.join(', ')}'. ${caller.kind === 'app' ? 'Roles' : 'Scopes'} on the request '${held}'.`,
  );
}

/** A signed-in user must be a member of the team; application callers see every team. */
export function requireMembership(caller: Caller, members: Set<string>): void {
  if (caller.kind === 'user' && caller.user && !members.has(caller.user.id)) {
    throw new GraphError(403, 'Forbidden', 'Forbidden: the signed-in user is not a member of this team.');
  }
}
