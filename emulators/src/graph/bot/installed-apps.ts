/**
 * Teams app installation through Graph: the org's app catalog (`GET /appCatalogs/teamsApps`, found by the
 * manifest id as `externalId`) and a team's installed apps (`/teams/{id}/installedApps`: list, get, add,
 * remove). Adding the bot's app makes the bot part of the team, and Teams then delivers the bot its
 * `conversationUpdate` (teamMemberAdded) and `installationUpdate` events, signed as for any installation.
 *
 * Rules, after https://learn.microsoft.com/en-us/graph/api/team-post-installedapps and
 * https://learn.microsoft.com/en-us/graph/api/appcatalogs-list-teamsapps:
 * - reading needs a TeamsAppInstallation read/write permission (a *Self* one sees only the caller's own app);
 *   the catalog needs AppCatalog.Read.All (or ReadWrite.All);
 * - adding needs TeamsAppInstallation.ReadWrite[Self|AndConsent|AndConsentSelf]ForTeam(.All); the *Self*
 *   ones install only the caller's own app; an app whose manifest asks for application RSC permissions needs
 *   an *AndConsent* one and those permissions in `consentedPermissionSet` ("These permissions cannot be used
 *   to install apps that require consent to resource-specific consent permissions");
 * - success is 200 OK without a body; an app already in the team: 409 Conflict; an id not in the catalog:
 *   404.
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { callerOf, requirePermission } from '../auth.ts';
import type { Caller } from '../auth.ts';
import type { EmulatorContext } from '../context.ts';
import { GraphError, badRequest, notFound } from '../errors.ts';
import { param } from '../params.ts';
import type { SeedTeamsApp } from '../seed.ts';
import type { App } from '../store.ts';
import type { BotState } from './bot-state.ts';
import { deliverToBot, installActivities } from './deliver.ts';

const both = (names: string[]) => ({ application: names.map((n) => `${n}.All`), delegated: names });
const SELF_READ = ['TeamsAppInstallation.ReadSelfForTeam'];
const SELF_WRITE = ['TeamsAppInstallation.ReadWriteSelfForTeam'];
const SELF_CONSENT = ['TeamsAppInstallation.ReadWriteAndConsentSelfForTeam'];
const ANY_WRITE = ['TeamsAppInstallation.ReadWriteForTeam'];
const ANY_CONSENT = ['TeamsAppInstallation.ReadWriteAndConsentForTeam'];
const READ = both([
  'TeamsAppInstallation.ReadForTeam',
  ...SELF_READ,
  ...SELF_WRITE,
  ...SELF_CONSENT,
  ...ANY_WRITE,
  ...ANY_CONSENT,
]);
const WRITE = both([...SELF_WRITE, ...SELF_CONSENT, ...ANY_WRITE, ...ANY_CONSENT]);
const CATALOG = {
  application: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'],
  delegated: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All', 'AppCatalog.Submit'],
};

const holds = (caller: Caller, names: string[]) =>
  names.some((n) => caller.permissions.has((caller.kind === 'app' ? `${n}.All` : n).toLowerCase()));

interface CatalogApp {
  app: App;
  teamsApp: SeedTeamsApp;
}

const VERSION = '1.0.0';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const installationId = (teamId: string, catalogId: string) => b64(`${teamId}##${catalogId}`);
const requiredRsc = (t: SeedTeamsApp) => t.resourceSpecificPermissions ?? [];

function teamsAppJson(t: SeedTeamsApp) {
  return {
    id: t.id,
    externalId: t.externalId ?? null,
    displayName: t.displayName,
    distributionMethod: 'organization',
  };
}

function definitionJson(c: CatalogApp) {
  return {
    id: b64(`${c.teamsApp.id}##${VERSION}##Published`),
    teamsAppId: c.teamsApp.id,
    azureADAppId: c.app.clientId,
    displayName: c.teamsApp.displayName,
    version: VERSION,
    publishingState: 'published',
    authorization: {
      requiredPermissionSet: { resourceSpecificPermissions: requiredRsc(c.teamsApp) },
    },
  };
}

export function installedAppsRouter(ctx: EmulatorContext, bot: BotState): Router {
  const router = express.Router();
  const context = (fragment: string) => `${ctx.urls.baseUrl}/v1.0/$metadata#${fragment}`;
  const catalog = (): CatalogApp[] =>
    [...ctx.store.apps.values()].flatMap((app) => (app.teamsApp ? [{ app, teamsApp: app.teamsApp }] : []));
  const expandsOf = (req: Request) =>
    new Set(
      String(typeof req.query.$expand === 'string' ? req.query.$expand : '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

  const installationJson = (req: Request, teamId: string, c: CatalogApp) => {
    const expand = expandsOf(req);
    for (const e of expand) {
      if (e !== 'teamsApp' && e !== 'teamsAppDefinition') {
        throw badRequest(
          `Could not find a property named '${e}' on type 'microsoft.graph.teamsAppInstallation'.`,
        );
      }
    }
    return {
      id: installationId(teamId, c.teamsApp.id),
      consentedPermissionSet: { resourceSpecificPermissions: bot.consentedIn(teamId) },
      ...(expand.has('teamsApp') ? { teamsApp: teamsAppJson(c.teamsApp) } : {}),
      ...(expand.has('teamsAppDefinition') ? { teamsAppDefinition: definitionJson(c) } : {}),
    };
  };

  /** What the caller may see: a *Self*-only caller sees its own app, nothing else. */
  const visible = (caller: Caller, teamId: string) => {
    const selfOnly = !holds(caller, ['TeamsAppInstallation.ReadForTeam', ...ANY_WRITE, ...ANY_CONSENT]);
    return catalog().filter(
      (c) =>
        c.teamsApp &&
        bot.isInstalledApp(c.teamsApp, teamId) &&
        (!selfOnly || c.app.clientId === caller.app.clientId),
    );
  };

  router.get('/appCatalogs/teamsApps', (req, res) => {
    requirePermission(callerOf(res), CATALOG);
    const filter = typeof req.query.$filter === 'string' ? req.query.$filter.trim() : '';
    let apps = catalog();
    if (filter) {
      const match = /^(id|externalId|distributionMethod) eq '([^']*)'$/.exec(filter);
      if (!match) {
        throw badRequest(
          "Only $filter=id eq '{id}', externalId eq '{manifest id}' or distributionMethod eq 'organization' is supported here.",
        );
      }
      const [, field, value] = match;
      apps = apps.filter((c) =>
        field === 'id'
          ? c.teamsApp.id === value
          : field === 'externalId'
            ? c.teamsApp.externalId === value
            : value === 'organization',
      );
    }
    const expand = expandsOf(req);
    res.json({
      '@odata.context': context('appCatalogs/teamsApps'),
      value: apps.map((c) => ({
        ...teamsAppJson(c.teamsApp),
        ...(expand.has('appDefinitions') ? { appDefinitions: [definitionJson(c)] } : {}),
      })),
    });
  });
  router.get('/appCatalogs/teamsApps/:appId', (req, res) => {
    requirePermission(callerOf(res), CATALOG);
    const found = catalog().find((c) => c.teamsApp.id === param(req, 'appId'));
    if (!found) throw notFound(param(req, 'appId'));
    res.json({ '@odata.context': context('appCatalogs/teamsApps/$entity'), ...teamsAppJson(found.teamsApp) });
  });

  router.get('/teams/:teamId/installedApps', (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, READ);
    const team = ctx.store.team(param(req, 'teamId'));
    let apps = visible(caller, team.id);
    const filter = typeof req.query.$filter === 'string' ? req.query.$filter.trim() : '';
    if (filter) {
      const match = /^teamsApp\/(id|externalId) eq '([^']*)'$/.exec(filter);
      if (!match)
        throw badRequest("Only $filter=teamsApp/id eq '{id}' or teamsApp/externalId eq '{id}' is supported.");
      apps = apps.filter((c) => (match[1] === 'id' ? c.teamsApp.id : c.teamsApp.externalId) === match[2]);
    }
    res.json({
      '@odata.context': context(`teams('${team.id}')/installedApps`),
      value: apps.map((c) => installationJson(req, team.id, c)),
    });
  });
  router.get('/teams/:teamId/installedApps/:installationId', (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, READ);
    const team = ctx.store.team(param(req, 'teamId'));
    const found = visible(caller, team.id).find(
      (c) => installationId(team.id, c.teamsApp.id) === param(req, 'installationId'),
    );
    if (!found) throw notFound(param(req, 'installationId'));
    res.json({
      '@odata.context': context(`teams('${team.id}')/installedApps/$entity`),
      ...installationJson(req, team.id, found),
    });
  });

  router.post('/teams/:teamId/installedApps', (req: Request, res: Response) => {
    const caller = callerOf(res);
    requirePermission(caller, WRITE);
    const team = ctx.store.team(param(req, 'teamId'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bind = body['teamsApp@odata.bind'];
    if (typeof bind !== 'string') {
      throw badRequest(
        "teamsApp@odata.bind is required: 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}'.",
      );
    }
    const match = /\/appCatalogs\/teamsApps\/([^/?#]+)$/.exec(bind);
    if (!match) throw badRequest(`teamsApp@odata.bind '${bind}' does not name an app of the catalog.`);
    const found = catalog().find((c) => c.teamsApp.id === decodeURIComponent(match[1]!));
    if (!found) throw notFound(match[1]!);
    const own = found.app.clientId === caller.app.clientId;
    const mayInstall =
      holds(caller, [...ANY_WRITE, ...ANY_CONSENT]) ||
      (own && holds(caller, [...SELF_WRITE, ...SELF_CONSENT]));
    if (!mayInstall) {
      throw new GraphError(
        403,
        'Forbidden',
        'The permissions granted to the app allow it to install only itself.',
      );
    }
    const needed = requiredRsc(found.teamsApp).filter((p) => p.permissionType === 'application');
    if (needed.length > 0) {
      const mayConsent = holds(caller, ANY_CONSENT) || (own && holds(caller, SELF_CONSENT));
      if (!mayConsent) {
        throw new GraphError(
          403,
          'Forbidden',
          `The app requires consent to resource-specific permissions (${needed.map((p) => p.permissionValue).join(', ')}): installing it takes TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All or TeamsAppInstallation.ReadWriteAndConsentForTeam.All.`,
        );
      }
      const offered = (body.consentedPermissionSet as { resourceSpecificPermissions?: unknown } | undefined)
        ?.resourceSpecificPermissions;
      const list = Array.isArray(offered)
        ? (offered as { permissionValue?: unknown; permissionType?: unknown }[])
        : [];
      const key = (p: { permissionValue?: unknown; permissionType?: unknown }) =>
        `${String(p.permissionType).toLowerCase()}:${String(p.permissionValue)}`;
      const want = new Set(requiredRsc(found.teamsApp).map(key));
      const got = new Set(list.map(key));
      if (want.size !== got.size || [...want].some((k) => !got.has(k))) {
        throw badRequest(
          `consentedPermissionSet.resourceSpecificPermissions must match the app definition's: ${[...want].join(', ')}.`,
        );
      }
    }
    if (bot.isInstalledApp(found.teamsApp, team.id)) {
      throw new GraphError(
        409,
        'Conflict',
        `The app '${found.teamsApp.displayName}' is already installed in this team.`,
      );
    }
    bot.setInstalledApp(found.teamsApp, team.id, true, requiredRsc(found.teamsApp));
    // The documented answer: 200 OK without a body.
    res.status(200).end();
    if (found.app.teamsApp === bot.botApp().teamsApp) announce(ctx, bot, team.id, 'add');
  });

  router.delete('/teams/:teamId/installedApps/:installationId', (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, WRITE);
    const team = ctx.store.team(param(req, 'teamId'));
    const found = visible(caller, team.id).find(
      (c) => installationId(team.id, c.teamsApp.id) === param(req, 'installationId'),
    );
    if (!found) throw notFound(param(req, 'installationId'));
    bot.setInstalledApp(found.teamsApp, team.id, false, []);
    res.status(204).end();
    if (found.app.teamsApp === bot.botApp().teamsApp) announce(ctx, bot, team.id, 'remove');
  });
  return router;
}

/** Teams tells the bot after answering the Graph call, as it does: the events arrive shortly after. */
function announce(ctx: EmulatorContext, bot: BotState, teamId: string, action: 'add' | 'remove') {
  if (!bot.endpoint) return;
  const team = ctx.store.team(teamId);
  const by = [...team.members][0] ?? [...ctx.store.users.keys()][0]!;
  void (async () => {
    for (const activity of installActivities(ctx, bot, teamId, ctx.store.user(by), action)) {
      await deliverToBot(ctx, bot, activity);
    }
  })().catch((error: unknown) =>
    ctx.options.log(`installation event for team ${teamId} not delivered: ${(error as Error).message}`),
  );
}
