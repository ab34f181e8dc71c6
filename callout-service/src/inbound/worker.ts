import { setTimeout as sleep } from 'node:timers/promises';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Pool } from '../store/database.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { countParked, releaseParked } from '../store/deferred-messages.ts';
import { pruneProcessedKeys } from '../store/processed-keys.ts';
import { pruneSettledMessages } from '../store/settled-messages.ts';
import { INBOUND_QUEUE } from '../store/queue.ts';
import { LimitExceededError, PermanentError } from '../salesforce/errors.ts';
import type { LimitTracker } from '../salesforce/limits.ts';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import type { InboundHandler } from './handle-message.ts';
import type { InboundJob } from './job.ts';

type Job = JobWithMetadata<InboundJob>;

export interface WorkerOptions {
  /** The most jobs in flight at once; fewer while the event loop is busier than `busyElu`. */
  concurrency: number;
  /** Event-loop utilization (0-1) above which fewer jobs run at once, so the webhook keeps answering. */
  busyElu?: number;
  pollMs: number;
  /** Written idempotency keys are kept this long (days). */
  keyRetentionDays?: number;
}

const PRUNE_EVERY_MS = 3600_000;
const DEFERRED_CHECK_MS = 5_000;
const USAGE_STALE_MS = 60_000;
const LIMIT_RECHECK_MS = 100;

/**
 * Pulls inbound jobs from pg-boss and runs up to `concurrency` at once, so Tasks from many messages share one
 * sObject Collections call; fewer while this process's event loop is busy (adaptive-concurrency.ts). pg-boss hands each job to one worker (SKIP LOCKED), whichever replica it runs on.
 * A failed attempt goes back to pg-boss for a retry with backoff; the last attempt, or a permanent error,
 * becomes a dead letter. A REQUEST_LIMIT_EXCEEDED pause reschedules the job for the next probe without
 * spending an attempt, and stops fetching meanwhile; the probe (one cheap call) ends the pause as soon as
 * Salesforce accepts calls. Messages deferred above the API threshold are queued again when usage falls.
 */
export class InboundWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: AbortController = new AbortController();
  private completions: string[] = [];
  private completionTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private deferredTimer: NodeJS.Timeout | undefined;
  private releasing = false;
  private concurrency: AdaptiveConcurrency | undefined;

  constructor(
    private readonly boss: PgBoss,
    private readonly pool: Pool,
    private readonly handler: InboundHandler,
    private readonly limits: LimitTracker,
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    /** A cheap Salesforce call: ends a limit pause early, refreshes the usage for deferred messages. */
    private readonly probeLimit?: () => Promise<void>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.concurrency = new AdaptiveConcurrency({
      max: this.options.concurrency,
      busyAbove: this.options.busyElu ?? 1,
    });
    this.loop = this.run();
    const days = this.options.keyRetentionDays ?? 30;
    const prune = () =>
      Promise.all([pruneProcessedKeys(this.pool, days), pruneSettledMessages(this.pool, days)]).then(
        ([keys, messages]) =>
          keys + messages > 0 && this.logger.info({ keys, messages }, 'old idempotency keys removed'),
        (err: unknown) => this.logger.warn({ err }, 'removing old idempotency keys failed'),
      );
    void prune();
    this.pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS).unref();
    this.deferredTimer = setInterval(() => void this.releaseDeferred(), DEFERRED_CHECK_MS).unref();
  }

  /**
   * Messages parked while API usage was high are queued again once it is below the threshold. With parked
   * messages and no fresh usage figure (no call for a minute), one cheap call reads Sforce-Limit-Info.
   */
  async releaseDeferred(now = Date.now()): Promise<number> {
    if (this.releasing || !this.running) return 0;
    this.releasing = true;
    try {
      if (this.limits.isPaused()) return 0;
      if (this.limits.criticalOnly) {
        if (now - this.limits.observedAt < USAGE_STALE_MS || !this.probeLimit) return 0;
        if ((await countParked(this.pool)) === 0) return 0;
        await this.probeLimit().catch(() => undefined);
        if (this.limits.criticalOnly) return 0;
      }
      let released = 0;
      for (
        let n = await releaseParked(this.pool, this.boss);
        n > 0;
        n = await releaseParked(this.pool, this.boss)
      ) {
        released += n;
      }
      if (released > 0) {
        this.logger.info({ released }, 'API usage fell: deferred messages queued again');
        this.notify();
      }
      return released;
    } catch (err) {
      this.logger.warn({ err }, 'releasing deferred messages failed: will try again');
      return 0;
    } finally {
      this.releasing = false;
    }
  }

  /** Fetch now rather than at the next poll (the webhook just queued work). */
  notify(): void {
    this.wake.abort();
  }

  get activeJobs(): number {
    return this.inFlight.size;
  }

  private async pause(ms: number): Promise<void> {
    if (this.wake.signal.aborted) this.wake = new AbortController();
    try {
      await sleep(ms, undefined, { signal: this.wake.signal });
    } catch {
      // woken up early
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.limits.isPaused()) {
          if (this.probeLimit && Date.now() >= this.limits.nextProbeAt) {
            // One cheap call: it ends the pause if Salesforce accepts calls again.
            await this.probeLimit().catch(() => undefined);
            continue;
          }
          await this.pause(Math.max(50, Math.min(this.options.pollMs, this.limits.nextProbeAt - Date.now())));
          continue;
        }
        const concurrency = this.concurrency!;
        const free = concurrency.limit - this.inFlight.size;
        if (free <= 0) {
          concurrency.markLimited();
          // A job finishing, or the next adjustment of the limit, whichever comes first.
          await Promise.race([...this.inFlight.values(), sleep(LIMIT_RECHECK_MS)]);
          continue;
        }
        if (this.wake.signal.aborted) this.wake = new AbortController();
        const jobs = (await this.boss.fetch<InboundJob>(INBOUND_QUEUE, {
          batchSize: free,
          includeMetadata: true,
        })) as Job[] | null;
        if (!jobs || jobs.length === 0) {
          await this.pause(this.options.pollMs);
          continue;
        }
        if (jobs.length === free) concurrency.markLimited();
        for (const job of jobs) {
          const run = this.process(job).finally(() => this.inFlight.delete(job.id));
          this.inFlight.set(job.id, run);
        }
      } catch (err) {
        if (!this.running) break;
        this.logger.error({ err }, 'inbound worker: fetching jobs failed');
        await this.pause(this.options.pollMs);
      }
    }
  }

  private async process(job: Job): Promise<void> {
    try {
      const result = await this.handler.handle(job.data);
      this.metrics?.jobsDone.inc({ outcome: result.outcome });
      this.complete(job.id);
    } catch (err) {
      await this.onFailure(job, err as Error).catch((failErr: unknown) =>
        this.logger.error({ err: failErr, jobId: job.id }, 'inbound worker: recording a failure failed'),
      );
    }
  }

  private async onFailure(job: Job, err: Error): Promise<void> {
    const log = this.logger.child({ jobId: job.id, deliveryId: job.data.deliveryId });
    if (err instanceof LimitExceededError) {
      // Same payload and delivery id, due after the pause; the current attempt is not counted.
      this.metrics?.jobsFailed.inc({ reason: 'limit' });
      await this.boss.send(INBOUND_QUEUE, job.data as unknown as object, { startAfter: err.retryAt });
      await this.boss.complete(INBOUND_QUEUE, job.id, { rescheduled: err.retryAt.toISOString() });
      return;
    }
    const final = err instanceof PermanentError || job.retryCount >= job.retryLimit;
    if (!final) {
      this.metrics?.jobsFailed.inc({ reason: 'retry' });
      log.warn({ err, attempt: job.retryCount + 1 }, 'inbound job failed: will retry');
      await this.boss.fail(INBOUND_QUEUE, job.id, { message: err.message });
      return;
    }
    await recordDeadLetter(this.pool, {
      queue: INBOUND_QUEUE,
      jobId: job.id,
      payload: job.data,
      error: describeError(err),
      attempts: job.retryCount + 1,
    });
    this.metrics?.jobsFailed.inc({ reason: err instanceof PermanentError ? 'permanent' : 'exhausted' });
    this.metrics?.jobsDead.inc({ queue: INBOUND_QUEUE });
    log.error({ err }, 'inbound job failed for good: kept as a dead letter');
    // Cancelled rather than failed, so pg-boss does not retry what is now the dead letter's to retry.
    await this.boss.cancel(INBOUND_QUEUE, job.id);
  }

  /** Completions are written in small batches: one round trip for many jobs. */
  private complete(id: string): void {
    this.completions.push(id);
    this.completionTimer ??= setTimeout(() => void this.flushCompletions(), 20);
  }

  private async flushCompletions(): Promise<void> {
    if (this.completionTimer) clearTimeout(this.completionTimer);
    this.completionTimer = undefined;
    const ids = this.completions;
    this.completions = [];
    if (ids.length === 0) return;
    try {
      await this.boss.complete(INBOUND_QUEUE, ids);
    } catch (err) {
      // The jobs stay active and come back after expiry; their keys are written, so nothing is doubled.
      this.logger.error({ err, jobs: ids.length }, 'inbound worker: completing jobs failed');
    }
  }

  /**
   * Stops fetching, lets the jobs in flight finish for up to `timeoutMs`, then hands back the rest to the
   * queue (failed with a retry) so another worker or the next start picks them up.
   */
  async stop(timeoutMs: number, beforeWait?: () => Promise<void>): Promise<void> {
    this.running = false;
    clearInterval(this.pruneTimer);
    clearInterval(this.deferredTimer);
    this.concurrency?.stop();
    this.notify();
    await this.loop;
    await beforeWait?.();
    const all = Promise.allSettled([...this.inFlight.values()]);
    const timedOut = await Promise.race([all.then(() => false), sleep(timeoutMs).then(() => true)]);
    if (timedOut && this.inFlight.size > 0) {
      const ids = [...this.inFlight.keys()];
      this.logger.warn({ jobs: ids.length }, 'shutdown: returning unfinished jobs to the queue');
      await Promise.allSettled(
        ids.map((id) => this.boss.fail(INBOUND_QUEUE, id, { message: 'returned to the queue at shutdown' })),
      );
    }
    await this.flushCompletions();
  }

  /** Abandons everything at once (tests: simulates a crash; the jobs stay active until they expire). */
  abandon(): void {
    this.running = false;
    clearInterval(this.pruneTimer);
    clearInterval(this.deferredTimer);
    this.concurrency?.stop();
    this.notify();
    if (this.completionTimer) clearTimeout(this.completionTimer);
    this.completions = [];
  }
}

/** "CODE: message" for Salesforce errors (jsforce puts the errorCode in the name), else the message. */
function describeError(err: Error): string {
  const code = (err as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && !err.message.startsWith(code) ? `${code}: ${err.message}` : err.message;
}
