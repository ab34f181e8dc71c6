import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import { websiteHost } from '@teams-bridge/callout-service/src/transcripts/record-match.ts';

/** The demo tenant's Sales team and its Deal Desk channel (from the Graph stand-in's default seed). */
export const DEMO_TEAM = { id: '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Sales' };
export const DEMO_CHANNEL = { id: '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2', name: 'Deal Desk' };

/** The demo Account's people on the customer side, in their own Entra tenant (federated to Contoso's). */
export const DEMO_CUSTOMER_TENANT_ID = '3b9d6f2a-7c41-4e85-9a06-5d1e8f2c4b97';

/** Who the simulated meetings bring together (sandbox/src/workbench/server/meeting-transcripts.ts). */
export interface DemoMeetings {
  /** The mapped demo Teams user, who organises every simulated meeting. */
  organizer: { id: string; displayName: string };
  colleague: { id: string; displayName: string };
  /** A Contact of the demo Account, on its Website's domain: their meetings match the Account. */
  customer: { displayName: string; email: string; tenantId: string };
  /** Someone from a company no Account knows: their meeting lands on the unassigned list. */
  prospect: { displayName: string; email: string; tenantId: string };
  accountName: string;
  accountWebsite: string;
}

export interface DemoData {
  opportunityId: string;
  opportunityName: string;
  channelLinkId: string;
  mappedUser: { teamsUpn: string; salesforceUserId: string };
  unmappedUser: { teamsUpn: string };
  meetings: DemoMeetings;
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
  const opportunity = one(
    sf,
    "SELECT Id, Name, AccountId FROM Opportunity WHERE Name LIKE 'Contoso%' LIMIT 1",
  );
  const users = graph.control.state().users as {
    id: string;
    userPrincipalName: string;
    displayName: string;
  }[];
  const demo = users.find((u) => u.userPrincipalName === graph.demoUser.username);
  const lee = users.find((u) => u.userPrincipalName === 'lee@contoso.example');
  const megan = users.find((u) => u.userPrincipalName === 'megan@contoso.example');
  if (!demo || !lee || !megan) throw new Error("the Graph stand-in's demo tenant lacks its demo users");
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
  const meetings = seedMeetingData(graph, sf, String(opportunity.AccountId), demo, megan);
  return {
    opportunityId: String(opportunity.Id),
    opportunityName: String(opportunity.Name),
    channelLinkId: channelLinkId!,
    mappedUser: { teamsUpn: demo.userPrincipalName, salesforceUserId: String(demoSalesforceUser.Id) },
    unmappedUser: { teamsUpn: lee.userPrincipalName },
    meetings,
  };
}

/**
 * What the meeting-transcript path needs on top: the demo Account's Website on the customer's own domain (the
 * service matches external attendees' email domains against it), a Contact there who joins the meetings, and
 * the Teams application access policy covering the organiser (without it Graph answers 403 to every app-only
 * read of the meeting and its transcript). The getAllTranscripts subscription itself is the service's: it
 * creates it at start when TRANSCRIPTS_ENABLED (the default), and start.ts waits for it.
 */
function seedMeetingData(
  graph: GraphEmulator,
  sf: SalesforceEmulator,
  accountId: string,
  organizer: { id: string; displayName: string },
  colleague: { id: string; displayName: string },
): DemoMeetings {
  const account = one(sf, `SELECT Name, Website FROM Account WHERE Id = '${accountId}'`);
  const website = String(account.Website ?? '');
  // The service's own reading of a Website, so the sandbox seeds what its matcher will find.
  const domain = websiteHost(website);
  if (!domain || domain === graph.control.state().tenant.domain) {
    throw new Error(
      `the demo Account's Website (${website || 'empty'}) must be the customer's own domain, not the Teams tenant's`,
    );
  }
  const customer = {
    displayName: 'Dana Whitfield',
    email: `dana.whitfield@${domain}`,
    tenantId: DEMO_CUSTOMER_TENANT_ID,
  };
  sf.control.seed('Contact', {
    FirstName: 'Dana',
    LastName: 'Whitfield',
    Title: 'Head of Procurement',
    Email: customer.email,
    AccountId: accountId,
  });
  const policy = graph.control.grantAccessPolicy({ userIds: [organizer.id] }).accessPolicy;
  if (policy !== 'global' && !policy?.includes(organizer.id)) {
    throw new Error("the Graph stand-in's application access policy does not cover the meeting organiser");
  }
  return {
    organizer: { id: organizer.id, displayName: organizer.displayName },
    colleague: { id: colleague.id, displayName: colleague.displayName },
    customer,
    prospect: {
      displayName: 'Jordan Price',
      email: 'jordan.price@northwindtraders.example',
      tenantId: '8e2a4c6b-1d3f-4a5e-9b7c-0f2e4d6a8c19',
    },
    accountName: String(account.Name),
    accountWebsite: website,
  };
}
