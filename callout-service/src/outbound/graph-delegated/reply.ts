/**
 * A rep's reply from the record page in a `graph` channel: posted into the thread as the service account,
 * the Salesforce user named in the text (the message's author in Teams is the service account). A person
 * is waiting, so a posting slot is waited for a few seconds at most and a sign-in problem is answered
 * at once with its reason.
 */
import type { PostLimiter } from '../post-limiter.ts';
import type { OutboundConfig } from '../outbound-config.ts';
import { attributedReply, GraphPostError, postAsServiceAccount } from './graph-post.ts';
import { graphScopes } from './post-item.ts';
import type { GraphServiceAccount } from './service-account.ts';
import { ServiceAccountError } from './sign-in-failure.ts';

export type ReplyResult =
  | { ok: true; id: string }
  | { ok: false; status: number; code: string; message: string; retryAfterSeconds?: number };

export async function replyAsServiceAccount(
  deps: {
    serviceAccount: GraphServiceAccount | undefined;
    limiter: PostLimiter;
    config: OutboundConfig;
    graphBaseUrl: string;
    tenantId: string;
  },
  reply: { teamId: string; channelId: string; messageId?: string | null; senderName: string; text: string },
): Promise<ReplyResult> {
  const account = deps.serviceAccount;
  if (!account) {
    return {
      ok: false,
      status: 409,
      code: 'secret_key_missing',
      message: 'the graph posting mode needs OUTBOUND_SECRET_KEY on the service',
    };
  }
  const scopes = graphScopes(deps.config, deps.tenantId, reply.channelId);
  let slot = await deps.limiter.acquire(scopes);
  for (let waited = 0; !slot.ok && waited + slot.waitMs <= 5000;) {
    const waitMs: number = slot.waitMs;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    waited += waitMs;
    slot = await deps.limiter.acquire(scopes);
  }
  if (!slot.ok) {
    return {
      ok: false,
      status: 429,
      code: 'throttled',
      message: 'Teams posting limit reached: try again shortly',
      retryAfterSeconds: Math.ceil(slot.waitMs / 1000),
    };
  }
  try {
    const id = await postAsServiceAccount(
      account,
      deps.graphBaseUrl,
      { teamId: reply.teamId, channelId: reply.channelId, replyToId: reply.messageId ?? undefined },
      attributedReply(reply.senderName, reply.text),
    );
    return { ok: true, id };
  } catch (err) {
    if (err instanceof ServiceAccountError) {
      return { ok: false, status: 503, code: 'service_account_signed_out', message: err.message };
    }
    if (err instanceof GraphPostError) {
      const o = err.outcome;
      if (o.kind === 'throttled') {
        return {
          ok: false,
          status: 429,
          code: 'throttled',
          message: 'Teams is throttling posts: try again shortly',
          retryAfterSeconds: o.retryAfterSeconds,
        };
      }
      return { ok: false, status: o.kind === 'retry' ? 502 : 409, code: 'teams_refused', message: o.message };
    }
    throw err;
  }
}
