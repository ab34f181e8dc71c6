import { performance, type EventLoopUtilization } from 'node:perf_hooks';

const SMOOTHING = 0.4;

export interface AdaptiveConcurrencyOptions {
  /** The ceiling (WORKER_CONCURRENCY): reached while jobs mostly wait on Graph and Salesforce. */
  max: number;
  /**
   * Never fewer than this in flight, however busy the process is: enough that jobs waiting on slow remote
   * calls still keep up with a steady flow (50 messages/s at ~0.6 s each needs ~30).
   */
  min?: number;
  /** Event-loop utilization above which the limit backs off (WORKER_BUSY_ELU). */
  busyAbove: number;
  /** How often the utilization is read and the limit adjusted. */
  windowMs?: number;
}

/**
 * How many inbound jobs may run at once, adjusted to how busy this process's event loop is (AIMD, as TCP and
 * Netflix's concurrency-limits do). The webhook shares the loop with the worker and must answer Graph within
 * its deadline: when the loop is busier than `busyAbove` (jobs burning CPU, e.g. a burst of duplicate
 * notifications whose messages are fetched again), the limit halves and the webhook keeps its share; while
 * the loop has room and the limit is what holds jobs back (jobs waiting on slow remote calls), it doubles,
 * up to `max`. Hand-written: it is twenty lines and no maintained library adapts to event-loop utilization.
 */
export class AdaptiveConcurrency {
  private current: number;
  private readonly min: number;
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  /** Smoothed over the last few windows, so one busy tick (a batch of Tasks finishing) does not halve it. */
  private smoothed = 0;
  private limited = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: AdaptiveConcurrencyOptions) {
    this.min = Math.min(options.max, options.min ?? 32);
    this.current = this.min;
    this.timer = setInterval(() => this.adjust(), options.windowMs ?? 100).unref();
  }

  /** The number of jobs allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  get utilization(): number {
    return this.smoothed;
  }

  /** The worker had more work than the limit allowed: the limit may grow at the next window. */
  markLimited(): void {
    this.limited = true;
  }

  adjust(utilization = this.sample()): void {
    this.smoothed = SMOOTHING * utilization + (1 - SMOOTHING) * this.smoothed;
    if (this.smoothed > this.options.busyAbove) {
      this.current = Math.max(this.min, Math.floor(this.current / 2));
    } else if (this.limited) {
      this.current = Math.min(this.options.max, this.current * 2);
    }
    this.limited = false;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): number {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    return window.utilization;
  }
}
