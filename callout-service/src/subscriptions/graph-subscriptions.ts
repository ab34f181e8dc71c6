import type { Client } from '@microsoft/microsoft-graph-client';
import type { GraphChatMessage } from '../graph/client.ts';
import type { Metrics } from '../ops/metrics.ts';

/** A Graph subscription as Graph returns it (the fields the manager reads). */
export interface GraphSubscription {
  id: string;
  resource: string;
  changeType?: string;
  notificationUrl?: string;
  lifecycleNotificationUrl?: string | null;
  expirationDateTime: string;
  clientState?: string | null;
}

export interface DeltaPage {
  value: GraphChatMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** The Graph resource of a channel's messages, as subscriptions name it. */
export function channelMessagesResource(teamId: string, channelId: string): string {
  return `/teams/${teamId}/channels/${channelId}/messages`;
}

/**
 * The Graph calls of the subscription manager and the backfill, on the service's one Graph client (so they
 * share its credential, retries with Retry-After and call counting).
 */
export class GraphSubscriptions {
  constructor(
    private readonly client: Client,
    private readonly metrics?: Metrics,
  ) {}

  private count(operation: string): void {
    this.metrics?.graphCalls.inc({ operation });
  }

  async create(input: {
    resource: string;
    notificationUrl: string;
    lifecycleNotificationUrl: string;
    clientState: string;
    expiration: Date;
  }): Promise<GraphSubscription> {
    this.count('createSubscription');
    return (await this.client.api('/subscriptions').post({
      changeType: 'created,updated',
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
      resource: input.resource,
      expirationDateTime: input.expiration.toISOString(),
      clientState: input.clientState,
    })) as GraphSubscription;
  }

  /** PATCH the expiration (renewing also reauthorizes a subscription Graph asked to reauthorize). */
  async renew(id: string, expiration: Date): Promise<GraphSubscription> {
    this.count('renewSubscription');
    return (await this.client
      .api(`/subscriptions/${encodeURIComponent(id)}`)
      .patch({ expirationDateTime: expiration.toISOString() })) as GraphSubscription;
  }

  async delete(id: string): Promise<void> {
    this.count('deleteSubscription');
    await this.client.api(`/subscriptions/${encodeURIComponent(id)}`).delete();
  }

  /** Every subscription this app owns (following @odata.nextLink). */
  async list(): Promise<GraphSubscription[]> {
    const all: GraphSubscription[] = [];
    let next: string | undefined = '/subscriptions';
    while (next) {
      this.count('listSubscriptions');
      const page = (await this.client.api(next).get()) as {
        value: GraphSubscription[];
        '@odata.nextLink'?: string;
      };
      all.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return all;
  }

  /**
   * Every reply of one root message (following @odata.nextLink). Graph's channel-message delta returns root
   * messages only; replies are read with "list replies".
   * https://learn.microsoft.com/en-us/graph/api/chatmessage-list-replies
   */
  async listReplies(teamId: string, channelId: string, messageId: string): Promise<GraphChatMessage[]> {
    const all: GraphChatMessage[] = [];
    let next: string | undefined =
      `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages/${encodeURIComponent(messageId)}/replies?$top=50`;
    for (let pages = 0; next && pages < 200; pages++) {
      this.count('listReplies');
      const page = (await this.client.api(next).get()) as {
        value: GraphChatMessage[];
        '@odata.nextLink'?: string;
      };
      all.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return all;
  }

  /** One page of a channel's message delta: the start of a round (no link) or a next/delta link. */
  async deltaPage(teamId: string, channelId: string, link?: string): Promise<DeltaPage> {
    this.count('messagesDelta');
    const path =
      link ?? `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages/delta`;
    return (await this.client.api(path).get()) as DeltaPage;
  }
}
