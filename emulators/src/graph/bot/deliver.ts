/**
 * Activities the Teams service sends to a bot's messaging endpoint: installation (conversationUpdate +
 * installationUpdate) and Adaptive Card `Action.Execute` invokes, each signed with a Bot Framework JWT.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';
import type { User } from '../store.ts';
import { BotState } from './bot-state.ts';
import { CONNECTOR_PATH } from './connector.ts';

export interface DeliveryOptions {
  /** Sign with a token that expired this many seconds ago (stale authentication tests). */
  expiredBySeconds?: number;
  /** Send no Authorization header at all. */
  unsigned?: boolean;
}

export const serviceUrlOf = (ctx: EmulatorContext) => `${ctx.urls.baseUrl}${CONNECTOR_PATH}/teams/`;

export async function deliverToBot(
  ctx: EmulatorContext,
  bot: BotState,
  activity: Record<string, unknown>,
  options: DeliveryOptions = {},
): Promise<{ status: number; body: unknown }> {
  const url = bot.endpoint;
  if (!url) throw new Error('No bot endpoint: call setBotEndpoint({ url }) first.');
  const { app } = bot.botApp();
  const serviceUrl = serviceUrlOf(ctx);
  const lifetime = options.expiredBySeconds !== undefined ? -options.expiredBySeconds : 3600;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned)
    headers.authorization = `Bearer ${await bot.tokens.sign(app.clientId, serviceUrl, lifetime)}`;
  const record = {
    at: new Date().toISOString(),
    type: String(activity.type),
    ...(activity.name ? { name: String(activity.name) } : {}),
    url,
    status: null as number | null,
  };
  bot.deliveries.push(record);
  try {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
    record.status = response.status;
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    Object.assign(record, { body });
    return { status: response.status, body };
  } catch (error) {
    Object.assign(record, { error: (error as Error).message });
    throw error;
  }
}

function baseActivity(ctx: EmulatorContext, bot: BotState, teamId: string) {
  const team = ctx.store.team(teamId);
  const { app } = bot.botApp();
  const tenantId = ctx.store.tenant.id;
  const teamThread = BotState.teamThreadId(team);
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: serviceUrlOf(ctx),
    recipient: { id: `28:${app.clientId}`, name: bot.botApp().teamsApp.displayName },
    conversation: { id: teamThread, conversationType: 'channel', isGroup: true, tenantId },
    channelData: {
      team: { id: teamThread, name: team.displayName, aadGroupId: team.id },
      tenant: { id: tenantId },
    },
  };
}

const userAccount = (user: User) => ({
  id: `29:${user.id.replace(/-/g, '')}`,
  name: user.displayName,
  aadObjectId: user.id,
});

export function installActivities(
  ctx: EmulatorContext,
  bot: BotState,
  teamId: string,
  installer: User,
  action: 'add' | 'remove',
) {
  const base = baseActivity(ctx, bot, teamId);
  const botMember = { id: base.recipient.id, name: base.recipient.name };
  return [
    {
      ...base,
      type: 'conversationUpdate',
      from: userAccount(installer),
      ...(action === 'add' ? { membersAdded: [botMember] } : { membersRemoved: [botMember] }),
      channelData: {
        ...base.channelData,
        eventType: action === 'add' ? 'teamMemberAdded' : 'teamMemberRemoved',
      },
    },
    { ...base, id: randomUUID(), type: 'installationUpdate', action, from: userAccount(installer) },
  ];
}

export function cardActionActivity(
  ctx: EmulatorContext,
  bot: BotState,
  input: { teamId: string; channelId: string; messageId: string; user: User; verb: string; data?: unknown },
) {
  const base = baseActivity(ctx, bot, input.teamId);
  ctx.store.channel(input.teamId, input.channelId);
  return {
    ...base,
    type: 'invoke',
    name: 'adaptiveCard/action',
    from: userAccount(input.user),
    conversation: {
      ...base.conversation,
      id: `${input.channelId};messageid=${input.messageId}`,
    },
    replyToId: input.messageId,
    channelData: { ...base.channelData, channel: { id: input.channelId } },
    value: {
      action: { type: 'Action.Execute', verb: input.verb, data: input.data ?? {} },
      trigger: 'manual',
    },
  };
}
