/**
 * An outbound item posted in the `graph` mode: the card (no Accept button: Action.Execute needs the bot)
 * posted as the service account. When the account cannot renew its token (password reset, MFA, Conditional
 * Access, expiry), the item is not spent: it waits, attempts untouched, with the reason as its last error,
 * and the sign-in CLI puts every waiting item back at once. Dead-lettering would make the admin retry each
 * item after one sign-in fixed them all, and bounded retries would use up the attempts within minutes.
 * A transient Entra ID failure is an ordinary retry.
 */
import type { Logger } from '../../logger.ts';
import type { Pool } from '../../store/database.ts';
import { handoffCard } from '../card.ts';
import type { OutboundConfig } from '../outbound-config.ts';
import { markPostStarted, retryLater, type OutboundItem } from '../outbound-rows.ts';
import type { SendOutcome } from '../post-errors.ts';
import type { PostLimiter, Scope } from '../post-limiter.ts';
import type { Target } from '../targets.ts';
import { GraphPostError, postAsServiceAccount } from './graph-post.ts';
import { WAITING_PREFIX, type GraphServiceAccount } from './service-account.ts';
import { ServiceAccountError } from './sign-in-failure.ts';

export interface GraphItemDeps {
  pool: Pool;
  limiter: PostLimiter;
  config: OutboundConfig;
  graphBaseUrl: string;
  tenantId: string;
  logger: Logger;
  serviceAccount?: GraphServiceAccount | undefined;
}

export type GraphItemResult =
  { kind: 'posted'; messageId: string } | { kind: 'handled' } | { kind: 'failed'; outcome: SendOutcome };

export const graphScopes = (config: OutboundConfig, tenantId: string, channelId: string): Scope[] => [
  { key: `graph-channel:${channelId}`, windows: config.serviceAccount.channelLimits },
  { key: `graph-account:${tenantId}`, windows: config.serviceAccount.limits },
];

async function waitForSignIn(deps: GraphItemDeps, item: OutboundItem, err: ServiceAccountError) {
  if (err.failure.kind === 'transient') return { kind: 'failed' as const, outcome: retry(err.message) };
  await retryLater(deps.pool, item.idempotencyKey, {
    delayMs: deps.config.serviceAccount.waitSeconds * 1000,
    error: `${WAITING_PREFIX}${err.message}`,
    notPosted: true,
    spendAttempt: false,
  });
  deps.logger.warn(
    { key: item.idempotencyKey, code: err.failure.code },
    'outbound item waits for the Graph service account',
  );
  return { kind: 'handled' as const };
}

const retry = (message: string): SendOutcome => ({ kind: 'retry', notPosted: true, message });

export async function postItemAsServiceAccount(
  deps: GraphItemDeps,
  item: OutboundItem,
  target: Target,
): Promise<GraphItemResult> {
  const account = deps.serviceAccount;
  if (!account) {
    return {
      kind: 'failed',
      outcome: {
        kind: 'permanent',
        message: 'the graph posting mode needs OUTBOUND_SECRET_KEY on the service (it seals the token cache)',
      },
    };
  }
  // The token first: an account that cannot sign in leaves the item untouched and waiting.
  try {
    await account.accessToken();
  } catch (err) {
    if (err instanceof ServiceAccountError) return await waitForSignIn(deps, item, err);
    throw err;
  }
  const slot = await deps.limiter.acquire(graphScopes(deps.config, deps.tenantId, target.channelId));
  if (!slot.ok) {
    await retryLater(deps.pool, item.idempotencyKey, {
      delayMs: slot.waitMs,
      notPosted: false,
      spendAttempt: false,
    });
    return { kind: 'handled' };
  }
  const card = handoffCard(item, { withAccept: false, channelUrl: target.channelUrl });
  await markPostStarted(deps.pool, item.idempotencyKey);
  try {
    const messageId = await postAsServiceAccount(account, deps.graphBaseUrl, target, { kind: 'card', card });
    return { kind: 'posted', messageId };
  } catch (err) {
    if (err instanceof ServiceAccountError) return await waitForSignIn(deps, item, err);
    if (err instanceof GraphPostError) {
      if (err.outcome.kind === 'throttled') {
        await deps.limiter.pause(`graph-channel:${target.channelId}`, err.outcome.retryAfterSeconds);
      }
      return { kind: 'failed', outcome: err.outcome };
    }
    return { kind: 'failed', outcome: { kind: 'retry', notPosted: false, message: (err as Error).message } };
  }
}
