import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config.ts';
import type { Metrics } from '../ops/metrics.ts';
import { RetryOn401Handler } from './retry-on-401.ts';

/** The subset of a Graph chatMessage the service reads. */
export interface GraphChatMessage {
  id: string;
  replyToId?: string | null;
  messageType?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string | null;
  deletedDateTime?: string | null;
  subject?: string | null;
  webUrl?: string | null;
  from?: {
    user?: { id?: string; displayName?: string | null; userIdentityType?: string } | null;
    application?: { id?: string; displayName?: string | null } | null;
  } | null;
  body?: { contentType?: string; content?: string | null } | null;
  mentions?: {
    id: number;
    mentionText?: string;
    mentioned?: { user?: { id?: string; displayName?: string } };
  }[];
  channelIdentity?: { teamId?: string; channelId?: string } | null;
}

export interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
}

/** A Graph error as the SDK raises it (GraphError has statusCode and code). */
export function graphStatus(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The one Graph adapter. Built on the official client with a token credential; 429/503/504 answers are retried
 * by the SDK's RetryHandler, which waits for the Retry-After the server sent (capped at `maxRetries`).
 */
export class GraphAdapter {
  readonly client: Client;
  readonly apiBase: string;

  constructor(
    private readonly config: Config['graph'],
    credential: TokenCredential & { renew?: () => void },
    private readonly metrics?: Metrics,
  ) {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, {
      scopes: [config.scope],
    });
    const chain: Middleware[] = [
      new RetryOn401Handler(() => {
        this.count('token-renewed-after-401');
        credential.renew?.();
      }),
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(1, config.maxRetries)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ];
    this.apiBase = `${config.baseUrl}/v1.0`;
    this.client = Client.initWithMiddleware({
      middleware: chain,
      baseUrl: `${config.baseUrl}/`,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(config.baseUrl).hostname]),
    });
  }

  private count(operation: string): void {
    this.metrics?.graphCalls.inc({ operation });
  }

  async getChannelMessage(
    teamId: string,
    channelId: string,
    messageId: string,
    replyToId?: string | null,
  ): Promise<GraphChatMessage> {
    const base = `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`;
    const path = replyToId
      ? `${base}/${encodeURIComponent(replyToId)}/replies/${encodeURIComponent(messageId)}`
      : `${base}/${encodeURIComponent(messageId)}`;
    this.count('getChannelMessage');
    return (await this.client.api(path).get()) as GraphChatMessage;
  }

  /** Readiness: one cheap authenticated call, not retried (the probe's own timeout bounds it). */
  async probe(): Promise<void> {
    this.count('probe');
    await this.client
      .api('/subscriptions')
      .middlewareOptions([new RetryHandlerOptions(0, 0)])
      .get();
  }

  async getUser(userId: string): Promise<GraphUser> {
    this.count('getUser');
    return (await this.client
      .api(`/users/${encodeURIComponent(userId)}`)
      .select(['id', 'displayName', 'mail', 'userPrincipalName'])
      .get()) as GraphUser;
  }
}
