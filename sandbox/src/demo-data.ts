import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';

/** The demo tenant's Sales team and its Deal Desk channel (from the Graph stand-in's default seed). */
export const DEMO_TEAM = { id: '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Sales' };
export const DEMO_CHANNEL = { id: '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2', name: 'Deal Desk' };

export interface DemoData {
  opportunityId: string;
  opportunityName: string;
  channelLinkId: string;
  mappedUser: { teamsUpn: string; salesforceUserId: string };
  unmappedUser: { teamsUpn: string };
}

function one(sf: SalesforceEmulator, soql: string): Record<string, unknown> {
  const record = sf.control.query(soql).records[0];
  if (!record) throw new Error(`the Salesforce stand-in's demo org has no record for: ${soql}`);
  return record;
}

/**
 * Seeds what the demo needs on top of the stand-ins' own demo data: the Deal Desk channel linked to the
 * Contoso Opportunity, the demo Teams user mapped to their Salesforce user, a Teams user with no active
 * Salesforce user recorded as unmapped. Megan stays without a mapping: she is auto-mapped by email on her
 * first message. The rules are the package's default Teams_Rule__mdt records, read from force-app.
 */
export function seedDemo(graph: GraphEmulator, sf: SalesforceEmulator): DemoData {
  const opportunity = one(sf, "SELECT Id, Name FROM Opportunity WHERE Name LIKE 'Contoso%' LIMIT 1");
  const users = graph.control.state().users as {
    id: string;
    userPrincipalName: string;
    displayName: string;
  }[];
  const demo = users.find((u) => u.userPrincipalName === graph.demoUser.username);
  const lee = users.find((u) => u.userPrincipalName === 'lee@contoso.example');
  if (!demo || !lee) throw new Error("the Graph stand-in's demo tenant lacks its demo users");
  const demoSalesforceUser = one(sf, `SELECT Id FROM User WHERE Email = '${demo.userPrincipalName}' LIMIT 1`);

  const [channelLinkId] = sf.control.seed('Teams_Channel_Link__c', {
    Name: DEMO_CHANNEL.name,
    Opportunity__c: opportunity.Id,
    Team_Id__c: DEMO_TEAM.id,
    Team_Name__c: DEMO_TEAM.name,
    Channel_Id__c: DEMO_CHANNEL.id,
    Channel_Name__c: DEMO_CHANNEL.name,
    Web_Url__c: `https://teams.microsoft.com/l/channel/${encodeURIComponent(DEMO_CHANNEL.id)}/Deal%20Desk`,
    Status__c: 'Active',
  });
  sf.control.seed('Teams_User_Mapping__c', [
    {
      Name: demo.displayName,
      Entra_Object_Id__c: demo.id,
      User_Principal_Name__c: demo.userPrincipalName,
      Email__c: demo.userPrincipalName,
      User__c: demoSalesforceUser.Id,
      Status__c: 'Manual',
    },
    {
      Name: lee.displayName,
      Entra_Object_Id__c: lee.id,
      User_Principal_Name__c: lee.userPrincipalName,
      Email__c: 'lee.gu@contoso.example',
      User__c: null,
      Status__c: 'Unmapped',
    },
  ]);
  return {
    opportunityId: String(opportunity.Id),
    opportunityName: String(opportunity.Name),
    channelLinkId: channelLinkId!,
    mappedUser: { teamsUpn: demo.userPrincipalName, salesforceUserId: String(demoSalesforceUser.Id) },
    unmappedUser: { teamsUpn: lee.userPrincipalName },
  };
}
