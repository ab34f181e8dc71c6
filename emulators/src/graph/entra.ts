/**
 * Entra ID v2.0 endpoints: OpenID discovery, JWKS, the token endpoint (client credentials, refresh token,
 * device code, resource-owner password) and the device-code approval page.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { TokenError } from './errors.ts';
import type { EmulatorContext } from './context.ts';
import type { App, User } from './store.ts';
import { BOT_FRAMEWORK_RESOURCE, GRAPH_APP_ID, GRAPH_RESOURCE } from './tokens.ts';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  userId?: string;
  declined?: boolean;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  /** When the user last signed in interactively: refreshed tokens keep it. */
  authAt: number;
}

/**
 * What a tenant admin can switch on for a user, and how Entra ID then answers a refresh: MFA newly required
 * (AADSTS50076) or to be enrolled (AADSTS50079) refuses grants from sign-ins before the policy, until the
 * user signs in interactively again; a Conditional Access block (AADSTS53003) refuses every token issuance.
 */
export type SignInPolicy = 'mfa' | 'mfa-enrollment' | 'conditional-access';

const GRAPH_NAME = '00000003-0000-0000-c000-000000000000';

function policyError(kind: SignInPolicy): TokenError {
  if (kind === 'conditional-access') {
    return new TokenError(
      400,
      'interaction_required',
      53003,
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      'message_only',
    );
  }
  const verb = kind === 'mfa' ? 'use' : 'enroll in';
  return new TokenError(
    400,
    'invalid_grant',
    kind === 'mfa' ? 50076 : 50079,
    `Due to a configuration change made by your administrator, or because you moved to a new location, you must ${verb} multi-factor authentication to access '${GRAPH_NAME}'.`,
    'basic_action',
  );
}

export class EntraState {
  deviceCodes = new Map<string, DeviceCode>();
  refreshTokens = new Map<string, RefreshGrant>();
  servicePrincipalIds = new Map<string, string>();
  signInPolicies = new Map<string, { kind: SignInPolicy; since: number }>();

  /** Refuses a grant the way Entra ID does when a policy the user's sign-in predates applies. */
  checkPolicies(userId: string, authAt: number, interactive: boolean): void {
    const policy = this.signInPolicies.get(userId);
    if (!policy) return;
    if (policy.kind === 'conditional-access' || (!interactive && authAt < policy.since)) {
      throw policyError(policy.kind);
    }
  }

  /** A password reset: the user's refresh tokens stop working (AADSTS50173). */
  resetPassword(ctx: EmulatorContext, userId: string, password?: string): number {
    const user = ctx.store.users.get(userId);
    if (user && password !== undefined) user.password = password;
    return this.revokeRefreshTokens(userId);
  }

  /** Makes the user's refresh tokens count as unused for 90 days (AADSTS700082 on the next refresh). */
  expireRefreshTokens(userId: string): number {
    let count = 0;
    for (const grant of this.refreshTokens.values()) {
      if (grant.userId === userId) {
        grant.expiresAt = Date.now() - 1000;
        count++;
      }
    }
    return count;
  }

  servicePrincipalId(clientId: string): string {
    let id = this.servicePrincipalIds.get(clientId);
    if (!id) this.servicePrincipalIds.set(clientId, (id = randomUUID()));
    return id;
  }

  /** Approves a pending device code as `username` (the control API's stand-in for the browser sign-in). */
  approveDeviceCode(ctx: EmulatorContext, userCode: string, username: string, password?: string): void {
    const entry = [...this.deviceCodes.values()].find((d) => d.userCode === userCode.trim().toUpperCase());
    if (!entry || entry.expiresAt < Date.now()) throw new Error(`No pending device code '${userCode}'.`);
    const user = ctx.store.findUser(username);
    if (!user) throw new Error(`No user '${username}' in the tenant.`);
    if (password !== undefined && password !== user.password) throw new Error('Wrong password.');
    entry.userId = user.id;
  }

  revokeRefreshTokens(userId?: string): number {
    let count = 0;
    for (const [token, grant] of this.refreshTokens) {
      if (!userId || grant.userId === userId) {
        this.refreshTokens.delete(token);
        count++;
      }
    }
    return count;
  }

  reset(): void {
    this.deviceCodes.clear();
    this.refreshTokens.clear();
    this.signInPolicies.clear();
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function resolveTenant(ctx: EmulatorContext, tenant: string): string {
  const { id, domain } = ctx.store.tenant;
  if (tenant.toLowerCase() === id || tenant.toLowerCase() === domain.toLowerCase()) return id;
  throw new TokenError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

function missing(name: string): TokenError {
  return new TokenError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}

function authenticateClient(ctx: EmulatorContext, req: Request, grantType: string): App {
  const params = (req.body ?? {}) as Record<string, string | undefined>;
  let clientId = params.client_id;
  let secret = params.client_secret;
  const basic = /^Basic (.+)$/i.exec(req.header('authorization') ?? '');
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    secret ??= decodeURIComponent(rest.join(':'));
  }
  if (!clientId) throw missing('client_id');
  const app = ctx.store.apps.get(clientId);
  if (!app) {
    throw new TokenError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.store.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (secret !== undefined) {
    if (!safeEqual(secret, app.clientSecret)) {
      throw new TokenError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
  } else if (grantType === 'client_credentials' || !app.allowPublicClient) {
    throw new TokenError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  return app;
}

/** Splits a v2.0 scope string into Graph permission names, refusing other resources. */
function delegatedScopes(
  ctx: EmulatorContext,
  app: App,
  scope: string | undefined,
): { granted: string[]; oidc: string[]; defaultScope?: string } {
  if (!scope) throw missing('scope');
  const requested = scope.split(/\s+/).filter(Boolean);
  const oidc = requested.filter((s) => OIDC_SCOPES.has(s));
  const names: string[] = [];
  let all = false;
  let defaultScope: string | undefined;
  for (const item of requested) {
    if (OIDC_SCOPES.has(item)) continue;
    const match =
      /^(?:(https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\/)?([^/]+)$/i.exec(item);
    if (!match) {
      const resource = item.replace(/\/[^/]*$/, '');
      throw new TokenError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${ctx.store.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }
    if (match[2] === '.default') {
      all = true;
      defaultScope = item;
    } else names.push(match[2]!);
  }
  const consented = app.delegatedPermissions.filter((p) => !OIDC_SCOPES.has(p));
  const notConsented = names.filter((n) => !consented.some((c) => c.toLowerCase() === n.toLowerCase()));
  if (notConsented.length > 0) {
    throw new TokenError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource. Missing: ${notConsented.join(', ')}.`,
    );
  }
  return { granted: all || names.length === 0 ? consented : names, oidc, defaultScope };
}

async function delegatedTokenResponse(
  ctx: EmulatorContext,
  entra: EntraState,
  app: App,
  user: User,
  granted: string[],
  oidc: string[],
  wantsClientInfo: boolean,
  defaultScope?: string,
  authAt: number = Date.now(),
) {
  const { token, expiresIn } = await ctx.tokens.issueAccessToken({
    appid: app.clientId,
    app_displayname: app.displayName,
    idtyp: 'user',
    oid: user.id,
    sub: user.id,
    upn: user.userPrincipalName,
    unique_name: user.userPrincipalName,
    name: user.displayName,
    given_name: user.givenName,
    family_name: user.surname,
    scp: granted.join(' '),
  });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    // MSAL caches the token under the scopes named here: keep the `.default` the caller asked for.
    scope: [
      ...granted,
      ...(defaultScope ? [defaultScope] : []),
      ...oidc.filter((s) => s !== 'offline_access'),
    ].join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
  if (oidc.includes('offline_access')) {
    const refresh = `1.${randomBytes(48).toString('base64url')}`;
    entra.refreshTokens.set(refresh, {
      clientId: app.clientId,
      userId: user.id,
      scopes: [...granted, ...(defaultScope ? [defaultScope] : []), ...oidc],
      // 90 days of inactivity (https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens).
      expiresAt: Date.now() + 90 * 24 * 3600_000,
      authAt,
    });
    body.refresh_token = refresh;
  }
  if (oidc.includes('openid')) {
    body.id_token = await ctx.tokens.signIdToken(
      {
        oid: user.id,
        sub: user.id,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
      },
      `${ctx.urls.authorityHost}/${ctx.store.tenant.id}/v2.0`,
      app.clientId,
    );
  }
  if (wantsClientInfo) {
    body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: ctx.store.tenant.id })).toString(
      'base64url',
    );
  }
  return body;
}

async function handleToken(ctx: EmulatorContext, entra: EntraState, req: Request, res: Response) {
  resolveTenant(ctx, String(req.params.tenant));
  const params = (req.body ?? {}) as Record<string, string | undefined>;
  // Entra ID also takes the short `device_code` (what MSAL sends) for the RFC 8628 grant type.
  const grantType =
    params.grant_type === 'device_code' ? 'urn:ietf:params:oauth:grant-type:device_code' : params.grant_type;
  if (!grantType) throw missing('grant_type');
  const known = [
    'client_credentials',
    'refresh_token',
    'password',
    'urn:ietf:params:oauth:grant-type:device_code',
  ];
  if (!known.includes(grantType)) {
    throw new TokenError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  const app = authenticateClient(ctx, req, grantType);
  res.locals.clientId = app.clientId;
  const wantsClientInfo = params.client_info === '1';

  if (grantType === 'client_credentials') {
    const scope = params.scope;
    if (!scope) throw missing('scope');
    const scopes = scope.split(/\s+/).filter(Boolean);
    const defaults = scopes.filter((s) => s.endsWith('/.default'));
    if (scopes.length !== 1 || defaults.length !== 1) {
      const bad = scopes.find((s) => !s.endsWith('/.default')) ?? scope;
      throw new TokenError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${bad} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = defaults[0]!.slice(0, -'/.default'.length);
    if (resource === BOT_FRAMEWORK_RESOURCE) {
      // A bot's token for the connector: no Graph roles, audience the Bot Framework.
      const spId = entra.servicePrincipalId(app.clientId);
      const { token, expiresIn } = await ctx.tokens.issueAccessToken(
        { appid: app.clientId, idtyp: 'app', oid: spId, sub: spId },
        BOT_FRAMEWORK_RESOURCE,
      );
      res.json({
        token_type: 'Bearer',
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: token,
      });
      return;
    }
    if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID && resource !== `${GRAPH_RESOURCE}/`) {
      throw new TokenError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${ctx.store.tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }
    const spId = entra.servicePrincipalId(app.clientId);
    const roles = [...app.applicationPermissions];
    const { token, expiresIn } = await ctx.tokens.issueAccessToken({
      appid: app.clientId,
      app_displayname: app.displayName,
      idtyp: 'app',
      oid: spId,
      sub: spId,
      ...(roles.length > 0 ? { roles } : {}),
    });
    res.json({ token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
    return;
  }

  if (grantType === 'password') {
    if (!params.username) throw missing('username');
    if (!params.password) throw missing('password');
    const { granted, oidc, defaultScope } = delegatedScopes(ctx, app, params.scope);
    const user = ctx.store.findUser(params.username);
    if (!user) {
      throw new TokenError(
        400,
        'invalid_grant',
        50034,
        `The user account {EUII Hidden} does not exist in the ${ctx.store.tenant.id} directory. To sign into this application, the account must be added to the directory.`,
      );
    }
    if (!user.password || !safeEqual(params.password, user.password)) {
      throw new TokenError(
        400,
        'invalid_grant',
        50126,
        'Error validating credentials due to invalid username or password.',
      );
    }
    entra.checkPolicies(user.id, Date.now(), true);
    res.locals.userId = user.id;
    res.json(
      await delegatedTokenResponse(ctx, entra, app, user, granted, oidc, wantsClientInfo, defaultScope),
    );
    return;
  }

  if (grantType === 'refresh_token') {
    if (!params.refresh_token) throw missing('refresh_token');
    const grant = entra.refreshTokens.get(params.refresh_token);
    if (!grant || grant.clientId !== app.clientId) {
      throw new TokenError(
        400,
        'invalid_grant',
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      );
    }
    if (grant.expiresAt < Date.now()) {
      // Kept: Entra ID keeps answering 700082 for an expired token (not "unknown grant").
      throw new TokenError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity.');
    }
    const user = ctx.store.users.get(grant.userId);
    if (!user)
      throw new TokenError(
        400,
        'invalid_grant',
        50034,
        'The user account {EUII Hidden} does not exist in the directory.',
      );
    entra.checkPolicies(user.id, grant.authAt, false);
    const { granted, oidc, defaultScope } = delegatedScopes(ctx, app, params.scope ?? grant.scopes.join(' '));
    // Refresh tokens rotate; the old one stays valid, as with Entra ID.
    res.locals.userId = user.id;
    res.json(
      await delegatedTokenResponse(
        ctx,
        entra,
        app,
        user,
        granted,
        [...new Set([...oidc, 'offline_access'])],
        wantsClientInfo,
        defaultScope,
        grant.authAt,
      ),
    );
    return;
  }

  // Device code
  const code = params.device_code;
  if (!code) throw missing('device_code');
  const entry = entra.deviceCodes.get(code);
  if (!entry || entry.clientId !== app.clientId) {
    throw new TokenError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the input parameter 'device_code' is not valid.",
    );
  }
  if (entry.expiresAt < Date.now()) {
    entra.deviceCodes.delete(code);
    throw new TokenError(
      400,
      'expired_token',
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    );
  }
  if (entry.declined) {
    entra.deviceCodes.delete(code);
    throw new TokenError(
      400,
      'authorization_declined',
      70019,
      'The end user denied the authorization request.',
    );
  }
  if (!entry.userId) {
    throw new TokenError(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    );
  }
  entra.deviceCodes.delete(code);
  const user = ctx.store.users.get(entry.userId)!;
  // The user did whatever MFA asked for in the browser; a Conditional Access block still refuses.
  entra.checkPolicies(user.id, Date.now(), true);
  const { granted, oidc, defaultScope } = delegatedScopes(ctx, app, entry.scopes.join(' '));
  res.locals.userId = user.id;
  res.json(await delegatedTokenResponse(ctx, entra, app, user, granted, oidc, wantsClientInfo, defaultScope));
}

function handleDeviceCode(ctx: EmulatorContext, entra: EntraState, req: Request, res: Response) {
  resolveTenant(ctx, String(req.params.tenant));
  const params = (req.body ?? {}) as Record<string, string | undefined>;
  if (!params.client_id) throw missing('client_id');
  const app = ctx.store.apps.get(params.client_id);
  if (!app) {
    throw new TokenError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${params.client_id}' was not found in the directory '${ctx.store.tenant.displayName}'.`,
    );
  }
  const { granted, oidc, defaultScope } = delegatedScopes(ctx, app, params.scope);
  const deviceCode = randomBytes(32).toString('base64url');
  const userCode = randomBytes(6).toString('hex').slice(0, 9).toUpperCase();
  const expiresIn = 900;
  entra.deviceCodes.set(deviceCode, {
    deviceCode,
    userCode,
    clientId: app.clientId,
    scopes: [...granted, ...(defaultScope ? [defaultScope] : []), ...oidc],
    expiresAt: Date.now() + expiresIn * 1000,
  });
  const verificationUri = `${ctx.urls.authorityHost}/devicelogin`;
  res.json({
    user_code: userCode,
    device_code: deviceCode,
    verification_uri: verificationUri,
    expires_in: expiresIn,
    interval: ctx.options.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
  });
}

function discovery(ctx: EmulatorContext) {
  const host = ctx.urls.authorityHost;
  const tid = ctx.store.tenant.id;
  return {
    token_endpoint: `${host}/${tid}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${host}/${tid}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${host}/${tid}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.urls.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${host}/${tid}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${host}/${tid}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${host}/${tid}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function deviceLoginPage(message = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (local stand-in)</title></head>
<body><main><h1>Enter code</h1>${message ? `<p role="status">${escapeHtml(message)}</p>` : ''}
<form method="post" action="devicelogin">
<label>Code <input name="user_code" autocomplete="off" required></label><br>
<label>Username <input name="username" autocomplete="username" required></label><br>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label><br>
<button type="submit">Sign in</button></form></main></body></html>`;
}

type Handler = (req: Request, res: Response) => unknown;
const tokenRoute =
  (handler: Handler) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof TokenError) {
        res.status(error.status).json(error.body());
        return;
      }
      next(error);
    }
  };

export function entraRouter(ctx: EmulatorContext, entra: EntraState): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const jwks: Handler = (_req, res) => res.json(ctx.tokens.jwks);

  router.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    tokenRoute((req, res) => {
      resolveTenant(ctx, String(req.params.tenant));
      res.json(discovery(ctx));
    }),
  );
  router.get(['/common/discovery/v2.0/keys', '/common/discovery/keys'], tokenRoute(jwks));
  router.get(
    ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys'],
    tokenRoute((req, res) => {
      resolveTenant(ctx, String(req.params.tenant));
      return jwks(req, res);
    }),
  );
  router.post(
    '/:tenant/oauth2/v2.0/token',
    form,
    tokenRoute((req, res) => handleToken(ctx, entra, req, res)),
  );
  router.post(
    '/:tenant/oauth2/v2.0/devicecode',
    form,
    tokenRoute((req, res) => handleDeviceCode(ctx, entra, req, res)),
  );
  router.get('/devicelogin', (_req, res) => {
    res.type('html').send(deviceLoginPage());
  });
  router.post('/devicelogin', form, (req, res) => {
    const {
      user_code: userCode = '',
      username = '',
      password = '',
    } = (req.body ?? {}) as Record<string, string>;
    try {
      entra.approveDeviceCode(ctx, userCode, username, password);
      res.type('html').send(deviceLoginPage('Signed in. You can close this page.'));
    } catch (error) {
      res
        .status(400)
        .type('html')
        .send(deviceLoginPage((error as Error).message));
    }
  });
  return router;
}
