/**
 * The sandbox's stand-in for the package's Salesforce half of the outbound direction (the trigger action,
 * the `Teams_Outbound__e` platform event and the Queueable): it watches the Salesforce stand-in's
 * Opportunities, and when one's StageName changes to the handoff stage (through the REST API, as jsforce or the
 * sf CLI would change it) it sends one item per change to `POST /v1/outbound` with the same authenticated
 * contract the Queueable uses, keyed by a fresh event id. It also installs the app's bot in the demo team so
 * the card can be posted. Kept in its own file so it moves with the sandbox composition.
 */
import { randomUUID } from 'node:crypto';
import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';

interface OpportunityRow {
  Id: string;
  Name: string;
  Amount: number | null;
  CloseDate: string | null;
  StageName: string | null;
  NextStep: string | null;
  OwnerId: string | null;
  AccountId: string | null;
}

function handoffStage(sf: SalesforceEmulator): string {
  try {
    const rows = sf.control.query(
      "SELECT Handoff_Stage__c FROM Teams_Bridge_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1",
    ).records;
    return String(rows[0]?.Handoff_Stage__c ?? 'Qualification');
  } catch {
    return 'Qualification';
  }
}

function payloadOf(sf: SalesforceEmulator, o: OpportunityRow) {
  const lookup = (soql: string) => {
    try {
      return sf.control.query(soql).records[0];
    } catch {
      return undefined;
    }
  };
  const owner = o.OwnerId ? lookup(`SELECT Name, Email FROM User WHERE Id = '${o.OwnerId}'`) : undefined;
  const account = o.AccountId ? lookup(`SELECT Name FROM Account WHERE Id = '${o.AccountId}'`) : undefined;
  return {
    name: o.Name,
    amount: o.Amount,
    currencyIsoCode: 'USD',
    closeDate: o.CloseDate,
    stageName: o.StageName,
    nextStep: o.NextStep,
    ownerId: o.OwnerId,
    ownerName: (owner?.Name as string | undefined) ?? null,
    ownerEmail: (owner?.Email as string | undefined) ?? null,
    recordUrl: `${sf.instanceUrl}/lightning/r/Opportunity/${o.Id}/view`,
    accountName: (account?.Name as string | undefined) ?? null,
  };
}

export async function startOutboundTrigger(options: {
  graph: GraphEmulator;
  sf: SalesforceEmulator;
  serviceUrl: string;
  teamId: string;
  pollMs?: number;
  log?: (line: string) => void;
}): Promise<{ stop(): void }> {
  const { graph, sf } = options;
  graph.control.setBotEndpoint({ url: `${options.serviceUrl}/api/messages` });
  await graph.control.installBot({ teamId: options.teamId });
  const stage = handoffStage(sf);
  const seen = new Map<string, string | null>();
  const read = () =>
    sf.control.query(
      'SELECT Id, Name, Amount, CloseDate, StageName, NextStep, OwnerId, AccountId FROM Opportunity',
    ).records as unknown as OpportunityRow[];
  for (const o of read()) seen.set(o.Id, o.StageName);

  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const items = [];
      for (const o of read()) {
        const before = seen.get(o.Id);
        seen.set(o.Id, o.StageName);
        if (o.StageName === stage && before !== stage) {
          items.push({
            idempotencyKey: randomUUID(),
            kind: 'OpportunityHandoff',
            recordId: o.Id,
            payload: payloadOf(sf, o),
          });
        }
      }
      if (items.length === 0) return;
      const body = JSON.stringify({ items });
      const answer = await fetch(`${options.serviceUrl}/v1/outbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await sf.calloutSigner.authorization()) },
        body,
      });
      options.log?.(`sandbox trigger: ${items.length} handoff(s) sent to /v1/outbound → ${answer.status}`);
    } catch (err) {
      options.log?.(`sandbox trigger failed: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.pollMs ?? 500);
  return { stop: () => clearInterval(timer) };
}
