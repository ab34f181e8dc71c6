import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isTimeZone } from './transcripts/due-date.ts';

/**
 * Environment -> typed, validated configuration. Every variable is listed in `.env.example`.
 * A bad or missing variable fails start-up with one line per problem naming the variable and what it should
 * look like.
 */

const url = (example: string) => z.url({ error: `must be an absolute URL, for example ${example}` });
const int = (min: number, max: number, example: number) =>
  z.coerce
    .number({ error: `must be a whole number, for example ${example}` })
    .int({ error: `must be a whole number, for example ${example}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
const nonEmpty = (what: string) => z.string({ error: `is required: ${what}` }).min(1, `is required: ${what}`);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const pem = (what: string) =>
  z.string().refine((v) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v), {
    error: `must be a PEM private key (-----BEGIN PRIVATE KEY-----...) for ${what}`,
  });

const envSchema = z.object({
  PORT: int(0, 65535, 8080).default(8080),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: url('https://teams-bridge.example.com').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL, for example postgres://user:pass@host:5432/db')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: int(0, 65535, 54329).default(0),

  GRAPH_TENANT_ID: nonEmpty('the Entra ID tenant id (GUID) of the app registration'),
  GRAPH_CLIENT_ID: nonEmpty('the application (client) id of the Entra app registration'),
  GRAPH_CLIENT_SECRET: nonEmpty('a client secret of the Entra app registration'),
  GRAPH_AUTHORITY_HOST: url('https://login.microsoftonline.com').default('https://login.microsoftonline.com'),
  GRAPH_BASE_URL: url('https://graph.microsoft.com').default('https://graph.microsoft.com'),
  GRAPH_SCOPE: url('https://graph.microsoft.com/.default').default('https://graph.microsoft.com/.default'),
  GRAPH_JWKS_URL: url('https://login.microsoftonline.com/common/discovery/v2.0/keys').default(
    'https://login.microsoftonline.com/common/discovery/v2.0/keys',
  ),
  GRAPH_VALIDATION_TOKEN_ISSUER: url('https://sts.windows.net/<tenant id>/').optional(),
  GRAPH_NOTIFICATION_PRIVATE_KEY: pem('decrypting rich notifications').optional(),
  GRAPH_NOTIFICATION_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  GRAPH_MAX_RETRIES: int(0, 10, 3).default(3),

  SF_LOGIN_URL: url('https://login.salesforce.com').default('https://login.salesforce.com'),
  SF_AUTH_FLOW: z
    .enum(['jwt', 'client_credentials'], { error: 'must be jwt (JWT bearer flow) or client_credentials' })
    .default('jwt'),
  SF_CLIENT_ID: nonEmpty('the consumer key of the Salesforce connected app'),
  SF_CLIENT_SECRET: z.string().min(1).optional(),
  SF_USERNAME: z.string().min(1).optional(),
  SF_PRIVATE_KEY: pem('the Salesforce JWT bearer flow').optional(),
  SF_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  SF_JWT_AUDIENCE: url('https://login.salesforce.com').optional(),
  SF_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must be a Salesforce API version such as 62.0')
    .default('62.0'),
  SF_CRITICAL_ONLY_ABOVE: z.coerce
    .number({ error: 'must be a fraction between 0 and 1, for example 0.8' })
    .min(0, 'must be a fraction between 0 and 1, for example 0.8')
    .max(1, 'must be a fraction between 0 and 1, for example 0.8')
    .default(0.8),
  SF_LIMIT_BACKOFF_SECONDS: int(1, 86400, 900).default(900),
  SF_LIMIT_PROBE_SECONDS: int(1, 3600, 60).default(60),
  SF_RULES_REFRESH_SECONDS: int(1, 86400, 300).default(300),
  SF_LOOKUP_CACHE_SECONDS: int(0, 86400, 60).default(60),

  TASK_BATCH_SIZE: int(1, 200, 200).default(200),
  TASK_FLUSH_DELAY_MS: int(0, 60000, 250).default(250),

  WORKER_ENABLED: bool.default(true),
  WORKER_CONCURRENCY: int(1, 2000, 400).default(400),
  WORKER_BUSY_ELU: z.coerce
    .number({ error: 'must be a fraction between 0.1 and 1, for example 0.8' })
    .min(0.1, 'must be a fraction between 0.1 and 1, for example 0.8')
    .max(1, 'must be a fraction between 0.1 and 1, for example 0.8')
    // bench:inbound: at 0.5 a burst of 1000 took 40 % longer, in smaller batches; at 1 the webhook ingested half as fast.
    .default(0.8),
  WORKER_POLL_MS: int(100, 60000, 500).default(500),
  JOB_RETRY_LIMIT: int(0, 100, 8).default(8),
  JOB_RETRY_DELAY_SECONDS: int(1, 3600, 5).default(5),
  JOB_EXPIRE_SECONDS: int(1, 86400, 300).default(300),
  QUEUE_MAINTENANCE_SECONDS: int(1, 3600, 60).default(60),

  NOTIFICATION_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 1mb or 512kb')
    .default('1mb'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600000, 10000).default(10000),
  READINESS_CACHE_SECONDS: int(0, 300, 5).default(5),
  READINESS_TRUST_SECONDS: int(1, 3600, 30).default(30),
  METRICS_BEARER_TOKEN: z.string().min(16, 'must be at least 16 characters (a random secret)').optional(),
  METRICS_REFRESH_SECONDS: int(1, 3600, 15).default(15),

  // Subscription manager, backfill and the /v1 API Salesforce calls (src/subscriptions, src/routes/v1).
  // The API authenticates the JWT the Teams_Bridge_Service Named Credential mints, with the org certificate.
  TEAMS_BRIDGE_JWT_CERTIFICATE: z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n').trim())
    .refine(
      (v) => v.includes('-----BEGIN CERTIFICATE-----'),
      'must be the PEM (-----BEGIN CERTIFICATE-----) of the certificate the Teams_Bridge_Service external credential signs with',
    )
    .optional(),
  TEAMS_BRIDGE_JWT_ISSUER: z.string().min(1).default('teams-bridge-salesforce'),
  TEAMS_BRIDGE_JWT_AUDIENCE: z.string().min(1).default('teams-bridge-service'),
  TEAMS_BRIDGE_JWT_MAX_LIFETIME_SECONDS: int(30, 3600, 300).default(300),
  API_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 2mb or 512kb')
    .default('2mb'),
  SUBSCRIPTIONS_ENABLED: bool.default(true),
  SUBSCRIPTION_LIFETIME_MINUTES: int(45, 4320, 4230).default(4230),
  SUBSCRIPTION_RENEW_BEFORE_MINUTES: int(1, 4000, 1440).default(1440),
  SUBSCRIPTION_RECONCILE_SECONDS: int(1, 86400, 300).default(300),
  BACKFILL_INTERVAL_SECONDS: int(1, 86400, 300).default(300),
  BACKFILL_REPLY_THREAD_HOURS: int(1, 8760, 72).default(72),
  CHANNEL_SILENT_AFTER_MINUTES: int(1, 525600, 1440).default(1440),
  SUBSCRIPTION_TICK_MS: int(100, 60000, 2000).default(2000),

  // Meeting transcripts to action-item Tasks (src/transcripts).
  TRANSCRIPTS_ENABLED: bool.default(true),
  TRANSCRIPTS_REQUIRE_MAPPED_ORGANIZER: bool.default(true),
  TRANSCRIPTS_REQUIRE_EXTERNAL_PARTICIPANT: bool.default(true),
  TRANSCRIPTS_DEFAULT_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone name such as Europe/Berlin or America/New_York')
    .default('UTC'),
  TRANSCRIPT_MAX_BYTES: int(1024, 50_000_000, 5_000_000).default(5_000_000),
  AZURE_OPENAI_ENDPOINT: url('https://contoso-ai.openai.azure.com').optional(),
  AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .default('2024-10-21'),
  AZURE_OPENAI_TIMEOUT_MS: int(1000, 600000, 30000).default(30000),
});

/** Rules between variables, checked on the raw values so they are reported together with the others. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const flow = env.SF_AUTH_FLOW ?? 'jwt';
  if (flow === 'jwt') {
    if (!env.SF_USERNAME) {
      problems.push(
        'SF_USERNAME is required for SF_AUTH_FLOW=jwt: the integration user, e.g. integration@example.com',
      );
    }
    if (!env.SF_PRIVATE_KEY && !env.SF_PRIVATE_KEY_FILE) {
      problems.push(
        'SF_PRIVATE_KEY is required for SF_AUTH_FLOW=jwt: set SF_PRIVATE_KEY (PEM) or SF_PRIVATE_KEY_FILE (path to the PEM)',
      );
    }
  }
  if (flow === 'client_credentials' && !env.SF_CLIENT_SECRET) {
    problems.push(
      'SF_CLIENT_SECRET is required for SF_AUTH_FLOW=client_credentials: the consumer secret of the connected app',
    );
  }
  if (env.AZURE_OPENAI_ENDPOINT && (!env.AZURE_OPENAI_DEPLOYMENT || !env.AZURE_OPENAI_API_KEY)) {
    problems.push(
      'AZURE_OPENAI_DEPLOYMENT and AZURE_OPENAI_API_KEY are required with AZURE_OPENAI_ENDPOINT: the model deployment name and a key of the resource',
    );
  }
  return problems;
}

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { url: string | undefined; dataDir: string; embeddedPort: number };
  graph: {
    tenantId: string;
    clientId: string;
    clientSecret: string;
    authorityHost: string;
    baseUrl: string;
    /** Token scope: https://graph.microsoft.com/.default (also with the stand-in; national clouds differ). */
    scope: string;
    jwksUrl: string;
    validationTokenIssuer: string;
    notificationPrivateKey: string | undefined;
    maxRetries: number;
  };
  salesforce: {
    loginUrl: string;
    authFlow: 'jwt' | 'client_credentials';
    clientId: string;
    clientSecret: string | undefined;
    username: string | undefined;
    privateKey: string | undefined;
    /** `aud` of the JWT bearer assertion: login.salesforce.com / test.salesforce.com (default: SF_LOGIN_URL). */
    jwtAudience: string;
    apiVersion: string;
    criticalOnlyAbove: number;
    limitBackoffSeconds: number;
    /** While paused on REQUEST_LIMIT_EXCEEDED, one probe call this often ends the pause early. */
    limitProbeSeconds: number;
    rulesRefreshSeconds: number;
    lookupCacheSeconds: number;
  };
  tasks: { batchSize: number; flushDelayMs: number };
  worker: {
    enabled: boolean;
    concurrency: number;
    busyElu: number;
    pollMs: number;
    retryLimit: number;
    retryDelaySeconds: number;
    expireSeconds: number;
    maintenanceSeconds: number;
  };
  http: { notificationBodyLimit: string; shutdownTimeoutMs: number };
  /** /readyz: how long one probe result is reused; how long a successful real call stands for a probe. */
  readiness: { cacheSeconds: number; trustSeconds: number };
  /** /metrics: bearer token required when set; how often the database-backed gauges are read. */
  metrics: { bearerToken?: string; refreshSeconds: number };
  subscriptions: {
    enabled: boolean;
    lifetimeMinutes: number;
    renewBeforeMinutes: number;
    reconcileSeconds: number;
    backfillSeconds: number;
    replyThreadHours: number;
    silentAfterMinutes: number;
    tickMs: number;
  };
  transcripts: {
    enabled: boolean;
    requireMappedOrganizer: boolean;
    requireExternalParticipant: boolean;
    /** Used when the organiser's Salesforce user has no time zone. */
    defaultTimeZone: string;
    maxBytes: number;
    /** Azure OpenAI chat completions for extraction; undefined: the shipped rules only. */
    llm:
      | { endpoint: string; deployment: string; apiKey: string; apiVersion: string; timeoutMs: number }
      | undefined;
  };
  api: {
    jwt: { certificatePem: string | undefined; issuer: string; audience: string; maxLifetimeSeconds: number };
    bodyLimit: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`);
    this.name = 'ConfigError';
  }
}

function readKey(inline: string | undefined, file: string | undefined, variable: string): string | undefined {
  if (inline) return inline.replace(/\\n/g, '\n');
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${variable}_FILE: cannot read ${file} (${(err as Error).message})`]);
  }
}

/** Reads the environment (process.env by default); throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...crossFieldProblems(cleaned),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const sfKey = readKey(e.SF_PRIVATE_KEY, e.SF_PRIVATE_KEY_FILE, 'SF_PRIVATE_KEY');
  const graphKey = readKey(
    e.GRAPH_NOTIFICATION_PRIVATE_KEY,
    e.GRAPH_NOTIFICATION_PRIVATE_KEY_FILE,
    'GRAPH_NOTIFICATION_PRIVATE_KEY',
  );
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    logLevel: e.LOG_LEVEL,
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    graph: {
      tenantId: e.GRAPH_TENANT_ID,
      clientId: e.GRAPH_CLIENT_ID,
      clientSecret: e.GRAPH_CLIENT_SECRET,
      authorityHost: e.GRAPH_AUTHORITY_HOST.replace(/\/+$/, ''),
      baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
      scope: e.GRAPH_SCOPE,
      jwksUrl: e.GRAPH_JWKS_URL,
      validationTokenIssuer:
        e.GRAPH_VALIDATION_TOKEN_ISSUER ?? `https://sts.windows.net/${e.GRAPH_TENANT_ID}/`,
      notificationPrivateKey: graphKey,
      maxRetries: e.GRAPH_MAX_RETRIES,
    },
    salesforce: {
      loginUrl: e.SF_LOGIN_URL.replace(/\/+$/, ''),
      authFlow: e.SF_AUTH_FLOW,
      clientId: e.SF_CLIENT_ID,
      clientSecret: e.SF_CLIENT_SECRET,
      username: e.SF_USERNAME,
      privateKey: sfKey,
      jwtAudience: (e.SF_JWT_AUDIENCE ?? e.SF_LOGIN_URL).replace(/\/+$/, ''),
      apiVersion: e.SF_API_VERSION,
      criticalOnlyAbove: e.SF_CRITICAL_ONLY_ABOVE,
      limitBackoffSeconds: e.SF_LIMIT_BACKOFF_SECONDS,
      limitProbeSeconds: e.SF_LIMIT_PROBE_SECONDS,
      rulesRefreshSeconds: e.SF_RULES_REFRESH_SECONDS,
      lookupCacheSeconds: e.SF_LOOKUP_CACHE_SECONDS,
    },
    tasks: { batchSize: e.TASK_BATCH_SIZE, flushDelayMs: e.TASK_FLUSH_DELAY_MS },
    worker: {
      enabled: e.WORKER_ENABLED,
      concurrency: e.WORKER_CONCURRENCY,
      busyElu: e.WORKER_BUSY_ELU,
      pollMs: e.WORKER_POLL_MS,
      retryLimit: e.JOB_RETRY_LIMIT,
      retryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS,
      expireSeconds: e.JOB_EXPIRE_SECONDS,
      maintenanceSeconds: e.QUEUE_MAINTENANCE_SECONDS,
    },
    http: { notificationBodyLimit: e.NOTIFICATION_BODY_LIMIT, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    readiness: { cacheSeconds: e.READINESS_CACHE_SECONDS, trustSeconds: e.READINESS_TRUST_SECONDS },
    metrics: { bearerToken: e.METRICS_BEARER_TOKEN, refreshSeconds: e.METRICS_REFRESH_SECONDS },
    subscriptions: {
      enabled: e.SUBSCRIPTIONS_ENABLED,
      lifetimeMinutes: e.SUBSCRIPTION_LIFETIME_MINUTES,
      renewBeforeMinutes: e.SUBSCRIPTION_RENEW_BEFORE_MINUTES,
      reconcileSeconds: e.SUBSCRIPTION_RECONCILE_SECONDS,
      backfillSeconds: e.BACKFILL_INTERVAL_SECONDS,
      replyThreadHours: e.BACKFILL_REPLY_THREAD_HOURS,
      silentAfterMinutes: e.CHANNEL_SILENT_AFTER_MINUTES,
      tickMs: e.SUBSCRIPTION_TICK_MS,
    },
    transcripts: {
      enabled: e.TRANSCRIPTS_ENABLED,
      requireMappedOrganizer: e.TRANSCRIPTS_REQUIRE_MAPPED_ORGANIZER,
      requireExternalParticipant: e.TRANSCRIPTS_REQUIRE_EXTERNAL_PARTICIPANT,
      defaultTimeZone: e.TRANSCRIPTS_DEFAULT_TIME_ZONE,
      maxBytes: e.TRANSCRIPT_MAX_BYTES,
      llm: e.AZURE_OPENAI_ENDPOINT
        ? {
            endpoint: e.AZURE_OPENAI_ENDPOINT,
            deployment: e.AZURE_OPENAI_DEPLOYMENT!,
            apiKey: e.AZURE_OPENAI_API_KEY!,
            apiVersion: e.AZURE_OPENAI_API_VERSION,
            timeoutMs: e.AZURE_OPENAI_TIMEOUT_MS,
          }
        : undefined,
    },
    api: {
      jwt: {
        certificatePem: e.TEAMS_BRIDGE_JWT_CERTIFICATE,
        issuer: e.TEAMS_BRIDGE_JWT_ISSUER,
        audience: e.TEAMS_BRIDGE_JWT_AUDIENCE,
        maxLifetimeSeconds: e.TEAMS_BRIDGE_JWT_MAX_LIFETIME_SECONDS,
      },
      bodyLimit: e.API_BODY_LIMIT,
    },
  };
}

/** Names of every variable the service reads (documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);
