/** Starts the Microsoft Graph / Entra ID stand-in: HTTPS, in-memory, seeded, with an in-process control API. */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context.ts';
import { createControl } from './control.ts';
import type { GraphControl } from './control.ts';
import { EntraState } from './entra.ts';
import { ensureTls } from './ensure-ca.ts';
import { noFaults } from './faults.ts';
import { createHttpApp } from './http.ts';
import { Notifier } from './notifier.ts';
import { resolveOptions } from './options.ts';
import type { GraphEmulatorOptions } from './options.ts';
import { RequestLog } from './request-log.ts';
import { defaultSeed } from './seed.ts';
import type { GraphSeed } from './seed.ts';
import { GraphStore } from './store.ts';
import { Subscriptions } from './subscriptions.ts';
import { RateLimiter } from './throttle.ts';
import { TokenService, createSigningKeys } from './tokens.ts';
import { createBotControl, type BotControl } from './bot/bot-control.ts';
import { BotState } from './bot/bot-state.ts';
import { ChannelTokens } from './bot/channel-tokens.ts';
import { CONNECTOR_PATH } from './bot/connector.ts';
import { serviceUrlOf } from './bot/deliver.ts';
import { createWorkflowsControl, WorkflowsState } from './workflows.ts';

export type { GraphEmulatorOptions } from './options.ts';
export type { GraphControl } from './control.ts';
export type { BotControl } from './bot/bot-control.ts';
export { documentedBotLimits } from './bot/limits.ts';
export type { GraphSeed } from './seed.ts';
export { defaultSeed, DEMO_PASSWORD, TEAMS_APP_MANIFEST_ID } from './seed.ts';

export interface GraphEmulator {
  /** https://localhost:PORT — Graph is at `${baseUrl}/v1.0/...`. */
  baseUrl: string;
  /** Entra ID authority host: `${authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caFile: string;
  caPem: string;
  controlUrl: string;
  jwksUrl: string;
  demoUser: { id: string; username: string; password: string };
  /** The Bot Framework stand-in: connector `serviceUrl`, OpenID metadata URL, token issuer, bot app id. */
  botFramework: { serviceUrl: string; openIdMetadataUrl: string; tokenIssuer: string; botAppId: string };
  /** The bot's Teams app: its id in the org's app catalog and its manifest id (the catalog's externalId). */
  teamsApp: { catalogId: string; manifestId: string | null };
  control: GraphControl & BotControl & ReturnType<typeof createWorkflowsControl>;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const resolved = resolveOptions(options);
  const seed: GraphSeed = { ...defaultSeed(), ...structuredClone(options.seed ?? {}) };
  const [tls, keys, channelTokens] = await Promise.all([
    ensureTls(options.tlsDir),
    createSigningKeys(),
    ChannelTokens.create(),
  ]);
  const store = new GraphStore(seed);
  const ctx: EmulatorContext = {
    store,
    tokens: new TokenService(keys, seed.tenant.id, resolved.tokenLifetimeSeconds),
    options: resolved,
    urls: { baseUrl: '', authorityHost: '' },
    faults: noFaults(),
    limiter: new RateLimiter(),
    requestLog: new RequestLog(),
    activityNotifications: [],
  };
  const entra = new EntraState();
  const notifier = new Notifier(ctx);
  const subscriptions = new Subscriptions(ctx, notifier);
  const graphControl = createControl(ctx, entra, notifier, subscriptions, seed, {
    tokenLifetimeSeconds: resolved.tokenLifetimeSeconds,
    throttle: { ...resolved.throttle },
  });
  const bot = new BotState(store, channelTokens);
  const workflows = new WorkflowsState();
  const control = {
    ...graphControl,
    ...createBotControl(ctx, bot),
    ...createWorkflowsControl(ctx, workflows),
    reset() {
      const result = graphControl.reset();
      bot.reset();
      workflows.reset();
      return result;
    },
  };
  const app = createHttpApp(ctx, entra, subscriptions, control, bot, workflows);

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `https://localhost:${port}`;
  ctx.urls.baseUrl = baseUrl;
  ctx.urls.authorityHost = baseUrl;

  const app0 = seed.apps[0];
  if (!app0) throw new Error('The seed needs at least one app registration.');
  const demo = seed.users.find((u) => u.password) ?? seed.users[0];
  if (!demo) throw new Error('The seed needs at least one user.');

  return {
    baseUrl,
    authorityHost: baseUrl,
    tenantId: seed.tenant.id,
    clientId: app0.clientId,
    clientSecret: app0.clientSecret,
    caFile: tls.caFile,
    caPem: tls.caPem,
    controlUrl: `${baseUrl}/_control`,
    jwksUrl: `${baseUrl}/common/discovery/v2.0/keys`,
    demoUser: { id: demo.id, username: demo.userPrincipalName, password: demo.password ?? '' },
    botFramework: {
      serviceUrl: serviceUrlOf(ctx),
      openIdMetadataUrl: `${baseUrl}${CONNECTOR_PATH}/v1/.well-known/openidconfiguration`,
      tokenIssuer: 'https://api.botframework.com',
      botAppId: app0.clientId,
    },
    teamsApp: { catalogId: app0.teamsApp?.id ?? '', manifestId: app0.teamsApp?.externalId ?? null },
    control,
    async close() {
      notifier.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
