/**
 * After a crash (or an unanswered send) between posting and recording, the item may already be in Teams.
 * Before posting again the worker looks for it: the channel's newest root messages (Graph, newest first)
 * back to a little before the send started, matched on the card's marker. Found: recorded as posted.
 */
import type { GraphAdapter } from '../graph/client.ts';

interface ListedMessage {
  id: string;
  createdDateTime: string;
  webUrl?: string | null;
  attachments?: { content?: string | null }[];
}

export async function findPostedMessage(
  graph: GraphAdapter,
  target: { teamId: string; channelId: string },
  marker: string,
  since: Date,
  maxPages = 10,
): Promise<{ id: string; webUrl: string | null } | undefined> {
  const oldest = since.getTime() - 5 * 60_000;
  let url: string | undefined =
    `/teams/${encodeURIComponent(target.teamId)}/channels/${encodeURIComponent(target.channelId)}/messages?$top=50`;
  for (let page = 0; url && page < maxPages; page++) {
    const result = (await graph.client.api(url).get()) as {
      value: ListedMessage[];
      '@odata.nextLink'?: string;
    };
    for (const message of result.value) {
      if ((message.attachments ?? []).some((a) => a.content?.includes(marker))) {
        return { id: message.id, webUrl: message.webUrl ?? null };
      }
    }
    const reachedOlder = result.value.some((m) => Date.parse(m.createdDateTime) < oldest);
    url = reachedOlder ? undefined : result['@odata.nextLink'];
  }
  return undefined;
}
