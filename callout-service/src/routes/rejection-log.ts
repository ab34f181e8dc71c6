import type { Logger } from '../logger.ts';

/** Longest value of a caller-supplied field that reaches a log line (Graph's ids are GUIDs: 36). */
export const MAX_LOGGED_FIELD = 64;
const SAMPLES_PER_LINE = 3;

/** A caller-supplied value cut to a length a log line can afford, saying how long it really was. */
export function capField(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= MAX_LOGGED_FIELD ? text : `${text.slice(0, MAX_LOGGED_FIELD)}…(${text.length} chars)`;
}

/**
 * Rejected notifications come from whoever can reach the webhook, unauthenticated: one log line per request
 * (counts by reason, a few capped sample ids), and at most `linesPerWindow` such lines per window across
 * requests; what was held back is counted in the next line written.
 */
export class RejectionLog {
  private windowStart = 0;
  private linesInWindow = 0;
  private suppressedRequests = 0;
  private suppressedRejections = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly linesPerWindow = 20,
    private readonly windowMs = 10_000,
  ) {}

  /** A tally for one request; `write()` it once the request is done. */
  tally(): RejectionTally {
    return new RejectionTally((counts, samples) => this.write(counts, samples));
  }

  private write(counts: Record<string, number>, samples: string[], now = Date.now()): void {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total === 0) return;
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.linesPerWindow) {
      this.suppressedRequests++;
      this.suppressedRejections += total;
      return;
    }
    this.linesInWindow++;
    const suppressed =
      this.suppressedRequests > 0
        ? { requests: this.suppressedRequests, rejections: this.suppressedRejections }
        : undefined;
    this.suppressedRequests = 0;
    this.suppressedRejections = 0;
    this.logger.warn(
      { rejected: counts, total, sampleSubscriptionIds: samples, ...(suppressed ? { suppressed } : {}) },
      this.message,
    );
  }
}

export class RejectionTally {
  private readonly counts: Record<string, number> = {};
  private readonly samples: string[] = [];

  constructor(private readonly sink: (counts: Record<string, number>, samples: string[]) => void) {}

  add(reason: string, subscriptionId: unknown): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    const id = capField(subscriptionId);
    if (id && this.samples.length < SAMPLES_PER_LINE && !this.samples.includes(id)) this.samples.push(id);
  }

  write(): void {
    this.sink(this.counts, this.samples);
  }
}
