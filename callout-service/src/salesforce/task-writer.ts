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
  mayExist: boolean;
  resolve: (result: TaskWriteResult) => void;
  reject: (err: Error) => void;
}

interface CollectionResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/** sObject Collections: POST creates, PATCH updates by Id, up to 200 records a call. */
export const TASK_WRITE_PATH = '/composite/sobjects';
/** The lookup of existing Tasks by key: one composite call, its queries as subrequests. */
export const TASK_LOOKUP_PATH = '/composite';
/** Keys per lookup query: keeps each query's URL far below the REST API's URI length limit. */
const KEYS_PER_QUERY = 100;

/**
 * Collects Tasks from concurrent jobs and writes them in batches of up to `batchSize` (200), flushed when the
 * batch is full or `flushDelayMs` after its first Task. Each caller gets its own record's outcome, so one bad
 * record fails one job, never the batch.
 *
 * No upsert on Teams_Message_Id__c: it is an External ID without Unique (activity fields), and upserting on a
 * non-unique external id needs "View All Data", which the integration user must not have (REST API, sObject
 * upsert). A fresh PostgreSQL claim on a key (processed_keys) means nobody wrote it yet: those Tasks are just
 * created (one collections POST per 200). Keys that an earlier attempt may have written (a retry, a claim taken
 * over after a crash) are looked up first (one composite call) and updated when found (one collections PATCH).
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

  /**
   * Writes one Task. `mayExist: false` says no earlier attempt can have written this key (its PostgreSQL claim
   * is fresh), so it is created without a lookup: the common case costs one call per 200 Tasks. Anything else
   * (a retry, a claim taken over after a crash) is looked up by key first and updated when found.
   */
  write(task: TaskRecord, options: { mayExist?: boolean } = {}): Promise<TaskWriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ task, mayExist: options.mayExist ?? true, resolve, reject });
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
    let existing: Map<string, string>;
    try {
      existing = await this.lookup(batch.filter((p) => p.mayExist).map((p) => p.task.Teams_Message_Id__c));
    } catch (err) {
      this.logger.warn({ err, records: batch.length }, 'Task lookup call failed');
      for (const p of batch) p.reject(err as Error);
      return;
    }
    const creates = batch.filter((p) => !existing.has(p.task.Teams_Message_Id__c));
    const updates = batch.filter((p) => existing.has(p.task.Teams_Message_Id__c));
    await Promise.all([
      this.writeCollection(
        creates,
        'createTasks',
        'POST',
        (p) => ({ attributes: { type: 'Task' }, ...p.task }),
        true,
      ),
      this.writeCollection(
        updates,
        'updateTasks',
        'PATCH',
        (p) => ({ attributes: { type: 'Task' }, Id: existing.get(p.task.Teams_Message_Id__c), ...p.task }),
        false,
      ),
    ]);
  }

  /** Existing Tasks by key (the oldest when a key is on several, which only a manual copy could cause). */
  private async lookup(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    const literal = (k: string) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const answer = await this.sf.call('findTasks', async (conn) => {
      const compositeRequest = [];
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const soql =
          'SELECT Id, Teams_Message_Id__c FROM Task WHERE Teams_Message_Id__c IN (' +
          keys
            .slice(i, i + KEYS_PER_QUERY)
            .map(literal)
            .join(',') +
          ') ORDER BY CreatedDate';
        compositeRequest.push({
          method: 'GET',
          url: `/services/data/v${conn.version}/query?q=${encodeURIComponent(soql)}`,
          referenceId: `keys${i / KEYS_PER_QUERY}`,
        });
      }
      return await conn.requestPost<CompositeAnswer>(TASK_LOOKUP_PATH, {
        allOrNone: false,
        compositeRequest,
      });
    });
    for (const sub of answer.compositeResponse ?? []) {
      if (sub.httpStatusCode !== 200) {
        const first = Array.isArray(sub.body)
          ? (sub.body[0] as { errorCode?: string; message?: string })
          : undefined;
        throw new Error(
          `Task lookup failed: ${first?.errorCode ?? sub.httpStatusCode} ${first?.message ?? ''}`.trim(),
        );
      }
      const body = sub.body as { records?: { Id: string; Teams_Message_Id__c: string }[] };
      for (const r of body.records ?? [])
        if (!found.has(r.Teams_Message_Id__c)) found.set(r.Teams_Message_Id__c, r.Id);
    }
    return found;
  }

  private async writeCollection(
    batch: Pending[],
    operation: string,
    method: 'POST' | 'PATCH',
    record: (p: Pending) => Record<string, unknown>,
    created: boolean,
  ): Promise<void> {
    if (batch.length === 0) return;
    let results: CollectionResult[];
    try {
      results = await this.sf.call(operation, async (conn) => {
        const body = { allOrNone: false, records: batch.map(record) };
        return method === 'POST'
          ? await conn.requestPost<CollectionResult[]>(TASK_WRITE_PATH, body)
          : await conn.requestPatch<CollectionResult[]>(TASK_WRITE_PATH, body);
      });
    } catch (err) {
      this.logger.warn({ err, records: batch.length, operation }, 'Task write call failed');
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
        this.metrics?.tasksWritten.inc({ result: created ? 'created' : 'updated' });
        p.resolve({ id: r.id, created });
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

interface CompositeAnswer {
  compositeResponse?: { httpStatusCode: number; body: unknown; referenceId: string }[];
}
