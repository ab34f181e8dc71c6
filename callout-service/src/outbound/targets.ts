/** Where an item goes: the record's Active channel link, else the pipeline channel from the settings. */
import { soqlString, type SalesforceClient } from '../salesforce/connection.ts';
import type { OutboundConfig } from './outbound-config.ts';

export interface Target {
  teamId: string;
  channelId: string;
  channelUrl: string | null;
}

export async function resolveTarget(
  sf: SalesforceClient,
  config: OutboundConfig,
  recordId: string,
): Promise<Target | undefined> {
  if (recordId.startsWith('006')) {
    const rows = await sf.query(
      `SELECT Team_Id__c, Channel_Id__c, Web_Url__c FROM Teams_Channel_Link__c ` +
        `WHERE Opportunity__c = ${soqlString(recordId)} AND Status__c = 'Active' ORDER BY CreatedDate DESC LIMIT 1`,
      'outboundTarget',
    );
    const link = rows[0];
    if (link?.Team_Id__c && link.Channel_Id__c) {
      return {
        teamId: String(link.Team_Id__c),
        channelId: String(link.Channel_Id__c),
        channelUrl: (link.Web_Url__c as string | null) ?? null,
      };
    }
  }
  return config.pipeline ? { ...config.pipeline, channelUrl: null } : undefined;
}

/** Teams' documented deep link to a channel message. */
export function messageLink(tenantId: string, teamId: string, channelId: string, messageId: string): string {
  return (
    `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${messageId}` +
    `?tenantId=${tenantId}&groupId=${teamId}&parentMessageId=${messageId}`
  );
}

/** Teams' documented deep link to a channel (when the posted message's id is not known). */
export function channelLink(tenantId: string, teamId: string, channelId: string): string {
  return (
    `https://teams.microsoft.com/l/channel/${encodeURIComponent(channelId)}/General` +
    `?groupId=${teamId}&tenantId=${tenantId}`
  );
}
