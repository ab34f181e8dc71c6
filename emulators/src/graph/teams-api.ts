/** Teams, channels and channel messages (list with paging, get, replies, delta, post, edit, soft delete). */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { callerOf, requireMembership, requirePermission } from './auth.ts';
import type { Caller } from './auth.ts';
import type { EmulatorContext } from './context.ts';
import { GraphError, badRequest } from './errors.ts';
import { decodeToken, encodeToken, keysetPage, linkWith, pageSize } from './paging.ts';
import { param } from './params.ts';
import { channelJson, messageJson, teamJson } from './shapes.ts';
import type { Attachment, Mention, Message } from './store.ts';

const READ_MESSAGES = { application: ['ChannelMessage.Read.All'], delegated: ['ChannelMessage.Read.All'] };
const READ_CHANNELS = {
  application: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
  delegated: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
};
const READ_TEAMS = {
  application: ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All'],
  delegated: ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All'],
};
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const MAX_MESSAGE_BYTES = 28 * 1024;
const MIGRATION_ONLY =
  'Message POST is allowed in application-only context only for import purposes. Refer to https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.';

function validateAttachments(content: string, attachments: unknown): Attachment[] {
  if (attachments === undefined || attachments === null) return [];
  if (!Array.isArray(attachments)) throw badRequest('attachments must be an array.');
  const referenced = new Set(
    [...content.matchAll(/<attachment\s+id="([^"]+)"\s*>\s*<\/attachment>/g)].map((m) => m[1]),
  );
  const result: Attachment[] = [];
  for (const raw of attachments as Array<Record<string, unknown>>) {
    const id = typeof raw?.id === 'string' ? raw.id : '';
    const contentType = typeof raw?.contentType === 'string' ? raw.contentType : '';
    if (!id || !contentType) throw badRequest('Each attachment needs an id and a contentType.');
    if (!referenced.has(id)) {
      throw badRequest(
        `Attachment '${id}' is not referenced in the message body; add <attachment id="${id}"></attachment> to body.content.`,
      );
    }
    if (contentType === ADAPTIVE_CARD) {
      if (typeof raw.content !== 'string') {
        throw badRequest(
          `Attachment '${id}': an Adaptive Card's content must be the card serialised as a JSON string.`,
        );
      }
      let card: Record<string, unknown>;
      try {
        card = JSON.parse(raw.content) as Record<string, unknown>;
      } catch {
        throw badRequest(`Attachment '${id}': the Adaptive Card content is not valid JSON.`);
      }
      if (card.type !== 'AdaptiveCard')
        throw badRequest(`Attachment '${id}': the card's "type" must be "AdaptiveCard".`);
      if (typeof card.version !== 'string' || !/^1\.[0-6]$/.test(card.version)) {
        throw badRequest(
          `Attachment '${id}': the card's "version" must be "1.0" to "1.6" (Teams renders up to 1.5).`,
        );
      }
      if (card.body !== undefined && !Array.isArray(card.body))
        throw badRequest(`Attachment '${id}': the card's "body" must be an array.`);
    } else if (contentType === 'reference') {
      if (typeof raw.contentUrl !== 'string')
        throw badRequest(`Attachment '${id}': a reference attachment needs a contentUrl.`);
    } else if (!contentType.startsWith('application/vnd.microsoft.card.')) {
      throw badRequest(`Attachment '${id}': contentType '${contentType}' is not supported.`);
    }
    result.push({
      id,
      contentType,
      content: typeof raw.content === 'string' ? raw.content : null,
      contentUrl: typeof raw.contentUrl === 'string' ? raw.contentUrl : null,
      name: typeof raw.name === 'string' ? raw.name : null,
      thumbnailUrl: null,
    });
  }
  for (const id of referenced) {
    if (!result.some((a) => a.id === id))
      throw badRequest(`The body references attachment '${id}' but attachments has no item with that id.`);
  }
  return result;
}

function validateMentions(ctx: EmulatorContext, content: string, mentions: unknown): Mention[] {
  if (mentions === undefined || mentions === null) return [];
  if (!Array.isArray(mentions)) throw badRequest('mentions must be an array.');
  return (mentions as Array<Record<string, unknown>>).map((raw) => {
    const id = raw?.id;
    if (typeof id !== 'number') throw badRequest('Each mention needs a numeric id.');
    if (!new RegExp(`<at id="${id}">`).test(content))
      throw badRequest(`Mention ${id} is not referenced in the body with <at id="${id}">.</at>`);
    const mentioned = (raw.mentioned as { user?: { id?: string } } | undefined)?.user;
    const user = mentioned?.id ? ctx.store.findUser(mentioned.id) : undefined;
    if (!user) throw badRequest(`Mention ${id}: mentioned.user.id must be a user of the tenant.`);
    return {
      id,
      mentionText: typeof raw.mentionText === 'string' ? raw.mentionText : user.displayName,
      mentioned: { user: { id: user.id, displayName: user.displayName, userIdentityType: 'aadUser' } },
    };
  });
}

export function parseMessageBody(ctx: EmulatorContext, body: unknown) {
  const input = (body ?? {}) as Record<string, unknown>;
  const messageBody = input.body as { content?: unknown; contentType?: unknown } | undefined;
  if (!messageBody || typeof messageBody.content !== 'string')
    throw badRequest('body.content is required and must be a string.');
  const contentType = (messageBody.contentType ?? 'text') as string;
  if (contentType !== 'html' && contentType !== 'text')
    throw badRequest("body.contentType must be 'html' or 'text'.");
  const content = messageBody.content;
  if (Buffer.byteLength(JSON.stringify(input)) > MAX_MESSAGE_BYTES) {
    throw new GraphError(413, 'RequestEntityTooLarge', 'The message is larger than the 28 KB Teams accepts.');
  }
  if (content.trim() === '' && !Array.isArray(input.attachments))
    throw badRequest('body.content must not be empty.');
  const importance = input.importance ?? 'normal';
  if (!['normal', 'high', 'urgent'].includes(importance as string))
    throw badRequest("importance must be 'normal', 'high' or 'urgent'.");
  return {
    content,
    contentType: contentType as 'html' | 'text',
    subject: typeof input.subject === 'string' ? input.subject : null,
    attachments: validateAttachments(content, input.attachments),
    mentions: validateMentions(ctx, content, input.mentions),
    importance: importance as Message['importance'],
  };
}

function throttlePost(ctx: EmulatorContext, caller: Caller, channelId: string): void {
  const limits = ctx.options.throttle;
  const perChannel = ctx.limiter.take(
    `post:${caller.app.clientId}:${channelId}`,
    limits.postPerChannelPerSecond,
  );
  const perApp = perChannel.ok
    ? ctx.limiter.take(`post:${caller.app.clientId}`, limits.postPerAppPerSecond)
    : perChannel;
  if (!perApp.ok) {
    throw new GraphError(
      429,
      'TooManyRequests',
      'Too many requests: the application is posting messages faster than Teams allows. Wait for the time in Retry-After.',
      { 'Retry-After': String(perApp.retryAfterSeconds) },
    );
  }
}

/**
 * Graph's Teams read limits: 4 requests a second per app on one channel (every read under it: messages,
 * replies, delta), and 20 single channel-message reads a second per app in the tenant. Over either: 429 with
 * Retry-After, as Graph answers.
 */
function throttleChannelReads(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: () => void) => {
    if (req.method !== 'GET') return next();
    const limits = ctx.options.throttle;
    const app = callerOf(res).app.clientId;
    const singleMessage =
      /^\/messages\/[^/]+(\/replies\/[^/]+)?$/.test(req.path) && !req.path.endsWith('/delta');
    const perChannel = ctx.limiter.take(
      `read:${app}:${String(req.params.channelId)}`,
      limits.readPerChannelPerSecond,
    );
    const perApp =
      perChannel.ok && singleMessage
        ? ctx.limiter.take(`get-message:${app}`, limits.getMessagePerAppPerSecond)
        : perChannel;
    if (!perApp.ok) {
      throw new GraphError(
        429,
        'TooManyRequests',
        'Too many requests: the application is reading this channel or its messages faster than Teams allows. Wait for the time in Retry-After.',
        { 'Retry-After': String(perApp.retryAfterSeconds) },
      );
    }
    next();
  };
}

export function teamsRouter(ctx: EmulatorContext): Router {
  const router = express.Router();
  const { store } = ctx;
  router.use('/teams/:teamId/channels/:channelId', throttleChannelReads(ctx));
  const base = () => ctx.urls.baseUrl;
  const context = (fragment: string) => `${base()}/v1.0/$metadata#${fragment}`;

  /** `$expand=replies`: the replies, oldest first, inside each root message. */
  const withReplies = (req: Request, message: Message) => {
    const expand = typeof req.query.$expand === 'string' ? req.query.$expand : '';
    if (!expand) return messageJson(message, store);
    if (expand.trim() !== 'replies')
      throw badRequest(`$expand='${expand}' is not supported on channel messages; use $expand=replies.`);
    const replies = store
      .channelMessages(message.channelId, message.id)
      .sort((a, b) => Number(a.id) - Number(b.id));
    return {
      ...messageJson(message, store),
      'replies@odata.context': context(
        `teams('${message.teamId}')/channels('${message.channelId}')/messages('${message.id}')/replies`,
      ),
      replies: replies.map((reply) => messageJson(reply, store)),
    };
  };

  const teamFor = (req: Request, res: Response) => {
    const team = store.team(param(req, 'teamId'));
    requireMembership(callerOf(res), team.members);
    return team;
  };
  const channelFor = (req: Request, res: Response) => {
    const team = teamFor(req, res);
    return store.channel(team.id, param(req, 'channelId'));
  };

  router.get('/teams', (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, READ_TEAMS);
    const teams = [...store.teams.values()].filter(
      (t) => caller.kind === 'app' || t.members.has(caller.user!.id),
    );
    res.json({
      '@odata.context': context('teams'),
      '@odata.count': teams.length,
      value: teams.map((t) => teamJson(t, store.tenant.id)),
    });
  });
  router.get(['/me/joinedTeams', '/users/:userId/joinedTeams'], (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, READ_TEAMS);
    const user = req.params.userId ? store.user(param(req, 'userId')) : caller.user;
    if (!user) throw badRequest('/me requires a delegated (user) token.');
    const teams = [...store.teams.values()].filter((t) => t.members.has(user.id));
    res.json({
      '@odata.context': context('teams'),
      '@odata.count': teams.length,
      value: teams.map((t) => teamJson(t, store.tenant.id)),
    });
  });
  router.get('/teams/:teamId', (req, res) => {
    requirePermission(callerOf(res), READ_TEAMS);
    res.json({
      '@odata.context': context('teams/$entity'),
      ...teamJson(teamFor(req, res), store.tenant.id),
    });
  });

  router.get('/teams/:teamId/channels', (req, res) => {
    requirePermission(callerOf(res), READ_CHANNELS);
    const team = teamFor(req, res);
    const channels = [...store.channels.values()].filter((c) => c.teamId === team.id);
    res.json({
      '@odata.context': context(`teams('${team.id}')/channels`),
      '@odata.count': channels.length,
      value: channels.map((c) => channelJson(c, store.tenant.id)),
    });
  });
  router.get('/teams/:teamId/channels/:channelId', (req, res) => {
    requirePermission(callerOf(res), READ_CHANNELS);
    const channel = channelFor(req, res);
    res.json({
      '@odata.context': context(`teams('${channel.teamId}')/channels/$entity`),
      ...channelJson(channel, store.tenant.id),
    });
  });
  router.post('/teams/:teamId/channels', (req, res) => {
    requirePermission(callerOf(res), { application: ['Channel.Create'], delegated: ['Channel.Create'] });
    const team = teamFor(req, res);
    const input = (req.body ?? {}) as Record<string, unknown>;
    if (typeof input.displayName !== 'string') throw badRequest('displayName is required.');
    const membershipType = (input.membershipType ?? 'standard') as string;
    if (!['standard', 'private', 'shared'].includes(membershipType))
      throw badRequest("membershipType must be 'standard', 'private' or 'shared'.");
    const channel = store.addChannel(team.id, {
      displayName: input.displayName,
      description: typeof input.description === 'string' ? input.description : null,
      membershipType: membershipType as 'standard',
    });
    res.status(201).json({
      '@odata.context': context(`teams('${team.id}')/channels/$entity`),
      ...channelJson(channel, store.tenant.id),
    });
  });

  // Delta: root messages changed since the token, oldest change first; replies bump their root.
  router.get(
    [
      '/teams/:teamId/channels/:channelId/messages/delta',
      // path-to-regexp 8 (express 5) reserves parentheses: escaped to match Graph's literal `delta()`.
      '/teams/:teamId/channels/:channelId/messages/delta\\(\\)',
    ],
    (req, res) => {
      requirePermission(callerOf(res), READ_MESSAGES);
      const channel = channelFor(req, res);
      const size = pageSize(req, 20, 50);
      type State = { c: string; after: number; upTo: number };
      let state: State;
      if (typeof req.query.$deltatoken === 'string') {
        const token = decodeToken<State>(req.query.$deltatoken, '$deltatoken');
        if (token.c !== channel.id) throw badRequest('The $deltatoken belongs to another channel.');
        state = { c: channel.id, after: token.upTo, upTo: store.currentSeq };
      } else if (typeof req.query.$skiptoken === 'string') {
        state = decodeToken<State>(req.query.$skiptoken, '$skiptoken');
        if (state.c !== channel.id) throw badRequest('The $skiptoken belongs to another channel.');
      } else {
        const filter = typeof req.query.$filter === 'string' ? req.query.$filter : undefined;
        if (filter) {
          const match = /^lastModifiedDateTime gt (\S+)$/.exec(filter.trim());
          if (!match || Number.isNaN(Date.parse(match[1]!))) {
            throw badRequest(
              'Only $filter=lastModifiedDateTime gt {ISO date} is supported on messages/delta.',
            );
          }
          // Change order follows time, so later pages (by seq) stay within the filter.
          const since = Date.parse(match[1]!);
          const upTo = store.currentSeq;
          const changed = store
            .channelMessages(channel.id, null)
            .filter((m) => Date.parse(m.lastModifiedDateTime) > since && m.seq <= upTo)
            .sort((a, b) => a.seq - b.seq);
          return sendDelta(req, res, channel.id, changed, size, { c: channel.id, after: 0, upTo });
        }
        state = { c: channel.id, after: 0, upTo: store.currentSeq };
      }
      const changed = store
        .channelMessages(channel.id, null)
        .filter((m) => m.seq > state.after && m.seq <= state.upTo)
        .sort((a, b) => a.seq - b.seq);
      return sendDelta(req, res, channel.id, changed, size, state);
    },
  );

  function sendDelta(
    req: Request,
    res: Response,
    channelId: string,
    changed: Message[],
    size: number,
    state: { c: string; after: number; upTo: number },
  ) {
    const value = changed.slice(0, size);
    const body: Record<string, unknown> = {
      '@odata.context': context(`Collection(chatMessage)`),
      value: value.map((m) => messageJson(m, store)),
    };
    const clean = { $skiptoken: undefined, $deltatoken: undefined, $filter: undefined };
    if (changed.length > size) {
      const last = value[value.length - 1]!;
      body['@odata.nextLink'] = linkWith(base(), req, {
        ...clean,
        $top: String(size),
        $skiptoken: encodeToken({ c: channelId, after: last.seq, upTo: state.upTo }),
      });
    } else {
      body['@odata.deltaLink'] = linkWith(base(), req, {
        ...clean,
        $top: undefined,
        $deltatoken: encodeToken({ c: channelId, after: 0, upTo: state.upTo }),
      });
    }
    res.json(body);
  }

  router.get('/teams/:teamId/channels/:channelId/messages', (req, res) => {
    requirePermission(callerOf(res), READ_MESSAGES);
    const channel = channelFor(req, res);
    const page = keysetPage(
      store.channelMessages(channel.id, null),
      (m) => Number(m.id),
      req,
      base(),
      pageSize(req, 20, 50),
    );
    res.json({
      '@odata.context': context(`teams('${channel.teamId}')/channels('${channel.id}')/messages`),
      '@odata.count': page.value.length,
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
      value: page.value.map((m) => withReplies(req, m)),
    });
  });
  router.get('/teams/:teamId/channels/:channelId/messages/:messageId', (req, res) => {
    requirePermission(callerOf(res), READ_MESSAGES);
    const channel = channelFor(req, res);
    const message = store.message(channel.teamId, channel.id, param(req, 'messageId'), null);
    res.json({
      '@odata.context': context(`teams('${channel.teamId}')/channels('${channel.id}')/messages/$entity`),
      ...withReplies(req, message),
    });
  });
  router.get('/teams/:teamId/channels/:channelId/messages/:messageId/replies', (req, res) => {
    requirePermission(callerOf(res), READ_MESSAGES);
    const channel = channelFor(req, res);
    const parent = store.message(channel.teamId, channel.id, param(req, 'messageId'), null);
    const page = keysetPage(
      store.channelMessages(channel.id, parent.id),
      (m) => Number(m.id),
      req,
      base(),
      pageSize(req, 20, 50),
    );
    res.json({
      '@odata.context': context(
        `teams('${channel.teamId}')/channels('${channel.id}')/messages('${parent.id}')/replies`,
      ),
      '@odata.count': page.value.length,
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
      value: page.value.map((m) => messageJson(m, store)),
    });
  });
  router.get('/teams/:teamId/channels/:channelId/messages/:messageId/replies/:replyId', (req, res) => {
    requirePermission(callerOf(res), READ_MESSAGES);
    const channel = channelFor(req, res);
    const reply = store.message(channel.teamId, channel.id, param(req, 'replyId'), param(req, 'messageId'));
    res.json({
      '@odata.context': context(
        `teams('${channel.teamId}')/channels('${channel.id}')/messages('${reply.replyToId}')/replies/$entity`,
      ),
      ...messageJson(reply, store),
    });
  });

  const post = (replies: boolean) => (req: Request, res: Response) => {
    const caller = callerOf(res);
    if (caller.kind === 'app') throw new GraphError(401, 'Unauthorized', MIGRATION_ONLY);
    requirePermission(caller, { delegated: ['ChannelMessage.Send'] });
    const channel = channelFor(req, res);
    const input = parseMessageBody(ctx, req.body);
    throttlePost(ctx, caller, channel.id);
    const message = store.createMessage({
      teamId: channel.teamId,
      channelId: channel.id,
      replyToId: replies ? param(req, 'messageId') : null,
      from: caller.user!.id,
      ...input,
    });
    res.status(201).json({
      '@odata.context': context(`teams('${channel.teamId}')/channels('${channel.id}')/messages/$entity`),
      ...messageJson(message, store),
    });
  };
  router.post('/teams/:teamId/channels/:channelId/messages', post(false));
  router.post('/teams/:teamId/channels/:channelId/messages/:messageId/replies', post(true));

  const ownMessage = (req: Request, res: Response) => {
    const caller = callerOf(res);
    if (caller.kind === 'app') {
      throw new GraphError(
        403,
        'Forbidden',
        'Only the sender can change a message; application permissions may only update policyViolation.',
      );
    }
    requirePermission(caller, { delegated: ['ChannelMessage.ReadWrite', 'ChannelMessage.Send'] });
    const channel = channelFor(req, res);
    const replyId = req.params.replyId ? param(req, 'replyId') : undefined;
    const message = replyId
      ? store.message(channel.teamId, channel.id, replyId, param(req, 'messageId'))
      : store.message(channel.teamId, channel.id, param(req, 'messageId'), null);
    if (message.fromUserId !== caller.user!.id)
      throw new GraphError(403, 'Forbidden', 'Only the sender of a message can edit or delete it.');
    return message;
  };
  router.patch(
    [
      '/teams/:teamId/channels/:channelId/messages/:messageId',
      '/teams/:teamId/channels/:channelId/messages/:messageId/replies/:replyId',
    ],
    (req, res) => {
      const message = ownMessage(req, res);
      const input = parseMessageBody(ctx, req.body);
      store.updateMessage(message.teamId, message.channelId, message.id, input);
      res.status(204).end();
    },
  );
  router.post(
    [
      '/teams/:teamId/channels/:channelId/messages/:messageId/softDelete',
      '/teams/:teamId/channels/:channelId/messages/:messageId/replies/:replyId/softDelete',
    ],
    (req, res) => {
      const message = ownMessage(req, res);
      store.deleteMessage(message.teamId, message.channelId, message.id);
      res.status(204).end();
    },
  );
  return router;
}
