import { liveFor, toDto } from './channel-links.ts';
import { type ApexClass, type ApexContext, fromService, isBlank, text, withMessage } from './context.ts';
import { requireRead } from './record-access.ts';

const MAX_REPLY_LENGTH = 20000;

interface MessageDto {
  id: string | null;
  author: string | null;
  authorEmail: string | null;
  createdDateTime: string | null;
  text: string | null;
  webUrl: string | null;
  replies: MessageDto[];
}

function toMessages(raw: unknown): MessageDto[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item: Record<string, unknown>) => ({
    id: text(item?.id),
    author: text(item?.author),
    authorEmail: text(item?.authorEmail),
    createdDateTime: text(item?.createdDateTime),
    text: text(item?.text),
    webUrl: text(item?.webUrl),
    replies: toMessages(item?.replies),
  }));
}

async function requireLink(ctx: ApexContext, recordId: unknown) {
  await requireRead(ctx, recordId);
  const link = await liveFor(ctx, recordId);
  if (!link) throw withMessage('No Teams channel is linked to this record. Link a channel first.');
  return link;
}

const enc = encodeURIComponent;

/** TeamsConversationController: the linked channel, its conversation through the service, replies. */
export const teamsConversationController: ApexClass = {
  name: 'TeamsConversationController',
  methods: {
    async getChannelLink({ recordId }, ctx) {
      await requireRead(ctx, recordId);
      return toDto(await liveFor(ctx, recordId));
    },

    async getConversation({ recordId, pageToken }, ctx) {
      const link = await requireLink(ctx, recordId);
      let path = `/v1/conversation?teamId=${enc(link.Team_Id__c ?? '')}&channelId=${enc(link.Channel_Id__c)}`;
      if (!isBlank(pageToken)) path += `&pageToken=${enc(String(pageToken))}`;
      let answer: Record<string, unknown>;
      try {
        answer = ((await ctx.service.get(path)) ?? {}) as Record<string, unknown>;
      } catch (failure) {
        throw fromService(failure);
      }
      return { nextPageToken: text(answer.nextPageToken), messages: toMessages(answer.messages) };
    },

    async postReply({ recordId, messageId, text: body }, ctx) {
      if (isBlank(body)) throw withMessage('Write a message before sending.');
      const message = String(body);
      if (message.length > MAX_REPLY_LENGTH) {
        throw withMessage(`The message is too long: keep it under ${MAX_REPLY_LENGTH} characters.`);
      }
      const link = await requireLink(ctx, recordId);
      const request: Record<string, unknown> = {
        teamId: link.Team_Id__c,
        channelId: link.Channel_Id__c,
        text: message,
        senderEmail: ctx.persona.email,
      };
      if (!isBlank(messageId)) request.messageId = messageId;
      let answer: Record<string, unknown>;
      try {
        answer = ((await ctx.service.post('/v1/conversation/reply', request)) ?? {}) as Record<
          string,
          unknown
        >;
      } catch (failure) {
        throw fromService(failure);
      }
      return {
        id: text(answer.id),
        webUrl: text(answer.webUrl),
        author: ctx.persona.name,
        authorEmail: ctx.persona.email,
        createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        text: message,
        replies: [],
      };
    },
  },
};
