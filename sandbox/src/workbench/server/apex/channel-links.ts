import { type ApexContext, noAccess, quote, userModeQuery } from './context.ts';

export const STATUS_ACTIVE = 'Active';
export const STATUS_UNLINKED = 'Unlinked';

export interface ChannelLinkRecord {
  Id: string;
  Name: string;
  Opportunity__c: string | null;
  Account__c: string | null;
  Team_Id__c: string | null;
  Team_Name__c: string | null;
  Channel_Id__c: string;
  Channel_Name__c: string | null;
  Web_Url__c: string | null;
  Status__c: string | null;
}

/** TeamsChannelLinks.liveFor: the newest link of the record that is not Unlinked. */
export async function liveFor(ctx: ApexContext, recordId: unknown): Promise<ChannelLinkRecord | null> {
  const [link] = await userModeQuery<ChannelLinkRecord>(
    ctx,
    ['Teams_Channel_Link__c'],
    `SELECT Id, Name, Opportunity__c, Account__c, Team_Id__c, Team_Name__c, Channel_Id__c, Channel_Name__c, Web_Url__c, Status__c
     FROM Teams_Channel_Link__c
     WHERE (Opportunity__c = ${quote(recordId)} OR Account__c = ${quote(recordId)}) AND Status__c != '${STATUS_UNLINKED}'
     ORDER BY LastModifiedDate DESC LIMIT 1`,
    () => noAccess('Teams channel links'),
  );
  return link ?? null;
}

/** TeamsChannelLinks.toDto */
export function toDto(link: ChannelLinkRecord | null) {
  if (!link) return null;
  return {
    id: link.Id,
    teamId: link.Team_Id__c,
    teamName: link.Team_Name__c,
    channelId: link.Channel_Id__c,
    channelName: link.Channel_Name__c,
    webUrl: link.Web_Url__c,
    status: link.Status__c,
  };
}
