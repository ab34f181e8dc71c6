/**
 * Configuration of the Salesforce -> Teams direction, read from the environment like `config.ts` (every
 * variable is in `.env.example`). Kept apart so the outbound pipeline can be configured without touching the
 * inbound settings.
 */
import { SecretBox } from './secret-box.ts';

export interface LimitWindow {
  limit: number;
  windowMs: number;
}

export interface OutboundConfig {
  enabled: boolean;
  pollMs: number;
  concurrency: number;
  maxAttempts: number;
  retryBaseSeconds: number;
  /** How long a claimed item is reserved for one replica before another may take it over. */
  leaseSeconds: number;
  /** Where a record without an Active channel link is posted (Teams_Bridge_Setting__mdt's pipeline channel). */
  pipeline: { teamId: string; channelId: string } | undefined;
  /** Posting mode of a channel without its own (channel-posting.ts). */
  defaultMode: PostingMode;
  /**
   * Seals the Workflows webhook URLs and the Graph service account's token cache at rest
   * (OUTBOUND_SECRET_KEY); absent: the Workflows and Graph modes are refused.
   */
  secretBox: SecretBox | undefined;
  /** The `graph` mode: posting as a delegated service account (graph-delegated/). */
  serviceAccount: {
    /** The public-client app registration it signs in with; default GRAPH_CLIENT_ID. */
    clientId: string | undefined;
    warnDays: number;
    /** How long an item waits before trying again while the account cannot sign in. */
    waitSeconds: number;
    /** Graph's channel-message POST limit for the account (chatmessage-post: 10 messages per 10 s). */
    limits: LimitWindow[];
    /** Per channel, so one busy channel cannot take the whole account's allowance. */
    channelLimits: LimitWindow[];
  };
  /** Accepting a handoff also makes the accepting user the Opportunity owner. */
  acceptChangesOwner: boolean;
  limits: { perThread: LimitWindow[]; perApp: LimitWindow[] };
  bot: {
    /** Where the SDK's inbound JWT check reads the Bot Framework OpenID metadata. */
    openIdMetadataUrl: string;
    tokenIssuer: string;
    scope: string;
    /** Used until a team's installation event gives its own serviceUrl. */
    serviceUrl: string;
  };
}

export type PostingMode = 'bot' | 'workflows' | 'graph';
export const POSTING_MODES: readonly PostingMode[] = ['bot', 'workflows', 'graph'];

export class OutboundConfigError extends Error {}

/** `7/1,8/2` → 7 per 1 s and 8 per 2 s. */
export function parseLimits(raw: string, variable: string): LimitWindow[] {
  return raw.split(',').map((part) => {
    const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match)
      throw new OutboundConfigError(`${variable} must look like 7/1,8/2 (count/seconds): got '${part}'`);
    return { limit: Number(match[1]), windowMs: Math.round(Number(match[2]) * 1000) };
  });
}

function int(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OutboundConfigError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * Defaults are Teams' documented bot limits (per bot per thread 7/1 s, 8/2 s, 60/30 s, 1,800/3,600 s; per app
 * per tenant 50/s: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
 */
export function loadOutboundConfig(env: Record<string, string | undefined> = process.env): OutboundConfig {
  const pipelineTeam = env.OUTBOUND_PIPELINE_TEAM_ID;
  const pipelineChannel = env.OUTBOUND_PIPELINE_CHANNEL_ID;
  if (!!pipelineTeam !== !!pipelineChannel) {
    throw new OutboundConfigError('OUTBOUND_PIPELINE_TEAM_ID and OUTBOUND_PIPELINE_CHANNEL_ID go together');
  }
  const mode = (env.OUTBOUND_DEFAULT_MODE || 'bot') as PostingMode;
  if (!POSTING_MODES.includes(mode)) {
    throw new OutboundConfigError(`OUTBOUND_DEFAULT_MODE must be bot, workflows or graph: got '${mode}'`);
  }
  let secretBox: SecretBox | undefined;
  try {
    secretBox = env.OUTBOUND_SECRET_KEY
      ? SecretBox.fromBase64(env.OUTBOUND_SECRET_KEY, 'OUTBOUND_SECRET_KEY')
      : undefined;
  } catch (err) {
    throw new OutboundConfigError((err as Error).message);
  }
  if ((mode === 'workflows' || mode === 'graph') && !secretBox) {
    throw new OutboundConfigError(
      `OUTBOUND_DEFAULT_MODE=${mode} needs OUTBOUND_SECRET_KEY (32 bytes, base64)`,
    );
  }
  return {
    enabled: (env.OUTBOUND_ENABLED ?? 'true') !== 'false',
    pollMs: int(env, 'OUTBOUND_POLL_MS', 250, 20, 60_000),
    concurrency: int(env, 'OUTBOUND_CONCURRENCY', 16, 1, 500),
    maxAttempts: int(env, 'OUTBOUND_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseSeconds: int(env, 'OUTBOUND_RETRY_BASE_SECONDS', 5, 0, 3600),
    leaseSeconds: int(env, 'OUTBOUND_LEASE_SECONDS', 60, 1, 3600),
    pipeline:
      pipelineTeam && pipelineChannel ? { teamId: pipelineTeam, channelId: pipelineChannel } : undefined,
    defaultMode: mode,
    secretBox,
    acceptChangesOwner: env.OUTBOUND_ACCEPT_CHANGES_OWNER === 'true',
    serviceAccount: {
      clientId: env.GRAPH_SERVICE_ACCOUNT_CLIENT_ID || undefined,
      warnDays: int(env, 'GRAPH_SERVICE_ACCOUNT_WARN_DAYS', 14, 0, 89),
      waitSeconds: int(env, 'GRAPH_SERVICE_ACCOUNT_WAIT_SECONDS', 900, 1, 86_400),
      limits: parseLimits(env.OUTBOUND_GRAPH_LIMITS ?? '10/10', 'OUTBOUND_GRAPH_LIMITS'),
      channelLimits: parseLimits(env.OUTBOUND_GRAPH_CHANNEL_LIMITS ?? '1/1', 'OUTBOUND_GRAPH_CHANNEL_LIMITS'),
    },
    limits: {
      perThread: parseLimits(
        env.OUTBOUND_THREAD_LIMITS ?? '7/1,8/2,60/30,1800/3600',
        'OUTBOUND_THREAD_LIMITS',
      ),
      perApp: parseLimits(env.OUTBOUND_APP_LIMITS ?? '50/1', 'OUTBOUND_APP_LIMITS'),
    },
    bot: {
      openIdMetadataUrl:
        env.BOT_OPENID_METADATA_URL ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      tokenIssuer: env.BOT_TOKEN_ISSUER ?? 'https://api.botframework.com',
      scope: env.BOT_SCOPE ?? 'https://api.botframework.com/.default',
      serviceUrl: env.BOT_SERVICE_URL ?? 'https://smba.trafficmanager.net/teams/',
    },
  };
}
