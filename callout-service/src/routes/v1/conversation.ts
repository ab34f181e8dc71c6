import { Router } from 'express';
import type { GraphAdapter, GraphChatMessage } from '../../graph/client.ts';
import { messageText } from '../../inbound/message-text.ts';
import { graphFailure } from './graph-errors.ts';

interface MessageView {
  id: string;
  author: string;
  authorEmail: string | null;
  createdDateTime: string | null;
  text: string;
  webUrl: string | null;
  replies: MessageView[];
}

const PAGE_SIZE = 20;

/** The page token is Graph's own next link, opaque to the caller; only links to our Graph are accepted back. */
export function encodePageToken(nextLink: string | undefined): string | null {
  return nextLink ? Buffer.from(nextLink, 'utf8').toString('base64url') : null;
}
export function decodePageToken(token: string, graphBase: string): string | undefined {
  const link = Buffer.from(token, 'base64url').toString('utf8');
  return link.startsWith(`${graphBase}/`) ? link : undefined;
}

/**
 * GET /v1/conversation: the linked channel's recent threads with replies, as plain text (markup is never
 * passed on), for the conversation component on the record page. Replies are posted by the bot
 * (conversation-reply.ts).
 */
export function conversationRouter(deps: { graph: GraphAdapter; graphBaseUrl: string }): Router {
  const router = Router();
  const client = deps.graph.client;

  router.get('/conversation', async (req, res, next) => {
    const { teamId, channelId, pageToken } = req.query;
    if (typeof teamId !== 'string' || !teamId || typeof channelId !== 'string' || !channelId) {
      res.status(400).json({
        error: { code: 'bad_request', message: 'teamId and channelId are required query parameters' },
      });
      return;
    }
    let link: string | undefined;
    if (pageToken !== undefined) {
      link = typeof pageToken === 'string' ? decodePageToken(pageToken, deps.graphBaseUrl) : undefined;
      if (!link) {
        res.status(400).json({
          error: { code: 'bad_page_token', message: 'pageToken must be a nextPageToken this API returned' },
        });
        return;
      }
    }
    try {
      const base = `/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}`;
      const [channel, page] = await Promise.all([
        client.api(base).get() as Promise<{ id: string; displayName?: string; webUrl?: string }>,
        (link
          ? client.api(link).get()
          : client.api(`${base}/messages`).top(PAGE_SIZE).expand('replies').get()) as Promise<{
          value: GraphChatMessage[];
          '@odata.nextLink'?: string;
        }>,
      ]);
      const emails = new Map<string, Promise<string | null>>();
      const emailOf = (userId: string | undefined) => {
        if (!userId) return Promise.resolve(null);
        if (!emails.has(userId)) {
          emails.set(
            userId,
            deps.graph.getUser(userId).then(
              (u) => u.mail ?? u.userPrincipalName ?? null,
              () => null,
            ),
          );
        }
        return emails.get(userId)!;
      };
      const view = async (m: GraphChatMessage & { replies?: GraphChatMessage[] }): Promise<MessageView> => ({
        id: m.id,
        author: m.from?.user?.displayName ?? m.from?.application?.displayName ?? 'Unknown',
        authorEmail: await emailOf(m.from?.user?.id),
        createdDateTime: m.createdDateTime ?? null,
        text: messageText(m.body?.content, m.body?.contentType),
        webUrl: m.webUrl ?? null,
        replies: await Promise.all((await repliesOf(m)).filter((r) => !r.deletedDateTime).map(view)),
      });
      // $expand=replies brings them inline; a Graph that ignored the expansion is asked per thread.
      const repliesOf = async (m: GraphChatMessage & { replies?: GraphChatMessage[] }) => {
        if (m.replies || m.replyToId) return m.replies ?? [];
        const r = (await client.api(`${base}/messages/${encodeURIComponent(m.id)}/replies`).get()) as {
          value: GraphChatMessage[];
        };
        return r.value;
      };
      const messages = await Promise.all(
        page.value.filter((m) => !m.deletedDateTime && (m.messageType ?? 'message') === 'message').map(view),
      );
      res.json({
        channel: { id: channel.id, displayName: channel.displayName ?? '', webUrl: channel.webUrl ?? null },
        messages,
        nextPageToken: encodePageToken(page['@odata.nextLink']),
      });
    } catch (err) {
      graphFailure(
        res,
        next,
        err,
        `reading the conversation of channel ${channelId}`,
        'ChannelMessage.Read.All',
      );
    }
  });
  return router;
}
