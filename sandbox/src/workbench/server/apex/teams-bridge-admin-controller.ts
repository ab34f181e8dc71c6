import {
  type ApexClass,
  type ApexContext,
  can,
  fromService,
  isBlank,
  noAccess,
  quote,
  text,
  userModeQuery,
  withMessage,
} from './context.ts';

const MAX_MAPPINGS = 500;
const MAX_AUTO_MATCH = 2000;
const MAX_LINKS = 1000;
const MAX_ACTIVITY = 200;
const MAPPING_FIELDS =
  'Id, Name, Entra_Object_Id__c, User_Principal_Name__c, Email__c, User__c, User__r.Name, Status__c, Last_Activity__c';
const enc = encodeURIComponent;

interface MappingRecord {
  Id: string;
  Name: string;
  Entra_Object_Id__c: string | null;
  User_Principal_Name__c: string | null;
  Email__c: string | null;
  User__c: string | null;
  User__r?: { Name?: string } | null;
  Status__c: string | null;
  Last_Activity__c: string | null;
}

const toMappingDto = (m: MappingRecord) => ({
  id: m.Id,
  name: m.Name,
  entraObjectId: m.Entra_Object_Id__c,
  userPrincipalName: m.User_Principal_Name__c,
  email: m.Email__c,
  userId: m.User__c,
  userName: m.User__r?.Name ?? null,
  status: m.Status__c,
  lastActivity: m.Last_Activity__c,
});

/** TeamsBridgeAdminAccess.requireAdmin: the custom permission the Admin permission set grants. */
export function requireAdmin(ctx: ApexContext): void {
  if (!ctx.persona.access.customPermissions.has('Teams_Bridge_Administer'))
    throw noAccess('Teams Bridge administration (custom permission Teams_Bridge_Administer)');
}

async function saveMappings(ctx: ApexContext, changes: Record<string, unknown>[]): Promise<void> {
  if (changes.length === 0) return;
  if (!can(ctx, 'Teams_User_Mapping__c', 'edit')) throw noAccess('change Teams user mappings');
  const results = await ctx.sf.sobject('Teams_User_Mapping__c').update(changes as { Id: string }[]);
  const failed = results.find((r) => !r.success);
  if (failed) {
    const error = (failed.errors as unknown as { message?: string }[])[0];
    throw withMessage(`The mapping could not be saved: ${error?.message ?? 'unknown error'}`);
  }
}

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : null);

function describe(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'ok' : 'error';
  const fields = (value ?? {}) as Record<string, unknown>;
  if (typeof fields.status === 'string') {
    return typeof fields.message === 'string' ? `${fields.status}: ${fields.message}` : fields.status;
  }
  return JSON.stringify(value);
}

function summarize(payload: unknown): string | null {
  const fields = (payload ?? {}) as Record<string, unknown>;
  for (const key of ['summary', 'subject', 'title']) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim())
      return value.length > 255 ? `${value.slice(0, 252)}...` : value;
  }
  if (typeof fields.kind === 'string' && typeof fields.recordId === 'string')
    return `${fields.kind} ${fields.recordId}`;
  return null;
}

const toInteger = (value: unknown) => (typeof value === 'number' ? Math.trunc(value) : 0);

async function openOutboundFailures(ctx: ApexContext): Promise<number> {
  const { records } = await ctx.sf.query<{ Id: string }>(
    "SELECT Id FROM Teams_Outbound_Failure__c WHERE Status__c IN ('Open', 'Paused')",
  );
  return records.length;
}

/** The setup tab's panels; the Apex side has one controller per panel (see the table in index.ts). */
export const teamsBridgeAdminController: ApexClass = {
  name: 'TeamsBridgeAdminController',
  methods: {
    async getUserMappings({ searchTerm, status }, ctx) {
      const conditions: string[] = [];
      if (!isBlank(searchTerm)) {
        // LIKE wildcards typed by the user are matched literally, as the controller's escaping does.
        const literal = String(searchTerm)
          .trim()
          .replace(/\\/g, '\\\\')
          .replace(/%/g, '\\%')
          .replace(/_/g, '\\_');
        const pattern = `'%${literal.replace(/'/g, "\\'")}%'`;
        conditions.push(
          `(Name LIKE ${pattern} OR User_Principal_Name__c LIKE ${pattern} OR Email__c LIKE ${pattern})`,
        );
      }
      if (!isBlank(status)) conditions.push(`Status__c = ${quote(status)}`);
      const records = await userModeQuery<MappingRecord>(
        ctx,
        ['Teams_User_Mapping__c'],
        `SELECT ${MAPPING_FIELDS} FROM Teams_User_Mapping__c${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY Name LIMIT ${MAX_MAPPINGS}`,
        () => noAccess('Teams user mappings'),
      );
      return records.map(toMappingDto);
    },

    async updateMapping({ mappingId, userId }, ctx) {
      if (isBlank(mappingId)) throw withMessage('Pick a mapping to change.');
      const change: Record<string, unknown> = { Id: mappingId, User__c: isBlank(userId) ? null : userId };
      if (isBlank(userId)) {
        change.Status__c = 'Unmapped';
      } else {
        const users = (
          await ctx.sf.query<{ Id: string; IsActive: boolean }>(
            `SELECT Id, IsActive FROM User WHERE Id = ${quote(userId)}`,
          )
        ).records;
        if (users.length === 0 || !users[0]!.IsActive) throw withMessage('Pick an active Salesforce user.');
        change.Status__c = 'Manual';
      }
      await saveMappings(ctx, [change]);
      const [saved] = await userModeQuery<MappingRecord>(
        ctx,
        ['Teams_User_Mapping__c'],
        `SELECT ${MAPPING_FIELDS} FROM Teams_User_Mapping__c WHERE Id = ${quote(mappingId)}`,
        () => noAccess('Teams user mappings'),
      );
      return saved ? toMappingDto(saved) : null;
    },

    async autoMatchMappings(_params, ctx) {
      const unmapped = await userModeQuery<MappingRecord>(
        ctx,
        ['Teams_User_Mapping__c'],
        `SELECT Id, User_Principal_Name__c, Email__c FROM Teams_User_Mapping__c WHERE User__c = null LIMIT ${MAX_AUTO_MATCH}`,
        () => noAccess('Teams user mappings'),
      );
      const addresses = new Set<string>();
      for (const m of unmapped) {
        for (const a of [lower(m.Email__c), lower(m.User_Principal_Name__c)]) if (a) addresses.add(a);
      }
      const userByAddress = new Map<string, string>();
      const ambiguous = new Set<string>();
      if (addresses.size > 0) {
        const list = [...addresses].map(quote).join(', ');
        const users = (
          await ctx.sf.query<{ Id: string; Email: string; Username: string }>(
            `SELECT Id, Email, Username FROM User WHERE IsActive = true AND (Email IN (${list}) OR Username IN (${list}))`,
          )
        ).records;
        for (const candidate of users) {
          for (const address of new Set([lower(candidate.Email), lower(candidate.Username)])) {
            if (!address || !addresses.has(address)) continue;
            if (userByAddress.has(address) && userByAddress.get(address) !== candidate.Id)
              ambiguous.add(address);
            userByAddress.set(address, candidate.Id);
          }
        }
      }
      const pick = (address: unknown) => {
        const key = lower(address);
        return key === null || ambiguous.has(key) ? undefined : userByAddress.get(key);
      };
      const result = { matched: 0, unmatched: 0 };
      const changes: Record<string, unknown>[] = [];
      for (const m of unmapped) {
        const userId = pick(m.Email__c) ?? pick(m.User_Principal_Name__c);
        if (!userId) {
          result.unmatched++;
        } else {
          // Ownership stays where it is (the Apex controller no longer transfers it).
          changes.push({ Id: m.Id, User__c: userId, Status__c: 'Auto' });
          result.matched++;
        }
      }
      await saveMappings(ctx, changes);
      return result;
    },

    async getChannelHealth(_params, ctx) {
      const onNoAccess = () => noAccess('Teams channel links and subscriptions');
      // The stand-in's SOQL has no subqueries: the Subscriptions__r child query is run as a second query.
      const links = await userModeQuery<Record<string, unknown>>(
        ctx,
        ['Teams_Channel_Link__c', 'Teams_Subscription__c'],
        `SELECT Id, Name, Opportunity__c, Opportunity__r.Name, Account__c, Account__r.Name, Team_Name__c, Channel_Name__c, Web_Url__c, Status__c
         FROM Teams_Channel_Link__c ORDER BY Status__c, Name LIMIT ${MAX_LINKS}`,
        onNoAccess,
      );
      const subscriptions =
        links.length === 0
          ? []
          : await userModeQuery<Record<string, unknown>>(
              ctx,
              ['Teams_Subscription__c'],
              `SELECT Channel_Link__c, Subscription_Id__c, Expiration__c, Status__c, Last_Notification__c, Last_Error__c
               FROM Teams_Subscription__c WHERE Channel_Link__c IN (${links.map((l) => quote(l.Id)).join(', ')})
               ORDER BY Expiration__c DESC NULLS LAST`,
              onNoAccess,
            );
      return links.map((link) => {
        const newest = subscriptions.find((s) => s.Channel_Link__c === link.Id);
        const opportunity = link.Opportunity__r as { Name?: string } | null;
        const account = link.Account__r as { Name?: string } | null;
        return {
          linkId: link.Id,
          name: link.Name,
          recordId: link.Opportunity__c ?? link.Account__c,
          recordName: link.Opportunity__c ? (opportunity?.Name ?? null) : (account?.Name ?? null),
          teamName: link.Team_Name__c,
          channelName: link.Channel_Name__c,
          webUrl: link.Web_Url__c,
          linkStatus: link.Status__c,
          subscriptionId: newest?.Subscription_Id__c ?? null,
          expiration: newest?.Expiration__c ?? null,
          subscriptionStatus: newest?.Status__c ?? null,
          lastNotification: newest?.Last_Notification__c ?? null,
          lastError: newest?.Last_Error__c ?? null,
        };
      });
    },

    async renewSubscription({ subscriptionId }, ctx) {
      requireAdmin(ctx);
      if (isBlank(subscriptionId)) {
        throw withMessage('This channel has no subscription to renew yet; the service creates one shortly.');
      }
      try {
        await ctx.service.post(`/v1/subscriptions/${enc(String(subscriptionId))}/renew`, null);
      } catch (failure) {
        throw fromService(failure);
      }
      return null;
    },

    async getRules(_params, ctx) {
      // Custom metadata: readable by everyone with the class (getAll() needs no object permission).
      const rules = (
        await ctx.sf.query<Record<string, unknown>>(
          'SELECT DeveloperName, MasterLabel, Kind__c, Terms__c, Action__c, Priority__c, Critical__c, Active__c, Subject_Template__c FROM Teams_Rule__mdt',
        )
      ).records;
      return rules
        .sort((a, b) =>
          `${a.MasterLabel}\u0000${a.DeveloperName}`.localeCompare(
            `${b.MasterLabel}\u0000${b.DeveloperName}`,
          ),
        )
        .map((rule) => ({
          developerName: rule.DeveloperName,
          label: rule.MasterLabel,
          kind: rule.Kind__c,
          terms: rule.Terms__c,
          action: rule.Action__c,
          priority: rule.Priority__c,
          critical: rule.Critical__c,
          active: rule.Active__c,
          subjectTemplate: rule.Subject_Template__c,
        }));
    },

    async getActivityLog({ limitSize }, ctx) {
      const n = typeof limitSize === 'number' && limitSize >= 1 ? Math.min(limitSize, MAX_ACTIVITY) : 50;
      const tasks = await userModeQuery<Record<string, unknown>>(
        ctx,
        ['Task'],
        `SELECT Id, Subject, WhatId, What.Name, Owner.Name, CreatedDate, Teams_Message_Url__c, Priority, Status
         FROM Task WHERE Teams_Message_Id__c != null ORDER BY CreatedDate DESC LIMIT ${n}`,
        () => noAccess('the Teams fields on Tasks'),
      );
      return tasks.map((task) => ({
        id: task.Id,
        subject: task.Subject,
        whatId: task.WhatId,
        whatName: (task.What as { Name?: string } | null)?.Name ?? null,
        ownerName: (task.Owner as { Name?: string } | null)?.Name ?? null,
        createdDate: task.CreatedDate,
        messageUrl: task.Teams_Message_Url__c,
        priority: task.Priority,
        status: task.Status,
      }));
    },

    async getDeadLetters({ limitSize, offset }, ctx) {
      requireAdmin(ctx);
      const size = typeof limitSize === 'number' && limitSize >= 1 ? Math.min(limitSize, 200) : 20;
      const skip = typeof offset === 'number' && offset >= 0 ? offset : 0;
      let answer: Record<string, unknown>;
      try {
        answer = ((await ctx.service.get(`/v1/dead-letters?limit=${size}&offset=${skip}`)) ?? {}) as Record<
          string,
          unknown
        >;
      } catch (failure) {
        throw fromService(failure);
      }
      const items = Array.isArray(answer.items) ? (answer.items as Record<string, unknown>[]) : [];
      return {
        total: toInteger(answer.total),
        items: items.map((item) => ({
          id: item.id === null || item.id === undefined ? null : String(item.id),
          queue: text(item.queue),
          error: describe(item.error),
          failedAt: text(item.failedAt),
          attempts: toInteger(item.attempts),
          summary: summarize(item.payload),
        })),
      };
    },

    async retryDeadLetter({ deadLetterId }, ctx) {
      requireAdmin(ctx);
      if (isBlank(deadLetterId)) throw withMessage('Pick a failed job to retry.');
      try {
        await ctx.service.post(`/v1/dead-letters/${enc(String(deadLetterId))}/retry`, null);
      } catch (failure) {
        throw fromService(failure);
      }
      return null;
    },

    async getServiceStatus(_params, ctx) {
      requireAdmin(ctx);
      const status: Record<string, unknown> = { healthy: false, checkedAt: new Date().toISOString() };
      try {
        const answer = ((await ctx.service.get('/v1/status')) ?? {}) as Record<string, unknown>;
        status.healthy = answer.healthy === true;
        status.database = describe(answer.database);
        status.graph = describe(answer.graph);
        status.salesforce = describe(answer.salesforce);
        status.queueDepth = toInteger(answer.queueDepth);
        status.teamsWithoutApp = Array.isArray(answer.teamsWithoutApp)
          ? (answer.teamsWithoutApp as Record<string, unknown>[]).map((team) => ({
              teamId: describe(team.teamId),
              teamName: describe(team.teamName),
              lastInstallAttempt: describe(team.lastInstallAttempt),
            }))
          : [];
        status.outboundFailures = await openOutboundFailures(ctx);
        status.message = status.healthy
          ? null
          : 'The Teams Bridge service reports a problem: see the checks below.';
      } catch (failure) {
        status.teamsWithoutApp = null; // not known, as in the Apex controller
        status.message = fromService(failure).message;
      }
      return status;
    },

    async resumeOutbound(_params, ctx) {
      requireAdmin(ctx);
      return null; // the stand-in org is never a fresh sandbox copy: posting is never paused here
    },

    async getOutboundFailures(_params, ctx) {
      requireAdmin(ctx);
      const records = await userModeQuery<Record<string, unknown>>(
        ctx,
        ['Teams_Outbound_Failure__c'],
        "SELECT Id, Name, Status__c, Source__c, Item_Count__c, Attempts__c, Reason__c, Record_Id__c, CreatedDate FROM Teams_Outbound_Failure__c WHERE Status__c IN ('Open', 'Paused') ORDER BY CreatedDate DESC LIMIT 200",
        () => noAccess('Teams outbound failures'),
      );
      return records.map((r) => ({
        id: r.Id,
        name: r.Name,
        status: r.Status__c,
        source: r.Source__c,
        itemCount: r.Item_Count__c,
        attempts: r.Attempts__c,
        reason: r.Reason__c,
        recordId: r.Record_Id__c,
        createdDate: r.CreatedDate,
      }));
    },

    async retryOutboundFailure({ failureId }, ctx) {
      requireAdmin(ctx);
      const { records } = await ctx.sf.query<{ Id: string; Items__c: string | null }>(
        `SELECT Id, Items__c FROM Teams_Outbound_Failure__c WHERE Id = ${quote(failureId)}`,
      );
      if (records.length === 0) throw withMessage('This failure no longer exists or you cannot see it.');
      const items = (JSON.parse(records[0]!.Items__c ?? '[]') as Record<string, unknown>[]).filter(
        (item) => item?.idempotencyKey,
      );
      if (items.length === 0)
        throw withMessage(
          'This failure holds no card to send (the trigger failed before building it): save the record again to post it.',
        );
      try {
        await ctx.service.post('/v1/outbound', { items });
      } catch (failure) {
        throw fromService(failure);
      }
      await ctx.sf.sobject('Teams_Outbound_Failure__c').update({ Id: records[0]!.Id, Status__c: 'Retried' });
      return null;
    },
  },
};
