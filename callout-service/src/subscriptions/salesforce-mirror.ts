import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { SubscriptionRow } from './subscription-rows.ts';

export const MIRROR_UPSERT_PATH = '/composite/sobjects/Teams_Subscription__c/Subscription_Id__c';

interface CollectionResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

export interface MirrorEntry {
  row: SubscriptionRow;
  /** Channel display name for the record's Name. */
  name: string;
}

/**
 * Mirrors subscription state to Teams_Subscription__c (upsert on Subscription_Id__c through sObject
 * Collections, 200 per call) so admins see it in Salesforce. Only records that changed since the last
 * successful mirror are sent: a quiet pass costs no API call.
 */
export class SubscriptionMirror {
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly salesforce: SalesforceClient,
    private readonly logger: Logger,
  ) {}

  async sync(entries: MirrorEntry[]): Promise<{ sent: number; failed: number }> {
    const changed = entries
      .map((e) => ({ id: e.row.id, record: toRecord(e) }))
      .filter((c) => this.sent.get(c.id) !== JSON.stringify(c.record));
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < changed.length; i += 200) {
      const chunk = changed.slice(i, i + 200);
      try {
        const results = await this.salesforce.call('mirrorSubscriptions', async (conn) =>
          conn.requestPatch<CollectionResult[]>(MIRROR_UPSERT_PATH, {
            allOrNone: false,
            records: chunk.map((c) => ({ attributes: { type: 'Teams_Subscription__c' }, ...c.record })),
          }),
        );
        chunk.forEach((c, j) => {
          const r = results[j];
          if (r?.success) {
            this.sent.set(c.id, JSON.stringify(c.record));
            sent++;
          } else {
            failed++;
            this.logger.warn(
              { subscriptionId: c.id, errors: r?.errors },
              'mirroring a subscription to Teams_Subscription__c failed',
            );
          }
        });
      } catch (err) {
        failed += chunk.length;
        this.logger.warn({ err, records: chunk.length }, 'mirroring subscriptions to Salesforce failed');
      }
    }
    return { sent, failed };
  }

  /** Forget what was sent (the next sync sends everything again). */
  reset(): void {
    this.sent.clear();
  }
}

function toRecord(e: MirrorEntry): Record<string, unknown> {
  const { row } = e;
  return {
    Subscription_Id__c: row.id,
    Name: (e.name || row.channelId).slice(0, 80),
    Resource__c: row.resource.slice(0, 255),
    Channel_Link__c: row.channelLinkId,
    Expiration__c: row.expiration?.toISOString() ?? null,
    Status__c: row.status,
    Last_Notification__c: row.lastNotificationAt?.toISOString() ?? null,
    Last_Error__c: row.lastError ? row.lastError.slice(0, 32000) : null,
  };
}
