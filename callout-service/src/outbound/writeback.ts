/**
 * The outcome back in Salesforce: the card's Teams link on the Opportunity (`Teams_Message_Url__c`), so the
 * rep sees it was posted. A converted Lead cannot be updated any more (CANNOT_UPDATE_CONVERTED_LEAD), so
 * LeadConverted items end without a write-back.
 */
import type { SalesforceClient } from '../salesforce/connection.ts';
import type { OutboundItem } from './outbound-rows.ts';

export async function writeBackMessageLink(
  sf: SalesforceClient,
  item: OutboundItem,
  url: string,
): Promise<boolean> {
  if (!item.recordId.startsWith('006')) return false;
  await sf.call('outboundWriteBack', async (conn) => {
    const result = await conn.sobject('Opportunity').update({ Id: item.recordId, Teams_Message_Url__c: url });
    const r = Array.isArray(result) ? result[0] : result;
    if (r && !r.success) {
      throw new Error(`Salesforce refused the Teams link on ${item.recordId}: ${JSON.stringify(r.errors)}`);
    }
  });
  return true;
}
