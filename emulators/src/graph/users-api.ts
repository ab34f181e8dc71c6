/** Users, online meetings with transcripts (WebVTT), and Teams activity-feed notifications. */
import express from 'express';
import type { Request, Response, Router } from 'express';
import { callerOf, requireMembership, requirePermission } from './auth.ts';
import type { Caller } from './auth.ts';
import type { EmulatorContext } from './context.ts';
import { GraphError, badRequest, notFound } from './errors.ts';
import { keysetPage, pageSize } from './paging.ts';
import { param } from './params.ts';
import { meetingJson, transcriptJson, userJson } from './shapes.ts';
import type { User } from './store.ts';

const READ_USERS = {
  application: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'],
  delegated: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'],
};
const READ_MEETINGS = {
  application: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
  delegated: ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'],
};
const READ_TRANSCRIPTS = {
  application: ['OnlineMeetingTranscript.Read.All'],
  delegated: ['OnlineMeetingTranscript.Read.All'],
};

/** `$filter` on /users: `field eq 'value'` joined by `or`, for mail, userPrincipalName, id, displayName. */
function filterUsers(users: User[], filter: string): User[] {
  const clauses = filter.split(/\s+or\s+/i).map((clause) => {
    const match = /^\s*(mail|userPrincipalName|id|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (!match) {
      throw badRequest(
        `Unsupported or invalid query filter clause specified: '${clause.trim()}'. Supported here: mail, userPrincipalName, id or displayName eq '...', joined by or.`,
        'Request_UnsupportedQuery',
      );
    }
    return { field: match[1]!.toLowerCase(), value: match[2]!.replace(/''/g, "'").toLowerCase() };
  });
  return users.filter((user) =>
    clauses.some(({ field, value }) => {
      const actual =
        field === 'mail'
          ? user.mail
          : field === 'userprincipalname'
            ? user.userPrincipalName
            : field === 'id'
              ? user.id
              : user.displayName;
      return actual?.toLowerCase() === value;
    }),
  );
}

/**
 * App-only access to a user's online meetings and their artifacts needs a Teams application access policy
 * naming the app and granted to that user (or globally); Graph answers 403 without it.
 */
function requireAccessPolicy(caller: Caller, organizerId: string): void {
  if (caller.kind !== 'app') return;
  const policy = caller.app.accessPolicy;
  if (policy === 'global' || (Array.isArray(policy) && policy.includes(organizerId))) return;
  throw new GraphError(403, 'Forbidden', 'No application access policy found for this app.');
}

function userNotFound(id: string): GraphError {
  return new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function validateActivity(
  ctx: EmulatorContext,
  caller: Caller,
  body: Record<string, unknown>,
  scope: 'team' | 'user',
  teamId?: string,
) {
  const teamsApp = caller.app.teamsApp;
  if (!teamsApp) {
    throw new GraphError(
      403,
      'Forbidden',
      `No Teams app declares '${caller.app.clientId}' in webApplicationInfo; activity notifications need one.`,
    );
  }
  const topic = body.topic as { source?: string; value?: string; webUrl?: string } | undefined;
  if (!topic || !['entityUrl', 'text'].includes(topic.source ?? '') || typeof topic.value !== 'string') {
    throw badRequest("topic is required: { source: 'entityUrl' | 'text', value, webUrl? }.");
  }
  if (topic.source === 'text' && typeof topic.webUrl !== 'string') {
    throw badRequest("topic.webUrl is required when topic.source is 'text'.");
  }
  if (topic.source === 'entityUrl') {
    const path = topic.value.replace(/^https:\/\/graph\.microsoft\.com/i, '').replace(ctx.urls.baseUrl, '');
    if (!path.startsWith('/v1.0/') && !path.startsWith('/beta/')) {
      throw badRequest(
        'topic.value must be a Microsoft Graph URL of the resource (https://graph.microsoft.com/v1.0/...).',
      );
    }
    if (scope === 'team' && !path.includes(`/teams/${teamId}`)) {
      throw badRequest(`topic.value must point at team '${teamId}' or one of its channels or messages.`);
    }
  }
  const activityType = body.activityType;
  if (typeof activityType !== 'string' || !teamsApp.activityTypes.includes(activityType)) {
    throw badRequest(
      `activityType '${String(activityType)}' is not declared in the Teams app manifest (activities.activityTypes: ${teamsApp.activityTypes.join(', ')}).`,
    );
  }
  const preview = (body.previewText as { content?: unknown } | undefined)?.content;
  if (preview !== undefined && (typeof preview !== 'string' || preview.length > 150)) {
    throw badRequest('previewText.content must be text of at most 150 characters.');
  }
  const recipient = body.recipient as { '@odata.type'?: string; userId?: string } | undefined;
  if (
    !recipient ||
    !/aadUserNotificationRecipient$/.test(recipient['@odata.type'] ?? '') ||
    typeof recipient.userId !== 'string'
  ) {
    throw badRequest(
      "recipient must be { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId }.",
    );
  }
  const user = ctx.store.findUser(recipient.userId);
  if (!user) throw userNotFound(recipient.userId);
  if (
    teamsApp.installedForUsers !== 'all' &&
    scope === 'user' &&
    !teamsApp.installedForUsers.includes(user.id)
  ) {
    throw new GraphError(
      403,
      'Forbidden',
      `The Teams app '${teamsApp.displayName}' is not installed for user '${user.id}'.`,
    );
  }
  const limit = ctx.limiter.take(
    `activity:${caller.app.clientId}`,
    ctx.options.throttle.activityPerAppPerSecond,
  );
  if (!limit.ok) {
    throw new GraphError(
      429,
      'TooManyRequests',
      'Too many activity notifications for this application; wait for the time in Retry-After.',
      {
        'Retry-After': String(limit.retryAfterSeconds),
      },
    );
  }
  ctx.activityNotifications.push({
    at: new Date().toISOString(),
    clientId: caller.app.clientId,
    scope,
    teamId,
    recipientUserId: user.id,
    activityType,
    topic,
    previewText: preview as string | undefined,
    templateParameters: body.templateParameters ?? [],
  });
}

export function usersRouter(ctx: EmulatorContext): Router {
  const router = express.Router();
  const { store } = ctx;
  const context = (fragment: string) => `${ctx.urls.baseUrl}/v1.0/$metadata#${fragment}`;

  router.get('/me', (_req, res) => {
    const caller = callerOf(res);
    if (caller.kind !== 'user')
      throw badRequest('/me request is only valid with delegated authentication flow.');
    requirePermission(caller, { delegated: ['User.Read', ...READ_USERS.delegated] });
    res.json({ '@odata.context': context('users/$entity'), ...userJson(caller.user!) });
  });
  router.get('/users', (req, res) => {
    requirePermission(callerOf(res), READ_USERS);
    let users = [...store.users.values()];
    if (typeof req.query.$filter === 'string') users = filterUsers(users, req.query.$filter);
    const page = keysetPage(
      users.map((u, i) => ({ u, i: users.length - i })),
      (x) => x.i,
      req,
      ctx.urls.baseUrl,
      pageSize(req, 100, 999),
    );
    res.json({
      '@odata.context': context('users'),
      ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
      value: page.value.map((x) => userJson(x.u)),
    });
  });
  router.get('/users/:userId', (req, res) => {
    const caller = callerOf(res);
    const id = param(req, 'userId');
    const self = caller.user && store.findUser(id)?.id === caller.user.id;
    requirePermission(
      caller,
      self
        ? { delegated: ['User.Read', ...READ_USERS.delegated], application: READ_USERS.application }
        : READ_USERS,
    );
    const user = store.findUser(id);
    if (!user) throw userNotFound(id);
    res.json({ '@odata.context': context('users/$entity'), ...userJson(user) });
  });

  const meetingFor = (req: Request, res: Response) => {
    const caller = callerOf(res);
    const organizer = store.findUser(param(req, 'userId'));
    if (!organizer) throw userNotFound(param(req, 'userId'));
    if (caller.kind === 'user' && caller.user!.id !== organizer.id) {
      throw new GraphError(
        403,
        'Forbidden',
        'With delegated permissions a user can only read their own online meetings (use /me/onlineMeetings).',
      );
    }
    requireAccessPolicy(caller, organizer.id);
    const meeting = store.meetings.get(param(req, 'meetingId'));
    if (!meeting || meeting.organizerId !== organizer.id) throw notFound(param(req, 'meetingId'));
    return meeting;
  };

  router.get('/users/:userId/onlineMeetings', (req, res) => {
    requirePermission(callerOf(res), READ_MEETINGS);
    const organizer = store.findUser(param(req, 'userId'));
    if (!organizer) throw userNotFound(param(req, 'userId'));
    requireAccessPolicy(callerOf(res), organizer.id);
    const filter = typeof req.query.$filter === 'string' ? req.query.$filter : '';
    const match = /^\s*JoinWebUrl\s+eq\s+'([^']+)'\s*$/i.exec(filter);
    if (!match)
      throw badRequest(
        "Filter expression expected - /onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'.",
        'InvalidArgument',
      );
    const meetings = [...store.meetings.values()].filter(
      (m) => m.organizerId === organizer.id && m.joinWebUrl === match[1],
    );
    res.json({
      '@odata.context': context('onlineMeetings'),
      value: meetings.map((m) => meetingJson(m, store)),
    });
  });
  router.get('/users/:userId/onlineMeetings/:meetingId', (req, res) => {
    requirePermission(callerOf(res), READ_MEETINGS);
    res.json({
      '@odata.context': context('onlineMeetings/$entity'),
      ...meetingJson(meetingFor(req, res), store),
    });
  });
  router.get('/users/:userId/onlineMeetings/:meetingId/transcripts', (req, res) => {
    requirePermission(callerOf(res), READ_TRANSCRIPTS);
    const meeting = meetingFor(req, res);
    res.json({
      '@odata.context': context('transcripts'),
      value: (meeting.transcripts ?? []).map((t) => transcriptJson(t, meeting, store, ctx.urls.baseUrl)),
    });
  });
  const transcriptFor = (req: Request, res: Response) => {
    requirePermission(callerOf(res), READ_TRANSCRIPTS);
    const meeting = meetingFor(req, res);
    const transcript = (meeting.transcripts ?? []).find((t) => t.id === param(req, 'transcriptId'));
    if (!transcript) throw notFound(param(req, 'transcriptId'));
    return { meeting, transcript };
  };
  router.get('/users/:userId/onlineMeetings/:meetingId/transcripts/:transcriptId', (req, res) => {
    const { meeting, transcript } = transcriptFor(req, res);
    res.json({
      '@odata.context': context('transcripts/$entity'),
      ...transcriptJson(transcript, meeting, store, ctx.urls.baseUrl),
    });
  });
  router.get('/users/:userId/onlineMeetings/:meetingId/transcripts/:transcriptId/content', (req, res) => {
    const { transcript } = transcriptFor(req, res);
    const format = typeof req.query.$format === 'string' ? req.query.$format : undefined;
    const accept = req.header('accept') ?? '';
    const wanted =
      format ??
      (accept.includes('text/vtt') || accept === '' || accept.includes('*/*') ? 'text/vtt' : accept);
    if (wanted !== 'text/vtt') {
      throw badRequest(`Transcript content is available as text/vtt here; '${wanted}' is not supported.`);
    }
    res.type('text/vtt').send(transcript.content);
  });

  router.post('/teams/:teamId/sendActivityNotification', (req, res) => {
    const caller = callerOf(res);
    requirePermission(caller, { application: ['TeamsActivity.Send'], delegated: ['TeamsActivity.Send'] });
    const team = store.team(param(req, 'teamId'));
    requireMembership(caller, team.members);
    const teamsApp = caller.app.teamsApp;
    if (teamsApp && teamsApp.installedInTeams !== 'all' && !teamsApp.installedInTeams.includes(team.id)) {
      throw new GraphError(
        403,
        'Forbidden',
        `The Teams app '${teamsApp.displayName}' is not installed in team '${team.id}'.`,
      );
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const recipientId = (body.recipient as { userId?: string } | undefined)?.userId;
    const recipient = recipientId ? store.findUser(recipientId) : undefined;
    if (recipient && !team.members.has(recipient.id)) {
      throw badRequest(`Recipient '${recipient.id}' is not a member of team '${team.id}'.`);
    }
    validateActivity(ctx, caller, body, 'team', team.id);
    res.status(204).end();
  });
  router.post(
    ['/users/:userId/teamwork/sendActivityNotification', '/me/teamwork/sendActivityNotification'],
    (req, res) => {
      const caller = callerOf(res);
      requirePermission(caller, { application: ['TeamsActivity.Send'], delegated: ['TeamsActivity.Send'] });
      const userId = req.params.userId ? param(req, 'userId') : caller.user?.id;
      if (!userId) throw badRequest('/me requires a delegated (user) token.');
      const user = store.findUser(userId);
      if (!user) throw userNotFound(userId);
      const body = { ...(req.body as Record<string, unknown>) };
      body.recipient ??= { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: user.id };
      validateActivity(
        ctx,
        caller,
        {
          ...body,
          recipient: { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: user.id },
        },
        'user',
      );
      res.status(204).end();
    },
  );
  return router;
}
