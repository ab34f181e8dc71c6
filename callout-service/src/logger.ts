import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino removes before a line is written: credentials, per-subscription secrets and message content.
 * Message text is customer data: it is never logged, only ids.
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  'clientState',
  '*.clientState',
  '*[*].clientState',
  'client_state',
  '*.client_state',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
  'body',
  '*.body',
  'content',
  '*.content',
  'encryptedContent',
  '*.encryptedContent',
  'validationTokens',
  '*.validationTokens',
  'text',
  '*.text',
  'Description',
  '*.Description',
  // PostgreSQL errors quote the offending data: `detail` ("Key (x)=(...) already exists", "Token ... is
  // invalid"), `where` ("JSON data, line 1: ..."), `internalQuery`; pg also attaches the failed query's values.
  'detail',
  '*.detail',
  '*.cause.detail',
  'where',
  '*.where',
  '*.cause.where',
  'internalQuery',
  '*.internalQuery',
  '*.cause.internalQuery',
  'parameters',
  '*.parameters',
];

/**
 * pino's error serializer, without the `client` that node-postgres attaches to a lost connection's error: the
 * whole pg Client (connection parameters, backend process id and cancel key), kilobytes a line.
 */
function serializeError(err: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(err);
  if (serialized && typeof serialized === 'object' && 'client' in serialized) delete serialized.client;
  return serialized;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'teams-bridge-callout' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}
