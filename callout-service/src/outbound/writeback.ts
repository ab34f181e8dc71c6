/**
 * The outcome back in Salesforce: the card's Teams link on the Opportunity (`Teams_Message_Url__c`), so the
 * rep sees it was posted. A converted Lead cannot be updated any more (CANNOT_UPDATE_CONVERTED_LEAD), so a
 * LeadConverted item writes the link to the Opportunity the Lead converted into (Lead.ConvertedOpportunityId)
 * and, when there is none, says so on the item instead of writing anything.
 */
import { errorCode } from '../salesforce/errors.ts';
import { soqlString, type SalesforceClient } from '../salesforce/connection.ts';
import type { OutboundItem } from './outbound-rows.ts';

export type WriteBackOutcome =
  | { written: true; opportunityId: string }
  /** Nothing to write to: the reason, kept on the item. */
  | { written: false; note: string };

/** Salesforce refused the write for good: retrying the same write cannot succeed. */
export class WriteBackRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'WriteBackRefused';
  }
}

/** Codes that say the record is gone or read-only for good (the REST API's per-record status codes). */
const GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND', 'CANNOT_UPDATE_CONVERTED_LEAD']);

async function writeToOpportunity(sf: SalesforceClient, opportunityId: string, url: string): Promise<void> {
  let result: unknown;
  try {
    result = await sf.call('outboundWriteBack', (conn) =>
      conn.sobject('Opportunity').update({ Id: opportunityId, Teams_Message_Url__c: url }),
    );
  } catch (err) {
    // Outside sf.call, so that its REQUEST_LIMIT_EXCEEDED handling saw the original error.
    const code = errorCode(err);
    if (code && GONE.has(code)) throw new WriteBackRefused(`${code}: ${(err as Error).message}`, code);
    if (code) throw new Error(`${code}: ${(err as Error).message}`, { cause: err });
    throw err;
  }
  const r = (Array.isArray(result) ? result[0] : result) as
    { success: boolean; errors?: { statusCode?: string; message?: string }[] } | undefined;
  if (r && !r.success) {
    const first = r.errors?.[0];
    const detail = `${first?.statusCode ?? 'error'}: ${first?.message ?? JSON.stringify(r.errors)}`;
    if (first?.statusCode && GONE.has(first.statusCode)) throw new WriteBackRefused(detail, first.statusCode);
    throw new Error(`Salesforce refused the Teams link on ${opportunityId}: ${detail}`);
  }
}

/** Which Opportunity a converted Lead became, or why there is none. */
async function convertedOpportunity(
  sf: SalesforceClient,
  leadId: string,
): Promise<{ opportunityId: string } | { note: string }> {
  const [lead] = await sf.query<{ IsConverted?: boolean; ConvertedOpportunityId?: string | null }>(
    `SELECT IsConverted, ConvertedOpportunityId FROM Lead WHERE Id = ${soqlString(leadId)}`,
    'outboundConvertedLead',
  );
  if (!lead) return { note: `Lead ${leadId} no longer exists: the Teams link was not written back` };
  if (lead.ConvertedOpportunityId) return { opportunityId: lead.ConvertedOpportunityId };
  if (!lead.IsConverted) {
    return { note: `Lead ${leadId} is not converted (yet): the Teams link was not written back` };
  }
  return {
    note:
      `Lead ${leadId} was converted without an Opportunity, and a converted Lead cannot be updated ` +
      '(CANNOT_UPDATE_CONVERTED_LEAD): the Teams link was not written back',
  };
}

export async function writeBackMessageLink(
  sf: SalesforceClient,
  item: Pick<OutboundItem, 'kind' | 'recordId'>,
  url: string,
): Promise<WriteBackOutcome> {
  let opportunityId: string;
  if (item.recordId.startsWith('006')) {
    opportunityId = item.recordId;
  } else if (item.recordId.startsWith('00Q')) {
    const found = await convertedOpportunity(sf, item.recordId);
    if ('note' in found) return { written: false, note: found.note };
    opportunityId = found.opportunityId;
  } else {
    return {
      written: false,
      note: `record ${item.recordId} is neither an Opportunity nor a Lead: no Teams link field to write`,
    };
  }
  await writeToOpportunity(sf, opportunityId, url);
  return { written: true, opportunityId };
}
