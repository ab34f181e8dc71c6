import type { Logger } from '../logger.ts';
import { soqlString, type SalesforceClient } from './connection.ts';
import { TtlCache } from './ttl-cache.ts';

/** An admin rule from Teams_Rule__mdt. */
export interface Rule {
  developerName: string;
  label: string;
  kind: 'Keyword' | 'Competitor';
  terms: string[];
  action: 'Task' | 'Flag';
  subjectTemplate: string;
  priority: 'High' | 'Normal' | 'Low';
  dueInDays: number;
  critical: boolean;
  active: boolean;
}

export interface ChannelLink {
  id: string;
  name: string;
  teamId: string;
  teamName: string | null;
  channelId: string;
  channelName: string | null;
  webUrl: string | null;
  status: string;
  /** The Opportunity or Account the channel is linked to. */
  recordId: string | null;
}

export interface UserMapping {
  id: string;
  entraObjectId: string;
  userId: string | null;
  status: string;
}

export interface ActiveUser {
  id: string;
  email: string | null;
  username: string | null;
}

const RULE_FIELDS =
  'DeveloperName, MasterLabel, Kind__c, Terms__c, Action__c, Subject_Template__c, Priority__c, Due_In_Days__c, Critical__c, Active__c';

/** Splits Terms__c: one term per line, commas also separate. */
export function splitTerms(raw: string | null | undefined): string[] {
  return (raw ?? '')
    .split(/[\n\r,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function toRule(r: Record<string, unknown>): Rule {
  const kind = r.Kind__c === 'Competitor' ? 'Competitor' : 'Keyword';
  const priority = r.Priority__c === 'High' || r.Priority__c === 'Low' ? r.Priority__c : 'Normal';
  return {
    developerName: String(r.DeveloperName),
    label: String(r.MasterLabel ?? r.DeveloperName),
    kind,
    terms: splitTerms(r.Terms__c as string | null),
    action: r.Action__c === 'Flag' ? 'Flag' : 'Task',
    subjectTemplate:
      typeof r.Subject_Template__c === 'string' && r.Subject_Template__c.trim()
        ? r.Subject_Template__c
        : 'Teams: {rule} ({term}) in {channel}',
    priority,
    dueInDays: Number.isFinite(Number(r.Due_In_Days__c)) ? Number(r.Due_In_Days__c) : 0,
    critical: r.Critical__c === true,
    active: r.Active__c === true,
  };
}

/**
 * Reads what the inbound pipeline needs from Salesforce, with caches so a burst of messages costs a handful of
 * API calls: rules (refreshed on an interval), channel links, record owners, user mappings, active users.
 */
export class SalesforceDirectory {
  private rules: { at: number; rules: Rule[] } | undefined;
  private rulesLoading: Promise<Rule[]> | undefined;
  private readonly links: TtlCache<ChannelLink | null>;
  private readonly owners: TtlCache<string | null>;
  private readonly mappings: TtlCache<UserMapping | null>;

  constructor(
    private readonly sf: SalesforceClient,
    private readonly logger: Logger,
    private readonly options: { rulesRefreshSeconds: number; lookupCacheSeconds: number },
  ) {
    const ttl = options.lookupCacheSeconds * 1000;
    this.links = new TtlCache(ttl);
    this.owners = new TtlCache(ttl);
    this.mappings = new TtlCache(ttl);
  }

  /** Active rules, cached; a failed refresh keeps serving the last good set. */
  async getRules(now = Date.now()): Promise<Rule[]> {
    const fresh = this.rules && now - this.rules.at < this.options.rulesRefreshSeconds * 1000;
    if (fresh) return this.rules!.rules;
    this.rulesLoading ??= this.sf
      .query(`SELECT ${RULE_FIELDS} FROM Teams_Rule__mdt`, 'rules')
      .then((rows) => {
        const rules = rows.map(toRule).filter((r) => r.active && r.terms.length > 0);
        this.rules = { at: Date.now(), rules };
        return rules;
      })
      .catch((err: unknown) => {
        if (this.rules) {
          this.logger.warn({ err }, 'refreshing rules failed: keeping the cached rules');
          this.rules.at = Date.now();
          return this.rules.rules;
        }
        throw err;
      })
      .finally(() => {
        this.rulesLoading = undefined;
      });
    return await this.rulesLoading;
  }

  invalidateRules(): void {
    this.rules = undefined;
  }

  async getChannelLink(channelId: string): Promise<ChannelLink | null> {
    return await this.links.get(channelId, async () => {
      const rows = await this.sf.query(
        `SELECT Id, Name, Team_Id__c, Team_Name__c, Channel_Id__c, Channel_Name__c, Web_Url__c, Status__c, ` +
          `Opportunity__c, Account__c FROM Teams_Channel_Link__c WHERE Channel_Id__c = ${soqlString(channelId)} LIMIT 1`,
        'channelLink',
      );
      const r = rows[0];
      if (!r) return null;
      return {
        id: String(r.Id),
        name: String(r.Name ?? ''),
        teamId: String(r.Team_Id__c ?? ''),
        teamName: (r.Team_Name__c as string | null) ?? null,
        channelId: String(r.Channel_Id__c),
        channelName: (r.Channel_Name__c as string | null) ?? null,
        webUrl: (r.Web_Url__c as string | null) ?? null,
        status: String(r.Status__c ?? 'Active'),
        recordId: (r.Opportunity__c as string | null) ?? (r.Account__c as string | null) ?? null,
      };
    });
  }

  /** OwnerId of the linked Opportunity or Account. */
  async getRecordOwner(recordId: string): Promise<string | null> {
    return await this.owners.get(recordId, async () => {
      const sobject = recordId.startsWith('006') ? 'Opportunity' : 'Account';
      const rows = await this.sf.query(
        `SELECT OwnerId FROM ${sobject} WHERE Id = ${soqlString(recordId)} LIMIT 1`,
        'recordOwner',
      );
      return (rows[0]?.OwnerId as string | undefined) ?? null;
    });
  }

  async getUserMapping(entraObjectId: string): Promise<UserMapping | null> {
    return await this.mappings.get(entraObjectId, async () => {
      const rows = await this.sf.query(
        `SELECT Id, Entra_Object_Id__c, User__c, Status__c FROM Teams_User_Mapping__c ` +
          `WHERE Entra_Object_Id__c = ${soqlString(entraObjectId)} LIMIT 1`,
        'userMapping',
      );
      const r = rows[0];
      return r
        ? {
            id: String(r.Id),
            entraObjectId: String(r.Entra_Object_Id__c),
            userId: (r.User__c as string | null) ?? null,
            status: String(r.Status__c ?? 'Unmapped'),
          }
        : null;
    });
  }

  /** Active Salesforce users whose Email or Username equals one of the given addresses. */
  async findActiveUsers(addresses: string[]): Promise<ActiveUser[]> {
    const unique = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
    if (unique.length === 0) return [];
    const list = unique.map(soqlString).join(', ');
    const rows = await this.sf.query(
      `SELECT Id, Email, Username FROM User WHERE IsActive = true AND (Email IN (${list}) OR Username IN (${list}))`,
      'activeUsers',
    );
    return rows.map((r) => ({
      id: String(r.Id),
      email: (r.Email as string | null) ?? null,
      username: (r.Username as string | null) ?? null,
    }));
  }

  /** Creates or updates the mapping for a Teams user (upsert on Entra_Object_Id__c). */
  async upsertUserMapping(mapping: {
    entraObjectId: string;
    name: string;
    userPrincipalName: string | null;
    email: string | null;
    userId: string | null;
    status: 'Auto' | 'Unmapped';
  }): Promise<void> {
    const record: Record<string, unknown> = {
      Entra_Object_Id__c: mapping.entraObjectId,
      Name: mapping.name.slice(0, 80) || mapping.entraObjectId,
      User_Principal_Name__c: mapping.userPrincipalName,
      Email__c: mapping.email,
      User__c: mapping.userId,
      Status__c: mapping.status,
      Last_Activity__c: new Date().toISOString(),
    };
    await this.sf.call('upsertUserMapping', async (conn) => {
      const result = await conn.sobject('Teams_User_Mapping__c').upsert(record, 'Entra_Object_Id__c');
      const one = Array.isArray(result) ? result[0] : result;
      if (one && !one.success) {
        throw new Error(`upserting Teams_User_Mapping__c failed: ${JSON.stringify(one.errors)}`);
      }
    });
    this.mappings.set(mapping.entraObjectId, {
      id: '',
      entraObjectId: mapping.entraObjectId,
      userId: mapping.userId,
      status: mapping.status,
    });
  }
}
