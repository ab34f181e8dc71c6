/** How long and how hard the chaos run goes: the short profile (CI) and the full one (`-- --full`). */
export interface Profile {
  name: 'short' | 'full';
  messagesPerSecond: number;
  hostilePerSecond: number;
  /** Handoff transactions per second (every fifth carries two Opportunities). */
  handoffsPerSecond: number;
  /** The Queueable's retry delays are minutes; the run's clock gives a minute this many milliseconds. */
  queueableMsPerMinute: number;
  /** OUTBOUND_RETRY_BASE_SECONDS of the replicas (production: 5). */
  outboundRetryBaseSeconds: number;
  steadyMs: number;
  /** Each fault's duration, by name (default `faultMs`). */
  faultMs: number;
  durations: Record<string, number>;
  settleMs: number;
  overlapMs: number;
  drainTimeoutMs: number;
}

export const SHORT: Profile = {
  name: 'short',
  messagesPerSecond: 3,
  hostilePerSecond: 2,
  handoffsPerSecond: 0.5,
  queueableMsPerMinute: 2_000,
  outboundRetryBaseSeconds: 1,
  steadyMs: 5_000,
  faultMs: 6_000,
  durations: { 'PostgreSQL stopped': 12_000, 'Graph 429': 10_000, 'Graph 503': 10_000 },
  settleMs: 3_000,
  overlapMs: 10_000,
  drainTimeoutMs: 150_000,
};

export const FULL: Profile = {
  name: 'full',
  messagesPerSecond: 4,
  hostilePerSecond: 3,
  handoffsPerSecond: 0.5,
  queueableMsPerMinute: 3_000,
  outboundRetryBaseSeconds: 1,
  steadyMs: 15_000,
  faultMs: 15_000,
  durations: { 'PostgreSQL stopped': 20_000, 'Graph 429': 60_000, 'Graph 503': 60_000 },
  settleMs: 5_000,
  overlapMs: 25_000,
  drainTimeoutMs: 300_000,
};
