/**
 * 'Accept handoff' (an `Action.Execute` on the card): the accepting Teams user is resolved through the user
 * mappings; the first to accept wins (one conditional UPDATE in PostgreSQL, so two users at once give one
 * acceptance); a completed Task is written on the record (and the owner changed when configured); the card is
 * updated in the channel for everyone and returned to the user who pressed the button.
 */
import type { AdaptiveCardActionResponse, IAdaptiveCardActionInvokeActivity } from '@microsoft/teams.api';
import type { Logger } from '../logger.ts';
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';
import type { Pool } from '../store/database.ts';
import type { TeamsBot } from './bot.ts';
import { ACCEPT_VERB, CARD_CONTENT_TYPE, handoffCard } from './card.ts';
import { getInstallation } from './installations.ts';
import { getItem } from './outbound-rows.ts';

export interface AcceptDeps {
  pool: Pool;
  bot: () => TeamsBot;
  salesforce: SalesforceClient;
  directory: SalesforceDirectory;
  changeOwner: boolean;
  logger: Logger;
}

const message = (text: string): AdaptiveCardActionResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text,
});

export async function acceptHandoff(
  deps: AcceptDeps,
  activity: IAdaptiveCardActionInvokeActivity,
): Promise<AdaptiveCardActionResponse> {
  const action = activity.value?.action as { verb?: string; data?: { idempotencyKey?: unknown } } | undefined;
  const key = typeof action?.data?.idempotencyKey === 'string' ? action.data.idempotencyKey : undefined;
  if (action?.verb !== ACCEPT_VERB || !key) {
    return message(`Teams Bridge does not know the card action '${action?.verb ?? ''}'.`);
  }
  const item = await getItem(deps.pool, key);
  if (!item || !item.messageId || !item.channelId)
    return message('This card is no longer known to Teams Bridge.');
  const aadObjectId = activity.from?.aadObjectId;
  const mapping = aadObjectId ? await deps.directory.getUserMapping(aadObjectId) : null;
  if (!mapping?.userId) {
    deps.logger.warn({ aadObjectId, key }, 'handoff accept from a Teams user without a Salesforce mapping');
    return message(
      'Your Teams account is not mapped to a Salesforce user, so the handoff was not accepted. Ask your Salesforce admin to map it on the Teams Bridge setup page.',
    );
  }
  const name = activity.from?.name ?? mapping.entraObjectId;
  const won = await deps.pool.query<{ accepted_by_name: string; accepted_at: Date }>(
    `UPDATE outbound_items SET accepted_by = $2, accepted_by_name = $3, accepted_at = now()
      WHERE idempotency_key = $1 AND accepted_by IS NULL RETURNING accepted_by_name, accepted_at`,
    [key, mapping.userId, name],
  );
  // Lost the race (or accepted before): read the winner in a new statement, which sees its commit.
  const current = won.rows[0]
    ? won.rows[0]
    : (
        await deps.pool.query<{ accepted_by_name: string; accepted_at: Date }>(
          'SELECT accepted_by_name, accepted_at FROM outbound_items WHERE idempotency_key = $1',
          [key],
        )
      ).rows[0]!;
  const row = { ...current, won: won.rows.length > 0 };
  const accepted = {
    byName: row.accepted_by_name,
    at: row.accepted_at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
  if (row.won) {
    try {
      await deps.salesforce.call('acceptHandoff', async (conn) => {
        const task = await conn.sobject('Task').create({
          Subject: `Handoff accepted in Teams by ${name}`,
          Status: 'Completed',
          Priority: 'Normal',
          OwnerId: mapping.userId,
          ...(item.recordId.startsWith('006') ? { WhatId: item.recordId } : { WhoId: item.recordId }),
          ActivityDate: new Date().toISOString().slice(0, 10),
          Teams_Message_Url__c: item.messageUrl,
        });
        if (!(task as { success: boolean }).success) throw new Error(JSON.stringify(task));
        if (deps.changeOwner && item.recordId.startsWith('006')) {
          await conn.sobject('Opportunity').update({ Id: item.recordId, OwnerId: mapping.userId });
        }
      });
    } catch (err) {
      await deps.pool.query(
        'UPDATE outbound_items SET accepted_by = NULL, accepted_by_name = NULL, accepted_at = NULL WHERE idempotency_key = $1',
        [key],
      );
      deps.logger.error({ err, key }, 'writing the handoff acceptance to Salesforce failed');
      return message('Salesforce did not take the acceptance; please try again in a minute.');
    }
  }
  const card = handoffCard(item, { withAccept: true, accepted });
  const installation = item.teamId ? await getInstallation(deps.pool, item.teamId) : undefined;
  if (row.won && installation) {
    await deps
      .bot()
      .update(installation.serviceUrl, item.channelId, item.messageId, {
        attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
      })
      .catch((err: unknown) => deps.logger.warn({ err, key }, 'refreshing the card for everyone failed'));
  }
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as never };
}
