/** Fault injection settings shared by the HTTP surface and the notification sender. */
export interface FaultSettings {
  /** Milliseconds added before every Graph/Entra answer. */
  latencyMs: number;
  /** Share (0..1) of Graph/Entra requests answered with `errorStatus`. */
  errorRate: number;
  /** The next N Graph/Entra requests are answered with `errorStatus` (deterministic alternative to errorRate). */
  failNext: number;
  errorStatus: 429 | 500 | 502 | 503 | 504;
  retryAfterSeconds: number;
  /** Which requests the latency and errors apply to. */
  target: 'graph' | 'entra' | 'all';
  /** Only requests whose path contains this text (empty: all). */
  pathContains: string;
  /** Share (0..1) of change notifications silently never sent, and a count of the next ones to drop. */
  dropNotificationRate: number;
  dropNextNotifications: number;
  /** Share (0..1) of notification POSTs sent twice, and a count of the next ones to duplicate. */
  duplicateNotificationRate: number;
  duplicateNextNotifications: number;
}

export const noFaults = (): FaultSettings => ({
  latencyMs: 0,
  errorRate: 0,
  failNext: 0,
  errorStatus: 503,
  retryAfterSeconds: 1,
  target: 'all',
  pathContains: '',
  dropNotificationRate: 0,
  dropNextNotifications: 0,
  duplicateNotificationRate: 0,
  duplicateNextNotifications: 0,
});

const rateKeys = ['errorRate', 'dropNotificationRate', 'duplicateNotificationRate'] as const;
const countKeys = [
  'latencyMs',
  'failNext',
  'retryAfterSeconds',
  'dropNextNotifications',
  'duplicateNextNotifications',
] as const;

/** Merges a partial update, refusing values that make no sense with a message that says what to fix. */
export function mergeFaults(current: FaultSettings, update: Partial<FaultSettings>): FaultSettings {
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (!(key in current))
      throw new Error(`Unknown fault '${key}'. Known: ${Object.keys(current).join(', ')}.`);
    if (
      (rateKeys as readonly string[]).includes(key) &&
      (typeof value !== 'number' || value < 0 || value > 1)
    ) {
      throw new Error(`${key} must be a number between 0 and 1.`);
    }
    if (
      (countKeys as readonly string[]).includes(key) &&
      (!Number.isInteger(value) || (value as number) < 0)
    ) {
      throw new Error(`${key} must be a whole number of 0 or more.`);
    }
    if (key === 'errorStatus' && ![429, 500, 502, 503, 504].includes(value as number)) {
      throw new Error('errorStatus must be one of 429, 500, 502, 503, 504.');
    }
    if (key === 'target' && !['graph', 'entra', 'all'].includes(value as string)) {
      throw new Error("target must be 'graph', 'entra' or 'all'.");
    }
    (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

/** Consumes a "next N" counter or rolls the dice for a rate. */
export function shouldApply(
  settings: FaultSettings,
  countKey: keyof FaultSettings,
  rateKey: keyof FaultSettings,
) {
  const count = settings[countKey] as number;
  if (count > 0) {
    (settings as unknown as Record<string, number>)[countKey as string] = count - 1;
    return true;
  }
  const rate = settings[rateKey] as number;
  return rate > 0 && Math.random() < rate;
}
