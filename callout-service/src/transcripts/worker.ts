/**
 * Runs transcript jobs from pg-boss, a few at once (each is a handful of Graph and Salesforce calls). A failed
 * attempt is retried by pg-boss with backoff; a permanent failure or the last attempt becomes a dead letter
 * the admin page can retry.
 */
import type { JobWithMetadata, PgBoss, WorkOptions } from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Pool } from '../store/database.ts';
import { recordDeadLetter } from '../store/dead-letters.ts';
import { PermanentError } from '../salesforce/errors.ts';
import type { TranscriptHandler } from './handle-transcript.ts';
import { TRANSCRIPT_QUEUE, type TranscriptJob } from './job.ts';

export class TranscriptWorker {
  private workerId: string | undefined;

  constructor(
    private readonly boss: PgBoss,
    private readonly pool: Pool,
    private readonly handler: TranscriptHandler,
    private readonly options: { retryLimit: number; pollMs: number },
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.workerId = await this.boss.work<TranscriptJob, unknown, WorkOptions & { includeMetadata: true }>(
      TRANSCRIPT_QUEUE,
      {
        includeMetadata: true,
        batchSize: 2,
        pollingIntervalSeconds: Math.max(this.options.pollMs / 1000, 0.5),
      },
      async (jobs) => {
        for (const job of jobs) await this.run(job);
      },
    );
  }

  private async run(job: JobWithMetadata<TranscriptJob>): Promise<void> {
    try {
      const result = await this.handler.handle(job.data);
      this.logger.debug({ jobId: job.id, ...result }, 'transcript job done');
    } catch (err) {
      const last = err instanceof PermanentError || job.retryCount >= this.options.retryLimit;
      if (!last) throw err;
      await recordDeadLetter(this.pool, {
        queue: TRANSCRIPT_QUEUE,
        jobId: job.id,
        payload: job.data,
        error: (err as Error).message,
        attempts: job.retryCount + 1,
      });
      this.logger.error({ err, jobId: job.id }, 'transcript job dead-lettered');
    }
  }

  async stop(): Promise<void> {
    if (this.workerId) await this.boss.offWork(TRANSCRIPT_QUEUE, { id: this.workerId });
  }
}
