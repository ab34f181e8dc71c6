import type { SalesforceClient } from '../salesforce/connection.ts';

/** An Active Teams_Channel_Link__c: the channels that must have a subscription. */
export interface ActiveLink {
  id: string;
  name: string;
  teamId: string;
  channelId: string;
  channelName: string | null;
  createdDate: Date | null;
}

/** Reads every Active channel link (one query per reconcile pass). */
export async function listActiveLinks(salesforce: SalesforceClient): Promise<ActiveLink[]> {
  const rows = await salesforce.query(
    `SELECT Id, Name, Team_Id__c, Channel_Id__c, Channel_Name__c, CreatedDate FROM Teams_Channel_Link__c ` +
      `WHERE Status__c = 'Active'`,
    'activeChannelLinks',
  );
  return rows
    .filter((r) => typeof r.Team_Id__c === 'string' && typeof r.Channel_Id__c === 'string')
    .map((r) => ({
      id: String(r.Id),
      name: String(r.Name ?? r.Channel_Name__c ?? r.Channel_Id__c),
      teamId: String(r.Team_Id__c),
      channelId: String(r.Channel_Id__c),
      channelName: (r.Channel_Name__c as string | null) ?? null,
      createdDate: typeof r.CreatedDate === 'string' ? new Date(r.CreatedDate) : null,
    }));
}
