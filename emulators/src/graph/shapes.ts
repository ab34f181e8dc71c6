/** JSON representations with the property names and shapes Microsoft Graph v1.0 returns. */
import { createHash } from 'node:crypto';
import type { Channel, GraphStore, Meeting, Message, Team, User } from './store.ts';
import type { SeedTranscript } from './seed.ts';

export function userJson(user: User) {
  return {
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail ?? null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: user.surname ?? null,
    userPrincipalName: user.userPrincipalName,
  };
}

export function teamJson(team: Team, tenantId: string) {
  return {
    id: team.id,
    createdDateTime: team.createdDateTime,
    displayName: team.displayName,
    description: team.description,
    internalId: `19:${team.id.replace(/-/g, '')}@thread.tacv2`,
    classification: null,
    specialization: 'none',
    visibility: 'private',
    webUrl: `https://teams.microsoft.com/l/team/${encodeURIComponent(`19:${team.id.replace(/-/g, '')}@thread.tacv2`)}/conversations?groupId=${team.id}&tenantId=${tenantId}`,
    isArchived: false,
    tenantId,
    isMembershipLimitedToOwners: false,
  };
}

export function channelWebUrl(channel: Channel, tenantId: string): string {
  return `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel.id)}/${encodeURIComponent(channel.displayName)}?groupId=${channel.teamId}&tenantId=${tenantId}`;
}

export function channelJson(channel: Channel, tenantId: string) {
  return {
    id: channel.id,
    createdDateTime: channel.createdDateTime,
    displayName: channel.displayName,
    description: channel.description,
    isFavoriteByDefault: null,
    email: '',
    tenantId,
    webUrl: channelWebUrl(channel, tenantId),
    membershipType: channel.membershipType,
    isArchived: false,
  };
}

export function messageWebUrl(message: Message, tenantId: string): string {
  const created = Date.parse(message.createdDateTime);
  const parent = message.replyToId ?? message.id;
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(message.channelId)}/${message.id}?groupId=${message.teamId}&tenantId=${tenantId}&createdTime=${created}&parentMessageId=${parent}`;
}

export function messageJson(message: Message, store: GraphStore) {
  const tenantId = store.tenant.id;
  const author = store.users.get(message.fromUserId);
  return {
    id: message.id,
    replyToId: message.replyToId,
    etag: String(Date.parse(message.lastModifiedDateTime)),
    messageType: 'message',
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    lastEditedDateTime: message.lastEditedDateTime,
    deletedDateTime: message.deletedDateTime,
    subject: message.subject,
    summary: null,
    chatId: null,
    importance: message.importance,
    locale: 'en-us',
    webUrl: messageWebUrl(message, tenantId),
    policyViolation: null,
    eventDetail: null,
    from: message.fromApplication
      ? {
          application: {
            '@odata.type': '#microsoft.graph.teamworkApplicationIdentity',
            id: message.fromApplication.id,
            displayName: message.fromApplication.displayName,
            applicationIdentityType: 'bot',
          },
          device: null,
          user: null,
        }
      : {
          application: null,
          device: null,
          user: {
            '@odata.type': '#microsoft.graph.teamworkUserIdentity',
            id: message.fromUserId,
            displayName: author?.displayName ?? null,
            userIdentityType: 'aadUser',
            tenantId,
          },
        },
    body: { ...message.body },
    channelIdentity: { teamId: message.teamId, channelId: message.channelId },
    attachments: message.attachments.map((a) => ({
      id: a.id,
      contentType: a.contentType,
      contentUrl: a.contentUrl ?? null,
      content: a.content ?? null,
      name: a.name ?? null,
      thumbnailUrl: a.thumbnailUrl ?? null,
      teamsAppId: null,
    })),
    mentions: message.mentions,
    reactions: [],
    messageHistory: [],
  };
}

/** A stable object id for an attendee of another tenant (the stand-in has no directory of theirs). */
function externalId(email: string): string {
  const hex = createHash('sha256').update(email.toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function meetingJson(meeting: Meeting, store: GraphStore) {
  const organizer = store.users.get(meeting.organizerId);
  const identity = (id: string) => ({
    upn: store.users.get(id)?.userPrincipalName ?? null,
    role: 'attendee',
    identity: { user: { id, displayName: null, tenantId: store.tenant.id, identityProvider: 'AAD' } },
  });
  return {
    id: meeting.id,
    creationDateTime: meeting.startDateTime,
    startDateTime: meeting.startDateTime,
    endDateTime: meeting.endDateTime,
    joinWebUrl: meeting.joinWebUrl,
    subject: meeting.subject,
    isBroadcast: false,
    autoAdmittedUsers: 'everyoneInCompany',
    allowMeetingChat: 'enabled',
    participants: {
      organizer: {
        ...identity(meeting.organizerId),
        role: 'presenter',
        upn: organizer?.userPrincipalName ?? null,
      },
      attendees: [
        ...(meeting.participants ?? []).map(identity),
        ...(meeting.externalParticipants ?? []).map((p) => ({
          upn: p.email,
          role: 'attendee',
          identity: p.tenantId
            ? {
                user: {
                  id: externalId(p.email),
                  displayName: p.displayName,
                  tenantId: p.tenantId,
                  identityProvider: 'AAD',
                },
              }
            : { guest: { id: externalId(p.email), displayName: p.displayName } },
        })),
      ],
    },
    // A channel meeting's chat is the channel thread, its meeting post the message id.
    chatInfo: meeting.channel
      ? {
          threadId: meeting.channel.channelId,
          messageId: `${Date.parse(meeting.startDateTime)}`,
          replyChainMessageId: null,
        }
      : {
          threadId: `19:meeting_${meeting.id.slice(0, 24)}@thread.v2`,
          messageId: '0',
          replyChainMessageId: null,
        },
  };
}

export function transcriptJson(
  transcript: SeedTranscript,
  meeting: Meeting,
  store: GraphStore,
  baseUrl: string,
) {
  return {
    id: transcript.id,
    meetingId: meeting.id,
    callId: null,
    contentCorrelationId: transcript.id.slice(0, 36),
    transcriptContentUrl: `${baseUrl}/v1.0/users/${meeting.organizerId}/onlineMeetings/${meeting.id}/transcripts/${transcript.id}/content`,
    createdDateTime: transcript.createdDateTime,
    endDateTime: transcript.endDateTime ?? meeting.endDateTime,
    meetingOrganizer: {
      application: null,
      device: null,
      user: {
        '@odata.type': '#microsoft.graph.teamworkUserIdentity',
        id: meeting.organizerId,
        displayName: null,
        userIdentityType: 'aadUser',
        tenantId: store.tenant.id,
      },
    },
  };
}
