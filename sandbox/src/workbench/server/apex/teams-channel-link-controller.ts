import { type ChannelLinkRecord, liveFor, STATUS_ACTIVE, STATUS_UNLINKED, toDto } from './channel-links.ts';
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
import { requireEdit } from './record-access.ts';

const enc = encodeURIComponent;

function requireLinkAccess(ctx: ApexContext): void {
  if (!can(ctx, 'Teams_Channel_Link__c', 'edit')) throw noAccess('link Teams channels');
}

function requireText(value: unknown, message: string): void {
  if (isBlank(value)) throw withMessage(message);
}

async function call(
  ctx: ApexContext,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  try {
    return method === 'GET' ? await ctx.service.get(path) : await ctx.service.post(path, body);
  } catch (failure) {
    throw fromService(failure);
  }
}

function listOf(answer: unknown, key: string): Record<string, unknown>[] {
  const items = (answer as Record<string, unknown> | null)?.[key];
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

const toChannel = (source: Record<string, unknown> | null) => ({
  id: text(source?.id),
  displayName: text(source?.displayName),
  webUrl: text(source?.webUrl),
  membershipType: text(source?.membershipType),
});

function dmlMessage(err: unknown): string {
  const e = err as { message?: string; data?: { message?: string }[] };
  return e.data?.[0]?.message ?? e.message ?? String(err);
}

async function saveLink(
  ctx: ApexContext,
  params: {
    recordId: string;
    teamId: string;
    teamName: unknown;
    channelId: string;
    channelName: unknown;
    webUrl: unknown;
  },
) {
  const { recordId, channelId } = params;
  const isOpportunity = recordId.startsWith('006');
  const existing = await userModeQuery<ChannelLinkRecord>(
    ctx,
    ['Teams_Channel_Link__c'],
    `SELECT Id, Channel_Id__c, Opportunity__c, Account__c, Status__c FROM Teams_Channel_Link__c
     WHERE (Channel_Id__c = ${quote(channelId)} OR Opportunity__c = ${quote(recordId)} OR Account__c = ${quote(recordId)})
       AND Status__c != '${STATUS_UNLINKED}'`,
    () => noAccess('Teams channel links'),
  );
  const changes: { Id: string; Status__c: string }[] = [];
  for (const other of existing) {
    const sameRecord = other.Opportunity__c === recordId || other.Account__c === recordId;
    if (other.Channel_Id__c === channelId && !sameRecord) {
      throw withMessage(
        'This channel is already linked to another record. Unlink it there first, or pick another channel.',
      );
    }
    if (other.Channel_Id__c !== channelId) changes.push({ Id: other.Id, Status__c: STATUS_UNLINKED });
  }
  const channelName = text(params.channelName);
  const link = {
    Name: (isBlank(channelName) ? channelId : channelName!).slice(0, 80),
    Team_Id__c: params.teamId,
    Team_Name__c: text(params.teamName),
    Channel_Id__c: channelId,
    Channel_Name__c: channelName,
    Web_Url__c: text(params.webUrl),
    Status__c: STATUS_ACTIVE,
    Opportunity__c: isOpportunity ? recordId : null,
    Account__c: isOpportunity ? null : recordId,
  };
  try {
    if (changes.length > 0)
      await ctx.sf.sobject('Teams_Channel_Link__c').update(changes, { allOrNone: true });
    // Upsert on the unique channel id: relinking a previously unlinked channel reuses its record.
    const result = await ctx.sf.sobject('Teams_Channel_Link__c').upsert(link, 'Channel_Id__c');
    if (!result.success) throw Object.assign(new Error('upsert failed'), { data: result.errors });
  } catch (failure) {
    throw withMessage(`The channel could not be linked: ${dmlMessage(failure)}`);
  }
  return toDto(await liveFor(ctx, recordId));
}

/** TeamsChannelLinkController: pick a team and channel, create a channel, link and unlink. */
export const teamsChannelLinkController: ApexClass = {
  name: 'TeamsChannelLinkController',
  methods: {
    async listTeams(_params, ctx) {
      requireLinkAccess(ctx);
      return listOf(await call(ctx, 'GET', '/v1/teams'), 'teams').map((team) => ({
        id: text(team.id),
        displayName: text(team.displayName),
      }));
    },

    async listChannels({ teamId }, ctx) {
      requireLinkAccess(ctx);
      requireText(teamId, 'Pick a team first.');
      return listOf(await call(ctx, 'GET', `/v1/teams/${enc(String(teamId))}/channels`), 'channels').map(
        toChannel,
      );
    },

    async linkChannel({ recordId, teamId, teamName, channelId, channelName, webUrl }, ctx) {
      requireLinkAccess(ctx);
      await requireEdit(ctx, recordId);
      requireText(teamId, 'Pick a team first.');
      requireText(channelId, 'Pick a channel first.');
      return saveLink(ctx, {
        recordId: String(recordId),
        teamId: String(teamId),
        teamName,
        channelId: String(channelId),
        channelName,
        webUrl,
      });
    },

    async createChannel({ recordId, teamId, teamName, displayName }, ctx) {
      requireLinkAccess(ctx);
      await requireEdit(ctx, recordId);
      requireText(teamId, 'Pick a team first.');
      requireText(displayName, 'Give the new channel a name.');
      if (String(displayName).length > 50)
        throw withMessage('Teams channel names are at most 50 characters.');
      const answer = await call(ctx, 'POST', `/v1/teams/${enc(String(teamId))}/channels`, {
        displayName,
        description: 'Created from Salesforce by Teams Bridge',
      });
      const channel = toChannel(answer as Record<string, unknown> | null);
      if (isBlank(channel.id)) {
        throw withMessage('The Teams Bridge service created the channel but did not return its id.');
      }
      return saveLink(ctx, {
        recordId: String(recordId),
        teamId: String(teamId),
        teamName,
        channelId: channel.id!,
        channelName: channel.displayName,
        webUrl: channel.webUrl,
      });
    },

    async unlinkChannel({ linkId }, ctx) {
      requireLinkAccess(ctx);
      const [link] = await userModeQuery<ChannelLinkRecord>(
        ctx,
        ['Teams_Channel_Link__c'],
        `SELECT Id, Opportunity__c, Account__c FROM Teams_Channel_Link__c WHERE Id = ${quote(linkId)}`,
        () => noAccess('Teams channel links'),
      );
      if (!link) throw withMessage('This channel link no longer exists. Refresh the page.');
      await requireEdit(ctx, link.Opportunity__c ?? link.Account__c);
      try {
        await ctx.sf.sobject('Teams_Channel_Link__c').update({ Id: link.Id, Status__c: STATUS_UNLINKED });
      } catch (failure) {
        throw withMessage(`The channel could not be unlinked: ${dmlMessage(failure)}`);
      }
      return null;
    },
  },
};
