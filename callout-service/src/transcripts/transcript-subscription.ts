/**
 * Keeps the one tenant-wide `communications/onlineMeetings/getAllTranscripts` subscription alive. Graph
 * notifies a transcript only if this subscription existed before transcription started, so it is created at
 * start and renewed on every reconcile pass (which also reauthorizes it); a subscription Graph removed answers
 * 404 to the renewal and is recreated at once, whatever lifecycle notification was or was not received.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import { graphStatus } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import type { Pool } from '../store/database.ts';
import {
  getTranscriptSubscription,
  noteTranscriptSubscriptionError,
  saveTranscriptSubscription,
} from './transcript-store.ts';

export const ALL_TRANSCRIPTS_RESOURCE = 'communications/onlineMeetings/getAllTranscripts';

export interface TranscriptSubscriptionOptions {
  notificationUrl: () => string;
  lifecycleNotificationUrl: () => string;
  lifetimeMinutes: number;
}

export class TranscriptSubscriptionKeeper {
  constructor(
    private readonly client: Client,
    private readonly pool: Pool,
    private readonly options: TranscriptSubscriptionOptions,
    private readonly logger: Logger,
  ) {}

  /** One pass: create, renew or verify. Returns what it did; errors are recorded and rethrown. */
  async keepAlive(now = new Date()): Promise<'created' | 'renewed'> {
    try {
      const row = await getTranscriptSubscription(this.pool);
      if (!row) return await this.create();
      try {
        // Renewed on every pass, not only near expiry: a renewal also reauthorizes, and a 404 tells at once
        // that Graph dropped the subscription. Lifecycle notifications for it need no handler of their own.
        const renewed = (await this.client
          .api(`/subscriptions/${encodeURIComponent(row.id)}`)
          .patch({ expirationDateTime: this.expiration(now).toISOString() })) as {
          expirationDateTime: string;
        };
        await saveTranscriptSubscription(this.pool, {
          id: row.id,
          clientState: row.clientState,
          expiration: new Date(renewed.expirationDateTime),
        });
        return 'renewed';
      } catch (err) {
        if (graphStatus(err) !== 404) throw err;
        this.logger.warn({ subscriptionId: row.id }, 'transcript subscription gone from Graph: recreating');
        return await this.create();
      }
    } catch (err) {
      await noteTranscriptSubscriptionError(this.pool, (err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  private expiration(now = new Date()): Date {
    return new Date(now.getTime() + this.options.lifetimeMinutes * 60_000);
  }

  private async create(): Promise<'created'> {
    const clientState = randomBytes(32).toString('base64url');
    const body = {
      changeType: 'created',
      notificationUrl: this.options.notificationUrl(),
      lifecycleNotificationUrl: this.options.lifecycleNotificationUrl(),
      resource: ALL_TRANSCRIPTS_RESOURCE,
      expirationDateTime: this.expiration().toISOString(),
      clientState,
    };
    let created: { id: string; expirationDateTime: string };
    try {
      created = (await this.client.api('/subscriptions').post(body)) as typeof created;
    } catch (err) {
      // A subscription left by an earlier database (409 names it): replace it, its clientState is lost.
      const stale = /Subscription Id ([0-9a-f-]{36}) already exists/i.exec((err as Error).message ?? '');
      if (graphStatus(err) !== 409 || !stale) throw err;
      await this.client.api(`/subscriptions/${stale[1]}`).delete();
      created = (await this.client.api('/subscriptions').post(body)) as typeof created;
    }
    await saveTranscriptSubscription(this.pool, {
      id: created.id,
      clientState,
      expiration: new Date(created.expirationDateTime),
    });
    this.logger.info({ subscriptionId: created.id }, 'transcript subscription created');
    return 'created';
  }
}
