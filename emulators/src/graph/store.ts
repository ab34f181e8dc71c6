/** In-memory tenant state: users, app registrations, teams, channels, messages, meetings. */
import { randomUUID } from 'node:crypto';
import { GraphError, badRequest, notFound } from './errors.ts';
import type { GraphSeed, SeedApp, SeedMeeting, SeedMessage, SeedTranscript, SeedUser } from './seed.ts';

export type User = SeedUser;
export type App = SeedApp;

export interface Team {
  id: string;
  displayName: string;
  description: string;
  members: Set<string>;
  createdDateTime: string;
}

export interface Channel {
  id: string;
  teamId: string;
  displayName: string;
  description: string | null;
  membershipType: 'standard' | 'private' | 'shared';
  createdDateTime: string;
}

export interface Attachment {
  id: string;
  contentType: string;
  contentUrl?: string | null;
  content?: string | null;
  name?: string | null;
  thumbnailUrl?: string | null;
}

export interface Mention {
  id: number;
  mentionText: string;
  mentioned: { user: { id: string; displayName: string; userIdentityType: string } };
}

export interface Message {
  id: string;
  teamId: string;
  channelId: string;
  replyToId: string | null;
  /** The author: a user, or (fromApplication set, fromUserId '') an app's bot. */
  fromUserId: string;
  fromApplication?: { id: string; displayName: string };
  subject: string | null;
  body: { contentType: 'html' | 'text'; content: string };
  attachments: Attachment[];
  mentions: Mention[];
  importance: 'normal' | 'high' | 'urgent';
  createdDateTime: string;
  lastModifiedDateTime: string;
  lastEditedDateTime: string | null;
  deletedDateTime: string | null;
  /** Global change counter: drives delta queries. */
  seq: number;
}

export interface Meeting extends SeedMeeting {
  joinWebUrl: string;
}

export type ChangeType = 'created' | 'updated' | 'deleted';
export type MessageListener = (changeType: ChangeType, message: Message) => void;
export type TranscriptListener = (meeting: Meeting, transcript: SeedTranscript) => void;

export interface NewMessage {
  teamId: string;
  channelId: string;
  replyToId?: string | null;
  from: string;
  /** Set when a bot posts (the Bot Framework connector): `from` is then ignored. */
  fromApplication?: { id: string; displayName: string };
  content: string;
  contentType?: 'html' | 'text';
  subject?: string | null;
  attachments?: Attachment[];
  mentions?: Mention[];
  importance?: Message['importance'];
  createdDateTime?: string;
}

export class GraphStore {
  tenant!: GraphSeed['tenant'];
  apps = new Map<string, App>();
  users = new Map<string, User>();
  teams = new Map<string, Team>();
  channels = new Map<string, Channel>();
  /** Keyed by `${channelId}|${messageId}`. */
  messages = new Map<string, Message>();
  meetings = new Map<string, Meeting>();
  private seq = 0;
  private lastMessageId = 0;
  private listeners: MessageListener[] = [];
  private transcriptListeners: TranscriptListener[] = [];

  constructor(seed: GraphSeed) {
    this.load(seed);
  }

  onMessageChange(listener: MessageListener): void {
    this.listeners.push(listener);
  }

  onTranscriptCreated(listener: TranscriptListener): void {
    this.transcriptListeners.push(listener);
  }

  /** A transcript becomes available after a meeting: stored, then its subscribers are told. */
  addTranscript(meetingId: string, transcript: SeedTranscript): SeedTranscript {
    const meeting = this.meetings.get(meetingId);
    if (!meeting) throw notFound(meetingId);
    if (typeof transcript.content !== 'string' || !transcript.content.startsWith('WEBVTT')) {
      throw badRequest('A transcript needs WebVTT content (starting with WEBVTT).');
    }
    if ((meeting.transcripts ?? []).some((t) => t.id === transcript.id)) {
      throw badRequest(`Meeting '${meetingId}' already has transcript '${transcript.id}'.`);
    }
    const copy = { ...transcript };
    (meeting.transcripts ??= []).push(copy);
    for (const listener of this.transcriptListeners) listener(meeting, copy);
    return copy;
  }

  load(seed: GraphSeed): void {
    this.tenant = { ...seed.tenant };
    this.apps.clear();
    this.users.clear();
    this.teams.clear();
    this.channels.clear();
    this.messages.clear();
    this.meetings.clear();
    this.lastMessageId = 0;
    for (const app of seed.apps) this.addApp(app);
    for (const user of seed.users) this.addUser(user);
    for (const team of seed.teams) {
      this.addTeam({
        id: team.id,
        displayName: team.displayName,
        description: team.description,
        members: team.members,
      });
      for (const channel of team.channels) {
        this.addChannel(team.id, channel);
        for (const message of channel.messages ?? []) this.seedMessage(team.id, channel.id, message, null);
      }
    }
    for (const meeting of seed.meetings) this.addMeeting(meeting);
  }

  private seedMessage(teamId: string, channelId: string, seed: SeedMessage, replyToId: string | null): void {
    const message = this.createMessage(
      {
        teamId,
        channelId,
        replyToId,
        from: seed.from,
        content: seed.content,
        contentType: seed.contentType,
        subject: seed.subject,
        createdDateTime: seed.createdDateTime,
      },
      { silent: true, id: seed.id },
    );
    for (const reply of seed.replies ?? []) this.seedMessage(teamId, channelId, reply, message.id);
  }

  addApp(app: App): App {
    if (!app.clientId || !app.clientSecret) throw badRequest('An app needs a clientId and a clientSecret.');
    const copy = structuredClone(app);
    this.apps.set(app.clientId, copy);
    return copy;
  }

  addUser(user: SeedUser): User {
    if (!user.id || !user.userPrincipalName || !user.displayName) {
      throw badRequest('A user needs an id, a userPrincipalName and a displayName.');
    }
    const copy = { ...user };
    this.users.set(user.id, copy);
    for (const team of this.teams.values()) if (team.members.size === 0) team.members.add(user.id);
    return copy;
  }

  addTeam(input: { id?: string; displayName: string; description?: string; members?: string[] }): Team {
    if (!input.displayName) throw badRequest('A team needs a displayName.');
    const team: Team = {
      id: input.id ?? randomUUID(),
      displayName: input.displayName,
      description: input.description ?? '',
      members: new Set(input.members ?? [...this.users.keys()]),
      createdDateTime: new Date().toISOString(),
    };
    this.teams.set(team.id, team);
    return team;
  }

  addChannel(
    teamId: string,
    input: {
      id?: string;
      displayName: string;
      description?: string | null;
      membershipType?: Channel['membershipType'];
    },
  ): Channel {
    this.team(teamId);
    const name = input.displayName?.trim();
    if (!name) throw badRequest('Channel displayName is required.');
    if (name.length > 50) throw badRequest('Channel displayName must be 50 characters or fewer.');
    if (/[~#%&*{}+/\\:<>?|'"]/.test(name) || name.startsWith('_') || name.endsWith('.')) {
      throw badRequest(
        `Channel name '${name}' contains characters that are not allowed: ~ # % & * { } + / \\ : < > ? | ' ", a leading underscore or a trailing period.`,
      );
    }
    for (const channel of this.channels.values()) {
      if (channel.teamId === teamId && channel.displayName.toLowerCase() === name.toLowerCase()) {
        throw new GraphError(
          400,
          'NameAlreadyExists',
          'Channel name already existed, please use other name.',
        );
      }
    }
    const channel: Channel = {
      id: input.id ?? `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`,
      teamId,
      displayName: name,
      description: input.description ?? null,
      membershipType: input.membershipType ?? 'standard',
      createdDateTime: new Date().toISOString(),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  addMeeting(meeting: SeedMeeting): Meeting {
    this.user(meeting.organizerId);
    const copy: Meeting = {
      ...structuredClone(meeting),
      joinWebUrl:
        meeting.joinWebUrl ??
        `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${encodeURIComponent(meeting.id.slice(0, 24))}%40thread.v2/0`,
    };
    this.meetings.set(meeting.id, copy);
    return copy;
  }

  team(id: string): Team {
    const team = this.teams.get(id);
    if (!team) throw notFound(id);
    return team;
  }

  channel(teamId: string, channelId: string): Channel {
    this.team(teamId);
    const channel = this.channels.get(channelId);
    if (!channel || channel.teamId !== teamId) throw notFound(channelId);
    return channel;
  }

  /** By object id, UPN or mail (case-insensitive), as `/users/{id | userPrincipalName}` resolves. */
  findUser(idOrName: string): User | undefined {
    const direct = this.users.get(idOrName);
    if (direct) return direct;
    const wanted = idOrName.toLowerCase();
    for (const user of this.users.values()) {
      if (user.userPrincipalName.toLowerCase() === wanted || user.mail?.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  user(idOrName: string): User {
    const user = this.findUser(idOrName);
    if (!user) throw notFound(idOrName);
    return user;
  }

  message(teamId: string, channelId: string, messageId: string, replyToId?: string | null): Message {
    this.channel(teamId, channelId);
    const message = this.messages.get(`${channelId}|${messageId}`);
    if (!message) throw notFound(messageId);
    if (replyToId !== undefined && message.replyToId !== replyToId) throw notFound(messageId);
    return message;
  }

  channelMessages(channelId: string, replyToId: string | null): Message[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && m.replyToId === replyToId);
  }

  private nextMessageId(at: number): string {
    // Teams message ids are creation times in milliseconds; kept unique and increasing here.
    this.lastMessageId = Math.max(this.lastMessageId + 1, at);
    return String(this.lastMessageId);
  }

  createMessage(input: NewMessage, options: { silent?: boolean; id?: string } = {}): Message {
    const channel = this.channel(input.teamId, input.channelId);
    const author = input.fromApplication ? undefined : this.user(input.from);
    if (input.replyToId) {
      const parent = this.message(channel.teamId, channel.id, input.replyToId, null);
      if (parent.deletedDateTime) throw notFound(input.replyToId);
    }
    if (typeof input.content !== 'string') throw badRequest('body.content is required.');
    const created = input.createdDateTime ? Date.parse(input.createdDateTime) : Date.now();
    if (Number.isNaN(created)) throw badRequest(`createdDateTime '${input.createdDateTime}' is not a date.`);
    const id = options.id ?? this.nextMessageId(created);
    const iso = new Date(created).toISOString();
    const message: Message = {
      id,
      teamId: channel.teamId,
      channelId: channel.id,
      replyToId: input.replyToId ?? null,
      fromUserId: author?.id ?? '',
      ...(input.fromApplication ? { fromApplication: { ...input.fromApplication } } : {}),
      subject: input.subject ?? null,
      body: { contentType: input.contentType ?? 'html', content: input.content },
      attachments: input.attachments ?? [],
      mentions: input.mentions ?? [],
      importance: input.importance ?? 'normal',
      createdDateTime: iso,
      lastModifiedDateTime: iso,
      lastEditedDateTime: null,
      deletedDateTime: null,
      seq: ++this.seq,
    };
    this.messages.set(`${channel.id}|${id}`, message);
    if (message.replyToId) this.touchParent(message);
    if (!options.silent) this.emit('created', message);
    return message;
  }

  updateMessage(
    teamId: string,
    channelId: string,
    messageId: string,
    changes: {
      content?: string;
      contentType?: 'html' | 'text';
      subject?: string | null;
      attachments?: Attachment[];
    },
  ): Message {
    const message = this.message(teamId, channelId, messageId);
    if (message.deletedDateTime) throw notFound(messageId);
    const now = new Date().toISOString();
    if (changes.content !== undefined)
      message.body = {
        contentType: changes.contentType ?? message.body.contentType,
        content: changes.content,
      };
    if (changes.subject !== undefined) message.subject = changes.subject;
    if (changes.attachments !== undefined) message.attachments = changes.attachments;
    message.lastModifiedDateTime = now;
    message.lastEditedDateTime = now;
    message.seq = ++this.seq;
    if (message.replyToId) this.touchParent(message);
    this.emit('updated', message);
    return message;
  }

  /** Soft delete, as Teams does: the message stays listed with deletedDateTime set and an empty body. */
  deleteMessage(teamId: string, channelId: string, messageId: string): Message {
    const message = this.message(teamId, channelId, messageId);
    if (message.deletedDateTime) return message;
    const now = new Date().toISOString();
    message.deletedDateTime = now;
    message.lastModifiedDateTime = now;
    message.body = { contentType: message.body.contentType, content: '' };
    message.attachments = [];
    message.mentions = [];
    message.seq = ++this.seq;
    if (message.replyToId) this.touchParent(message);
    this.emit('deleted', message);
    return message;
  }

  /** A change to a reply changes its root message too (that is how delta sees replies). */
  private touchParent(reply: Message): void {
    const parent = this.messages.get(`${reply.channelId}|${reply.replyToId}`);
    if (!parent) return;
    parent.lastModifiedDateTime = reply.lastModifiedDateTime;
    parent.seq = ++this.seq;
  }

  get currentSeq(): number {
    return this.seq;
  }

  private emit(changeType: ChangeType, message: Message): void {
    for (const listener of this.listeners) listener(changeType, message);
  }
}
