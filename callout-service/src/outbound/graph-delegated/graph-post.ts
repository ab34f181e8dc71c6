/**
 * Posting a chatMessage as the service account: `POST /teams/{id}/channels/{id}/messages` or
 * `.../messages/{id}/replies` (https://learn.microsoft.com/en-us/graph/api/channel-post-messages,
 * https://learn.microsoft.com/en-us/graph/api/chatmessage-post-replies). An Adaptive Card goes as an
 * attachment with contentType application/vnd.microsoft.card.adaptive, its JSON as a string, referenced from
 * the body by `<attachment id="...">` (https://learn.microsoft.com/en-us/graph/api/chatmessage-post
 * "Example 4"). Plain fetch rather than the Graph client: its retry middleware would repeat a POST that
 * may already have been carried out; the worker decides about retries, looking for the message first.
 */
import { randomUUID } from 'node:crypto';
import type { SendOutcome } from '../post-errors.ts';
import type { GraphServiceAccount } from './service-account.ts';

export type GraphMessage = { kind: 'card'; card: object } | { kind: 'html'; html: string };

export class GraphPostError extends Error {
  constructor(
    message: string,
    readonly outcome: SendOutcome,
  ) {
    super(message);
  }
}

export function chatMessageBody(message: GraphMessage): object {
  if (message.kind === 'html') return { body: { contentType: 'html', content: message.html } };
  const id = randomUUID();
  return {
    body: { contentType: 'html', content: `<attachment id="${id}"></attachment>` },
    attachments: [
      {
        id,
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: JSON.stringify(message.card),
      },
    ],
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A rep's reply posted by the service account: the Salesforce user is named in the text. */
export const attributedReply = (name: string, text: string): GraphMessage => ({
  kind: 'html',
  html: `<p><strong>${escapeHtml(name)}</strong> (from Salesforce): ${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
});

function outcomeOf(status: number, detail: string, retryAfter: string | null): SendOutcome {
  if (status === 429) {
    const seconds = Number(retryAfter);
    return { kind: 'throttled', retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 1 };
  }
  if (status === 403) {
    return {
      kind: 'permanent',
      message: `Graph refused the service account (${detail}): make the account a member of the team, or check its ChannelMessage.Send consent`,
    };
  }
  if (status === 404) {
    return {
      kind: 'permanent',
      message: `the channel is gone in Teams (${detail}): link the record to another channel`,
    };
  }
  if (status === 413)
    return { kind: 'permanent', message: `the card is larger than Teams accepts (${detail})` };
  if (status === 401)
    return { kind: 'retry', notPosted: true, message: `Graph did not accept the token (${detail})` };
  if (status >= 400 && status < 500)
    return { kind: 'permanent', message: `Graph refused the post (${detail})` };
  return { kind: 'retry', notPosted: false, message: detail };
}

/** Posts; answers the new message's id. A 401 renews the token once and tries again (nothing was posted). */
export async function postAsServiceAccount(
  account: GraphServiceAccount,
  graphBaseUrl: string,
  target: { teamId: string; channelId: string; replyToId?: string },
  message: GraphMessage,
  timeoutMs = 15_000,
): Promise<string> {
  const base = `${graphBaseUrl.replace(/\/+$/, '')}/v1.0/teams/${encodeURIComponent(target.teamId)}/channels/${encodeURIComponent(target.channelId)}/messages`;
  const url = target.replyToId ? `${base}/${encodeURIComponent(target.replyToId)}/replies` : base;
  const body = JSON.stringify(chatMessageBody(message));
  for (let attempt = 0; ; attempt++) {
    const token = await account.accessToken({ forceRefresh: attempt > 0 });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      const detail = `Graph did not answer (${cause})`;
      throw new GraphPostError(detail, { kind: 'retry', notPosted: false, message: detail });
    }
    const json = (await response.json().catch(() => ({}))) as {
      id?: string;
      error?: { code?: string; message?: string };
    };
    if (response.status === 201 && json.id) return json.id;
    if (response.status === 401 && attempt === 0) continue;
    const code = json.error?.code ?? '';
    const detail = `${response.status}${code ? ` ${code}` : ''}: ${(json.error?.message ?? 'no message').slice(0, 300)}`;
    throw new GraphPostError(detail, outcomeOf(response.status, detail, response.headers.get('retry-after')));
  }
}
