/** Options of the Graph stand-in, with the defaults that match Microsoft's documented behaviour. */
import type { GraphSeed } from './seed.ts';

export interface DeliveryOptions {
  /** A notification POST not answered within this time counts as a timeout (retried, and slow). */
  timeoutMs: number;
  /** Notifications that queue up within this window go out in one POST. */
  batchWindowMs: number;
  maxBatchSize: number;
  /** Exponential backoff on 5xx and timeouts: first delay, cap, and the window after which a batch is dropped. */
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  retryWindowMs: number;
  /** Slow/drop state: answers slower than slowThresholdMs within stateWindowMs; shares above which the
   * endpoint is marked slow (notifications delayed by slowDelayMs) or drop (new notifications discarded). */
  slowThresholdMs: number;
  slowShare: number;
  dropShare: number;
  slowDelayMs: number;
  stateWindowMs: number;
  minSamples: number;
}

export interface ThrottleOptions {
  postPerChannelPerSecond: number;
  postPerAppPerSecond: number;
  activityPerAppPerSecond: number;
  /** Reads (GET) one app may make on one channel a second: "4 requests per second per app on a given team or channel". */
  readPerChannelPerSecond: number;
  /** Single channel-message reads (a message, a reply) one app may make in the tenant a second ("GET channel message"). */
  getMessagePerAppPerSecond: number;
}

export interface GraphEmulatorOptions {
  port?: number;
  /** Interface to listen on; 127.0.0.1 by default (the certificate also names localhost and ::1). */
  host?: string;
  /** Replaces the parts of the default seed it names (tenant, apps, users, teams, meetings). */
  seed?: Partial<GraphSeed>;
  /** Where the CA and the localhost certificate live (default: <repo>/.sandbox/tls). */
  tlsDir?: string;
  tokenLifetimeSeconds?: number;
  /** How long the validation handshake may take (Graph: 10 s). */
  validationTimeoutMs?: number;
  deviceCodeIntervalSeconds?: number;
  delivery?: Partial<DeliveryOptions>;
  throttle?: Partial<ThrottleOptions>;
  /** Receives one line per notable event (never secrets or message bodies). */
  log?: (line: string) => void;
}

export interface ResolvedOptions {
  tokenLifetimeSeconds: number;
  validationTimeoutMs: number;
  deviceCodeIntervalSeconds: number;
  delivery: DeliveryOptions;
  throttle: ThrottleOptions;
  log: (line: string) => void;
}

export const defaultDelivery = (): DeliveryOptions => ({
  timeoutMs: 10_000,
  batchWindowMs: 25,
  maxBatchSize: 100,
  retryInitialDelayMs: 1000,
  retryMaxDelayMs: 5 * 60_000,
  retryWindowMs: 4 * 3600_000,
  slowThresholdMs: 10_000,
  slowShare: 0.1,
  dropShare: 0.15,
  slowDelayMs: 10_000,
  stateWindowMs: 10 * 60_000,
  minSamples: 10,
});

export const defaultThrottle = (): ThrottleOptions => ({
  postPerChannelPerSecond: 1,
  postPerAppPerSecond: 50,
  activityPerAppPerSecond: 5,
  // Microsoft Graph service-specific throttling limits, Microsoft Teams service limits.
  readPerChannelPerSecond: 4,
  getMessagePerAppPerSecond: 20,
});

function positive(name: string, value: number, allowZero = false): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(
      `Graph stand-in option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number.`,
    );
  }
  return value;
}

export function resolveOptions(options: GraphEmulatorOptions): ResolvedOptions {
  const delivery = { ...defaultDelivery(), ...options.delivery };
  for (const [key, value] of Object.entries(delivery)) positive(`delivery.${key}`, value, true);
  const throttle = { ...defaultThrottle(), ...options.throttle };
  for (const [key, value] of Object.entries(throttle)) positive(`throttle.${key}`, value, true);
  return {
    tokenLifetimeSeconds: positive('tokenLifetimeSeconds', options.tokenLifetimeSeconds ?? 3600),
    validationTimeoutMs: positive('validationTimeoutMs', options.validationTimeoutMs ?? 10_000),
    deviceCodeIntervalSeconds: positive('deviceCodeIntervalSeconds', options.deviceCodeIntervalSeconds ?? 5),
    delivery,
    throttle,
    log: options.log ?? (() => {}),
  };
}
