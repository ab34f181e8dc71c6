/**
 * Which Salesforce record a meeting's Tasks belong to: the record linked to the meeting's chat or channel;
 * otherwise the most recently modified open Opportunity of the Account whose Website or whose Contacts' Email
 * share an external attendee's email domain. Personal mail domains never identify an Account.
 */
import { soqlString, type SalesforceClient } from '../salesforce/connection.ts';
import type { SalesforceDirectory } from '../salesforce/directory.ts';

export type RecordMatch =
  | { recordId: string; ownerId: string | null; how: 'linked-chat' | 'account-domain' }
  | { recordId: null; reason: string; accountIds: string[] };

const PERSONAL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'qq.com',
  '163.com',
]);

/** `https://www.Fabrikam.example/about` -> `fabrikam.example`. */
export function websiteHost(website: string): string | undefined {
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(website) ? website : `https://${website}`);
    return url.hostname.toLowerCase().replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}

const sameOrganisation = (host: string, domain: string) =>
  host === domain || domain.endsWith(`.${host}`) || host.endsWith(`.${domain}`);

export class RecordMatcher {
  constructor(
    private readonly sf: SalesforceClient,
    private readonly directory: SalesforceDirectory,
  ) {}

  async match(chatThreadId: string | null, domains: string[]): Promise<RecordMatch> {
    if (chatThreadId) {
      const link = await this.directory.getChannelLink(chatThreadId);
      if (link && link.status === 'Active' && link.recordId) {
        return { recordId: link.recordId, ownerId: null, how: 'linked-chat' };
      }
    }
    const business = domains.filter((d) => !PERSONAL_DOMAINS.has(d) && /^[a-z0-9.-]+\.[a-z]{2,}$/.test(d));
    if (business.length === 0) {
      return {
        recordId: null,
        reason: 'no linked chat and no business email domain among the external attendees',
        accountIds: [],
      };
    }
    const accountIds = await this.accountsFor(business);
    if (accountIds.length === 0) {
      return {
        recordId: null,
        reason: `no Account website or Contact email matches ${business.join(', ')}`,
        accountIds,
      };
    }
    const rows = await this.sf.query(
      `SELECT Id, OwnerId FROM Opportunity WHERE AccountId IN (${accountIds.map(soqlString).join(', ')}) ` +
        'AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT 1',
      'transcriptOpportunity',
    );
    const opportunity = rows[0];
    if (!opportunity) {
      return { recordId: null, reason: 'the matching Account has no open Opportunity', accountIds };
    }
    return {
      recordId: String(opportunity.Id),
      ownerId: (opportunity.OwnerId as string) ?? null,
      how: 'account-domain',
    };
  }

  private async accountsFor(domains: string[]): Promise<string[]> {
    const websiteClauses = domains.map((d) => `Website LIKE ${soqlString(`%${d}%`)}`).join(' OR ');
    const emailClauses = domains.map((d) => `Email LIKE ${soqlString(`%@${d}`)}`).join(' OR ');
    const [accounts, contacts] = await Promise.all([
      this.sf.query(`SELECT Id, Website FROM Account WHERE ${websiteClauses} LIMIT 50`, 'transcriptAccounts'),
      this.sf.query(
        `SELECT AccountId, Email FROM Contact WHERE AccountId != null AND (${emailClauses}) LIMIT 200`,
        'transcriptContacts',
      ),
    ]);
    const ids = new Set<string>();
    // LIKE is loose ("%fabrikam.example%" also finds "notfabrikam.example"): compare hosts exactly.
    for (const a of accounts) {
      const host = typeof a.Website === 'string' ? websiteHost(a.Website) : undefined;
      if (host && domains.some((d) => sameOrganisation(host, d))) ids.add(String(a.Id));
    }
    for (const c of contacts) {
      const domain = String(c.Email ?? '')
        .split('@')[1]
        ?.toLowerCase();
      if (domain && domains.includes(domain)) ids.add(String(c.AccountId));
    }
    return [...ids];
  }
}
