/**
 * The app's bot, through the Teams SDK for TypeScript (`@microsoft/teams.apps`): inbound activities are
 * authenticated by the SDK (Bot Framework JWT from the OpenID metadata of `cloud.openIdMetadataUrl`, issuer
 * `cloud.tokenIssuer`, audience the app id, `serviceurl` claim = the activity's serviceUrl); installation
 * events keep each team's conversation reference; `Action.Execute` invokes go to `onCardAction`; proactive
 * sends use the stored serviceUrl. Tokens come from Entra through @azure/identity (the SDK's `token` hook),
 * because the SDK's own MSAL client cannot be told to skip instance discovery, which a stand-in authority needs.
 * The credential's cached token outlives its invalidation in Entra (MSAL hands it out until its own expiry),
 * so a connector 401 drops it and the call is made once more with a fresh token: a 401 posted nothing.
 */
import { ClientSecretCredential } from '@azure/identity';
import {
  PUBLIC,
  withOverrides,
  type AdaptiveCardActionResponse,
  type IAdaptiveCardActionInvokeActivity,
} from '@microsoft/teams.api';
import { App } from '@microsoft/teams.apps';
import type { ILogger } from '@microsoft/teams.common';
import type { Logger } from '../logger.ts';
import { RenewableCredential } from '../graph/renewable-credential.ts';
import type { Pool } from '../store/database.ts';
import { ServiceRouterAdapter } from './bot-adapter.ts';
import { saveInstallation } from './installations.ts';
import type { OutboundConfig } from './outbound-config.ts';

export const BOT_MESSAGING_PATH = '/api/messages';

/** What the bot answers an `adaptiveCard/action` invoke: a card (200) or an error/message. */
export type CardActionAnswer = AdaptiveCardActionResponse;

export interface BotDeps {
  graph: { tenantId: string; clientId: string; clientSecret: string; authorityHost: string };
  bot: OutboundConfig['bot'];
  pool: Pool;
  logger: Logger;
  bodyLimit: string;
  onCardAction: (activity: IAdaptiveCardActionInvokeActivity) => Promise<CardActionAnswer>;
}

/** The SDK's logger interface over pino (SDK chatter at debug; its errors stay errors). */
function sdkLogger(logger: Logger): ILogger {
  const self: ILogger = {
    debug: (...msg: unknown[]) => logger.debug({ sdk: msg.map(String).join(' ') }),
    trace: (...msg: unknown[]) => logger.trace({ sdk: msg.map(String).join(' ') }),
    info: (...msg: unknown[]) => logger.debug({ sdk: msg.map(String).join(' ') }),
    warn: (...msg: unknown[]) => logger.warn({ sdk: msg.map(String).join(' ') }, 'teams sdk'),
    error: (...msg: unknown[]) => logger.warn({ sdk: msg.map(String).join(' ') }, 'teams sdk'),
    log: (_level, ...msg: unknown[]) => logger.debug({ sdk: msg.map(String).join(' ') }),
    child: () => self,
  };
  return self;
}

export class TeamsBot {
  readonly app: App;
  readonly adapter: ServiceRouterAdapter;
  private readonly credential: RenewableCredential;

  constructor(private readonly deps: BotDeps) {
    const credential = new RenewableCredential(
      () =>
        new ClientSecretCredential(deps.graph.tenantId, deps.graph.clientId, deps.graph.clientSecret, {
          authorityHost: deps.graph.authorityHost,
          disableInstanceDiscovery: true,
        }),
    );
    this.credential = credential;
    this.adapter = new ServiceRouterAdapter(BOT_MESSAGING_PATH, deps.bodyLimit);
    this.app = new App({
      clientId: deps.graph.clientId,
      tenantId: deps.graph.tenantId,
      token: async (scope) => {
        const scopes = Array.isArray(scope) ? scope : [scope];
        const token = await credential.getToken(scopes.length > 0 ? scopes : [deps.bot.scope]);
        if (!token) throw new Error('Entra ID returned no token for the bot');
        return token.token;
      },
      cloud: withOverrides(PUBLIC, {
        loginEndpoint: deps.graph.authorityHost,
        openIdMetadataUrl: deps.bot.openIdMetadataUrl,
        tokenIssuer: deps.bot.tokenIssuer,
        botScope: deps.bot.scope,
      }),
      serviceUrl: deps.bot.serviceUrl,
      httpServerAdapter: this.adapter,
      messagingEndpoint: BOT_MESSAGING_PATH,
      logger: sdkLogger(deps.logger),
    });
    this.app.on('install.add', async ({ activity }) => {
      await this.remember(activity, true);
    });
    this.app.on('install.remove', async ({ activity }) => {
      await this.remember(activity, false);
    });
    this.app.on('card.action', async ({ activity }) => await deps.onCardAction(activity));
  }

  private async remember(
    activity: {
      serviceUrl?: string;
      conversation?: { tenantId?: string };
      channelData?: { team?: { id?: string; aadGroupId?: string }; tenant?: { id?: string } };
    },
    installed: boolean,
  ): Promise<void> {
    const team = activity.channelData?.team;
    if (!team?.aadGroupId || !team.id || !activity.serviceUrl) {
      this.deps.logger.info('installation event outside a team (personal or group chat): nothing to keep');
      return;
    }
    await saveInstallation(this.deps.pool, {
      teamId: team.aadGroupId,
      teamThreadId: team.id,
      serviceUrl: activity.serviceUrl,
      tenantId: activity.channelData?.tenant?.id ?? activity.conversation?.tenantId ?? null,
      installed,
    });
    this.deps.logger.info({ teamId: team.aadGroupId, installed }, 'bot installation recorded');
  }

  async start(): Promise<void> {
    await this.app.initialize();
  }

  private api(serviceUrl: string) {
    return this.app.api.clone({ serviceUrl: serviceUrl.replace(/\/+$/, '') });
  }

  /** One connector call; on 401 the cached token is dropped and the call made once more. */
  private async withFreshTokenOn401<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as { response?: { status?: number }; status?: number };
      if ((e.response?.status ?? e.status) !== 401) throw err;
      this.deps.logger.info(
        'the Bot Framework refused the bot token (401): renewing it and trying once more',
      );
      this.credential.renew();
      return await call();
    }
  }

  /** A new thread in the channel (conversation id = channel id), or a reply when `rootId` is given. */
  async send(
    serviceUrl: string,
    channelId: string,
    activity: { text?: string; attachments?: { contentType: string; content: unknown }[] },
    rootId?: string,
  ): Promise<string> {
    const conversationId = rootId ? `${channelId};messageid=${rootId}` : channelId;
    const sent = await this.withFreshTokenOn401(
      async () =>
        await this.api(serviceUrl).conversations.createActivity(conversationId, {
          type: 'message',
          ...activity,
        } as never),
    );
    return (sent as { id: string }).id;
  }

  async update(
    serviceUrl: string,
    channelId: string,
    messageId: string,
    activity: { attachments: { contentType: string; content: unknown }[] },
  ): Promise<void> {
    await this.withFreshTokenOn401(
      async () =>
        await this.api(serviceUrl).conversations.updateActivity(channelId, messageId, {
          type: 'message',
          ...activity,
        } as never),
    );
  }
}
