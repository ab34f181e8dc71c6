/**
 * The AE hears about the handoff in the Teams activity feed: `sendActivityNotification` on the team, to the
 * Entra user mapped to the record owner, with a deep link to the card. An owner without a mapping gets no
 * notification; that is recorded on the item (`ae_notification = 'unmapped'`) for the admin page. A failed
 * notification never posts the card again: it is recorded and logged.
 */
import type { GraphAdapter } from '../graph/client.ts';
import type { Logger } from '../logger.ts';
import { soqlString, type SalesforceClient } from '../salesforce/connection.ts';
import type { Pool } from '../store/database.ts';
import type { OutboundItem } from './outbound-rows.ts';

export async function notifyOwner(
  deps: { pool: Pool; graph: GraphAdapter; salesforce: SalesforceClient; logger: Logger },
  item: OutboundItem,
  target: { teamId: string },
  messageUrl: string,
): Promise<'sent' | 'unmapped' | 'failed'> {
  const record = async (outcome: string) =>
    await deps.pool.query('UPDATE outbound_items SET ae_notification = $2 WHERE idempotency_key = $1', [
      item.idempotencyKey,
      outcome.slice(0, 1000),
    ]);
  const ownerId = item.payload.ownerId;
  const rows = ownerId
    ? await deps.salesforce.query(
        `SELECT Entra_Object_Id__c FROM Teams_User_Mapping__c WHERE User__c = ${soqlString(ownerId)} ` +
          `AND Status__c != 'Unmapped' LIMIT 1`,
        'ownerMapping',
      )
    : [];
  const entraId = rows[0]?.Entra_Object_Id__c as string | undefined;
  if (!entraId) {
    deps.logger.info(
      { key: item.idempotencyKey, ownerId },
      'record owner has no Teams user mapping: not notified',
    );
    await record('unmapped');
    return 'unmapped';
  }
  const name = item.payload.name ?? item.recordId;
  try {
    await deps.graph.client.api(`/teams/${encodeURIComponent(target.teamId)}/sendActivityNotification`).post({
      topic: { source: 'text', value: name.slice(0, 100), webUrl: messageUrl },
      activityType: item.kind === 'LeadConverted' ? 'leadConverted' : 'dealQualified',
      previewText: { content: `Handoff: ${name}`.slice(0, 150) },
      recipient: { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: entraId },
    });
    await record('sent');
    return 'sent';
  } catch (err) {
    const message = (err as Error).message;
    deps.logger.warn({ key: item.idempotencyKey, err: message }, 'activity notification to the AE failed');
    await record(`failed: ${message}`);
    return 'failed';
  }
}
