import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { SalesforceClient } from './connection.ts';
import { PermanentError, isPermanentRecordError } from './errors.ts';

/** The Task fields the service writes (Teams_Message_Id__c is the idempotency key and external id). */
export interface TaskRecord {
  Subject: string;
  Description: string;
  WhatId: string;
  OwnerId: string;
  ActivityDate: string;
  Priority: string;
  Status: string;
  Teams_Message_Id__c: string;
  Teams_Message_Url__c?: string;
}

export interface TaskWriteResult {
  id: string;
  created: boolean;
}

interface Pending {
  task: TaskRecord;
  resolve: (result: TaskWriteResult) => void;
  reject: (err: Error) => void;
}

interface CollectionResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export const TASK_UPSERT_PATH = '/composite/sobjects/Task/Teams_Message_Id__c';

/**
 * Collects Tasks from concurrent jobs and upserts them with sObject Collections
 * (`PATCH /composite/sobjects/Task/Teams_Message_Id__c`, allOrNone false), up to `batchSize` per call, flushed
 * when the batch is full or `flushDelayMs` after its first Task. Each caller gets its own record's outcome, so
 * one bad record fails one job, never the batch.
 */
export class TaskWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sf: SalesforceClient,
    private readonly options: { batchSize: number; flushDelayMs: number },
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {}

  write(task: TaskRecord): Promise<TaskWriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ task, resolve, reject });
      if (this.pending.length >= this.options.batchSize) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), this.options.flushDelayMs);
    });
  }

  /** Sends everything pending now and waits for every call in flight. */
  async flush(): Promise<void> {
    this.flushNow();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  private flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.pending.length > 0) {
      // Two writes of one key never share a call (Salesforce rejects duplicate external ids in one request).
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      const keys = new Set<string>();
      for (const p of this.pending) {
        if (batch.length < this.options.batchSize && !keys.has(p.task.Teams_Message_Id__c)) {
          keys.add(p.task.Teams_Message_Id__c);
          batch.push(p);
        } else rest.push(p);
      }
      this.pending = rest;
      const call = this.send(batch).finally(() => this.inFlight.delete(call));
      this.inFlight.add(call);
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    let results: CollectionResult[];
    try {
      results = await this.sf.call('upsertTasks', async (conn) => {
        const body = {
          allOrNone: false,
          records: batch.map((p) => ({ attributes: { type: 'Task' }, ...p.task })),
        };
        return await conn.requestPatch<CollectionResult[]>(TASK_UPSERT_PATH, body);
      });
    } catch (err) {
      this.logger.warn({ err, records: batch.length }, 'Task upsert call failed');
      for (const p of batch) p.reject(err as Error);
      return;
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      const err = new Error(
        `sObject Collections answered ${results?.length ?? 'nothing'} for ${batch.length}`,
      );
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.success && r.id) {
        this.metrics?.tasksWritten.inc({ result: r.created ? 'created' : 'updated' });
        p.resolve({ id: r.id, created: r.created === true });
        return;
      }
      const first = r.errors?.[0];
      const code = first?.statusCode ?? 'UNKNOWN_ERROR';
      const message = `Task ${p.task.Teams_Message_Id__c}: ${code} ${first?.message ?? ''}`.trim();
      this.metrics?.tasksWritten.inc({ result: 'failed' });
      p.reject(isPermanentRecordError(code) ? new PermanentError(message, code) : new Error(message));
    });
  }
}
