/**
 * The Bot Framework connector for Teams, under `{baseUrl}/botframework`: the OpenID metadata and keys bots
 * validate inbound activities with, and the REST API bots call at `{serviceUrl}/v3/conversations/...` with an
 * Entra token for https://api.botframework.com. A message a bot posts becomes a channel message that Graph
 * lists (author `from.application`), as in Teams. Refuses what Teams refuses: no or wrong token (401), the app
 * not installed in the team (403 BotNotInConversationRoster), an unknown or deleted channel (404
 * ConversationNotFound), more than the documented rates (429 with Retry-After), a message over 28 KB (413).
 */
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { EmulatorContext } from '../context.ts';
import type { Attachment, Message } from '../store.ts';
import { BOT_FRAMEWORK_RESOURCE } from '../tokens.ts';
import type { BotState } from './bot-state.ts';

export const CONNECTOR_PATH = '/botframework';
/** Teams' message size limit for bots ("approximately 28 KB", including the card). */
export const MAX_MESSAGE_BYTES = 28 * 1024;

class ConnectorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

interface InboundActivity {
  type?: string;
  text?: string;
  textFormat?: string;
  attachments?: { contentType?: string; content?: unknown }[];
  channelData?: unknown;
}

/** `19:...@thread.tacv2` or `19:...@thread.tacv2;messageid=123` → channel and thread root. */
export function parseConversationId(id: string): { channelId: string; rootId: string | null } {
  const [channelId, ...rest] = id.split(';');
  const root = rest.find((part) => part.startsWith('messageid='));
  return { channelId: channelId!, rootId: root ? root.slice('messageid='.length) : null };
}

export function connectorRouter(ctx: EmulatorContext, bot: BotState): Router {
  const router = express.Router();
  const prefix = () => `${ctx.urls.baseUrl}${CONNECTOR_PATH}`;

  router.get('/v1/.well-known/openidconfiguration', (_req, res) => {
    res.json(bot.tokens.metadata(prefix()));
  });
  router.get('/v1/.well-known/keys', (_req, res) => {
    res.json(bot.tokens.jwks);
  });

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use((req, res, next) => {
    authenticateBot(ctx, bot, req, res).then(() => next(), next);
  });
  api.post('/v3/conversations/:conversationId/activities', (req, res, next) => {
    try {
      const message = postActivity(ctx, bot, String(req.params.conversationId), req.body as InboundActivity);
      res.status(201).json({ id: message.id });
    } catch (error) {
      next(error);
    }
  });
  api.put('/v3/conversations/:conversationId/activities/:activityId', (req, res, next) => {
    try {
      updateActivity(
        ctx,
        bot,
        String(req.params.conversationId),
        String(req.params.activityId),
        req.body as InboundActivity,
      );
      res.status(200).json({ id: String(req.params.activityId) });
    } catch (error) {
      next(error);
    }
  });
  api.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof ConnectorError)) return next(error);
    if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
  });
  router.use('/teams', api);
  return router;
}

async function authenticateBot(ctx: EmulatorContext, bot: BotState, req: Request, res: Response) {
  const match = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
  if (!match)
    throw new ConnectorError(401, 'Unauthorized', 'Authorization has been denied for this request.');
  const check = await ctx.tokens.verifyAccessToken(match[1]!.trim(), [BOT_FRAMEWORK_RESOURCE]);
  if (!check.ok || check.claims.appid !== bot.botApp().app.clientId) {
    throw new ConnectorError(401, 'Unauthorized', 'Authorization has been denied for this request.');
  }
  res.locals.clientId = check.claims.appid;
}

function channelFor(ctx: EmulatorContext, bot: BotState, conversationId: string) {
  const { channelId, rootId } = parseConversationId(conversationId);
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new ConnectorError(404, 'ConversationNotFound', 'Conversation not found.');
  if (!bot.isInstalled(channel.teamId)) {
    throw new ConnectorError(
      403,
      'BotNotInConversationRoster',
      'The bot is not part of the conversation roster.',
    );
  }
  return { channel, rootId };
}

function contentOf(activity: InboundActivity): { content: string; attachments: Attachment[] } {
  if (activity?.type !== 'message') {
    throw new ConnectorError(
      400,
      'BadArgument',
      `Activity type '${String(activity?.type)}' is not supported here.`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(activity)) > MAX_MESSAGE_BYTES) {
    throw new ConnectorError(413, 'MessageSizeTooBig', 'Message size too large.');
  }
  const attachments: Attachment[] = (activity.attachments ?? []).map((a, i) => {
    if (a.contentType === 'application/vnd.microsoft.card.adaptive') {
      const card = a.content as { type?: unknown; version?: unknown } | undefined;
      if (card?.type !== 'AdaptiveCard' || typeof card.version !== 'string') {
        throw new ConnectorError(
          400,
          'BadArgument',
          'An Adaptive Card attachment needs type AdaptiveCard and a version.',
        );
      }
    }
    return {
      id: `bot-${Date.now().toString(36)}-${i}`,
      contentType: a.contentType ?? 'application/octet-stream',
      content: typeof a.content === 'string' ? a.content : JSON.stringify(a.content ?? null),
    };
  });
  const text = activity.text ?? '';
  const content = [text, ...attachments.map((a) => `<attachment id="${a.id}"></attachment>`)].join('');
  if (!content)
    throw new ConnectorError(400, 'BadArgument', 'The activity has neither text nor attachments.');
  return { content, attachments };
}

function postActivity(
  ctx: EmulatorContext,
  bot: BotState,
  conversationId: string,
  activity: InboundActivity,
): Message {
  const { channel, rootId } = channelFor(ctx, bot, conversationId);
  const { app } = bot.botApp();
  const { content, attachments } = contentOf(activity);
  const limit = bot.throttle.take(app.clientId, conversationId);
  if (!limit.ok) {
    throw new ConnectorError(
      429,
      'TooManyRequests',
      `Too many requests (${limit.scope} limit ${limit.window.limit} per ${limit.window.windowMs / 1000} s).`,
      limit.retryAfterSeconds,
    );
  }
  if (rootId) {
    const root = ctx.store.messages.get(`${channel.id}|${rootId}`);
    if (!root || root.deletedDateTime)
      throw new ConnectorError(404, 'ConversationNotFound', 'Conversation not found.');
  }
  const message = ctx.store.createMessage({
    teamId: channel.teamId,
    channelId: channel.id,
    replyToId: rootId,
    from: '',
    fromApplication: { id: app.clientId, displayName: bot.botApp().teamsApp.displayName },
    content,
    contentType: 'html',
    attachments,
  });
  bot.posted.push({ at: new Date().toISOString(), method: 'POST', conversationId, messageId: message.id });
  return message;
}

function updateActivity(
  ctx: EmulatorContext,
  bot: BotState,
  conversationId: string,
  activityId: string,
  activity: InboundActivity,
): void {
  const { channel } = channelFor(ctx, bot, conversationId);
  const existing = ctx.store.messages.get(`${channel.id}|${activityId}`);
  if (!existing || existing.deletedDateTime)
    throw new ConnectorError(404, 'ActivityNotFound', 'Activity not found.');
  if (existing.fromApplication?.id !== bot.botApp().app.clientId) {
    throw new ConnectorError(403, 'Forbidden', 'A bot can only update its own messages.');
  }
  const { content, attachments } = contentOf(activity);
  const limit = bot.throttle.take(bot.botApp().app.clientId, conversationId);
  if (!limit.ok) {
    throw new ConnectorError(429, 'TooManyRequests', 'Too many requests.', limit.retryAfterSeconds);
  }
  ctx.store.updateMessage(channel.teamId, channel.id, activityId, {
    content,
    contentType: 'html',
    attachments,
  });
  bot.posted.push({ at: new Date().toISOString(), method: 'PUT', conversationId, messageId: activityId });
}
