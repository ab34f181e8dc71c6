import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { OrgContext } from './context.ts';
import { userById, userByUsername } from './context.ts';

// POST /services/oauth2/token: the JWT bearer, client credentials, username-password, authorization code
// and refresh token grants, with the error bodies a real org answers.

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (error: string, description: string, status = 400): OAuthAnswer => ({
  status,
  body: { error, error_description: description },
});

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function tokenAnswer(ctx: OrgContext, userId: string, withRefresh: boolean): OAuthAnswer {
  const session = ctx.sessions.create(userId, ctx.app.clientId);
  const id = `${ctx.loginUrl}/id/${ctx.orgId}/${userId}`;
  const issuedAt = String(session.issuedAt);
  const body: Record<string, unknown> = {
    access_token: session.accessToken,
    signature: createHmac('sha256', ctx.app.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: withRefresh ? 'refresh_token api' : 'api',
    instance_url: ctx.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
  if (withRefresh) body.refresh_token = ctx.sessions.issueRefreshToken(userId, ctx.app.clientId);
  return { status: 200, body };
}

/** client_id and, where the flow needs it, client_secret. */
function checkClient(
  ctx: OrgContext,
  p: Record<string, string>,
  needSecret: boolean,
): OAuthAnswer | undefined {
  if (!p.client_id || p.client_id !== ctx.app.clientId)
    return oauthError('invalid_client_id', 'client identifier invalid');
  if (needSecret && (!p.client_secret || !sameSecret(p.client_secret, ctx.app.clientSecret))) {
    return oauthError('invalid_client', 'invalid client credentials');
  }
  return undefined;
}

function activeUser(ctx: OrgContext, username: string | undefined) {
  const user = username ? userByUsername(ctx, username) : undefined;
  return user && user.IsActive === true ? user : undefined;
}

async function jwtBearer(ctx: OrgContext, assertion: string | undefined): Promise<OAuthAnswer> {
  if (!assertion) return oauthError('invalid_request', 'assertion is required');
  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (decodeProtectedHeader(assertion).alg !== 'RS256')
      return oauthError('invalid_grant', 'invalid assertion');
    claims = decodeJwt(assertion);
  } catch {
    return oauthError('invalid_grant', 'invalid assertion');
  }
  if (claims.iss !== ctx.app.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
  try {
    await jwtVerify(assertion, ctx.app.publicKey, { algorithms: ['RS256'] });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED')
      return oauthError('invalid_grant', 'expired authorization code');
    return oauthError('invalid_grant', 'invalid assertion');
  }
  if (typeof claims.exp !== 'number') return oauthError('invalid_grant', 'invalid assertion');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const login = ctx.loginUrl.replace(/\/$/, '');
  if (!audiences.some((a) => typeof a === 'string' && a.replace(/\/$/, '') === login)) {
    return oauthError('invalid_grant', 'audience is invalid');
  }
  const user = claims.sub ? userByUsername(ctx, claims.sub) : undefined;
  if (!user) return oauthError('invalid_grant', "user hasn't approved this consumer");
  if (user.IsActive !== true) return oauthError('invalid_grant', 'inactive user');
  return tokenAnswer(ctx, String(user.Id), false);
}

export async function handleTokenRequest(ctx: OrgContext, p: Record<string, string>): Promise<OAuthAnswer> {
  if (ctx.faults.tokenEndpoint === 'ip_restricted') return oauthError('invalid_grant', 'ip restricted');
  if (ctx.faults.tokenEndpoint === 'invalid_login')
    return oauthError('invalid_grant', 'authentication failure');
  switch (p.grant_type) {
    case JWT_BEARER:
      return jwtBearer(ctx, p.assertion);
    case 'client_credentials': {
      const bad = checkClient(ctx, p, true);
      if (bad) return bad;
      const user = activeUser(ctx, ctx.app.runAsUsername);
      if (!user) return oauthError('invalid_grant', 'no client credentials user enabled');
      return tokenAnswer(ctx, String(user.Id), false);
    }
    case 'password': {
      const bad = checkClient(ctx, p, true);
      if (bad) return bad;
      const user = activeUser(ctx, p.username);
      const expected = p.username ? ctx.passwords.get(p.username.toLowerCase()) : undefined;
      if (!user || expected === undefined || !p.password || !sameSecret(p.password, expected)) {
        return oauthError('invalid_grant', 'authentication failure');
      }
      return tokenAnswer(ctx, String(user.Id), false);
    }
    case 'authorization_code': {
      const bad = checkClient(ctx, p, true);
      if (bad) return bad;
      const userId = p.code ? ctx.sessions.redeemCode(p.code) : undefined;
      if (!userId) return oauthError('invalid_grant', 'invalid authorization code');
      return tokenAnswer(ctx, userId, true);
    }
    case 'refresh_token': {
      const bad = checkClient(ctx, p, false);
      if (bad) return bad;
      if (p.client_secret !== undefined && !sameSecret(p.client_secret, ctx.app.clientSecret)) {
        return oauthError('invalid_client', 'invalid client credentials');
      }
      const grant = p.refresh_token ? ctx.sessions.refreshGrant(p.refresh_token) : undefined;
      if (!grant || grant.clientId !== p.client_id)
        return oauthError('invalid_grant', 'expired access/refresh token');
      const user = userById(ctx, grant.userId);
      if (!user || user.IsActive !== true) return oauthError('invalid_grant', 'inactive user');
      return tokenAnswer(ctx, grant.userId, false);
    }
    case undefined:
    case '':
      return oauthError('unsupported_grant_type', 'grant type not supported');
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

/** GET /services/oauth2/userinfo for a bearer token. */
export function userInfo(ctx: OrgContext, userId: string): Record<string, unknown> {
  const u = userById(ctx, userId)!;
  return {
    sub: `${ctx.loginUrl}/id/${ctx.orgId}/${userId}`,
    user_id: userId,
    organization_id: ctx.orgId,
    preferred_username: u.Username,
    nickname: u.Alias,
    name: u.Name,
    email: u.Email,
    email_verified: true,
    given_name: u.FirstName,
    family_name: u.LastName,
    zoneinfo: u.TimeZoneSidKey,
    active: u.IsActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    urls: {
      rest: `${ctx.instanceUrl}/services/data/v{version}/`,
      sobjects: `${ctx.instanceUrl}/services/data/v{version}/sobjects/`,
    },
  };
}

/** GET {loginUrl}/id/{orgId}/{userId}: the identity service. */
export function identity(ctx: OrgContext, userId: string): Record<string, unknown> {
  const u = userById(ctx, userId)!;
  const v = '{version}';
  return {
    id: `${ctx.loginUrl}/id/${ctx.orgId}/${userId}`,
    asserted_user: true,
    user_id: userId,
    organization_id: ctx.orgId,
    username: u.Username,
    nick_name: u.Alias,
    display_name: u.Name,
    email: u.Email,
    email_verified: true,
    first_name: u.FirstName,
    last_name: u.LastName,
    timezone: u.TimeZoneSidKey,
    active: u.IsActive,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: u.LastModifiedDate,
    urls: {
      rest: `${ctx.instanceUrl}/services/data/v${v}/`,
      sobjects: `${ctx.instanceUrl}/services/data/v${v}/sobjects/`,
      query: `${ctx.instanceUrl}/services/data/v${v}/query/`,
      profile: `${ctx.instanceUrl}/${userId}`,
    },
  };
}
