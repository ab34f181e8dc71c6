import { Connection } from 'jsforce';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { requestSalesforceToken } from './auth.ts';
import { LimitExceededError, errorCode } from './errors.ts';
import { LimitTracker } from './limits.ts';
import { CallHealth } from './call-health.ts';

const MAX_REFRESHES_PER_MINUTE = 5;

/**
 * The Salesforce REST connection as the integration user. Every call goes through `call()`, which reads the
 * API usage after the answer, turns REQUEST_LIMIT_EXCEEDED into a pause, and lets jsforce refresh the session
 * on 401 INVALID_SESSION_ID (through `refreshFn`, which runs the configured OAuth flow again).
 */
export class SalesforceClient {
  readonly limits: LimitTracker;
  private conn: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private refreshTimes: number[] = [];
  private readonly health = new CallHealth();

  constructor(
    readonly config: Config['salesforce'],
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {
    this.limits = new LimitTracker(
      config.criticalOnlyAbove,
      config.limitBackoffSeconds,
      metrics,
      config.limitProbeSeconds,
    );
  }

  /** The live connection (authorising on first use). */
  async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return await this.connecting;
  }

  private async connect(): Promise<Connection> {
    const token = await requestSalesforceToken(this.config);
    this.metrics?.salesforceCalls.inc({ operation: 'token' });
    const conn = new Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: this.config.apiVersion,
      refreshFn: (_conn, callback) => {
        const now = Date.now();
        this.refreshTimes = this.refreshTimes.filter((t) => now - t < 60_000);
        if (this.refreshTimes.length >= MAX_REFRESHES_PER_MINUTE) {
          callback(new Error('Salesforce keeps rejecting fresh sessions (INVALID_SESSION_ID after refresh)'));
          return;
        }
        this.refreshTimes.push(now);
        this.logger.info('Salesforce session expired: requesting a new one');
        requestSalesforceToken(this.config).then(
          (fresh) => {
            this.metrics?.salesforceCalls.inc({ operation: 'token' });
            callback(null, fresh.accessToken);
          },
          (err: Error) => callback(err),
        );
      },
    });
    this.conn = conn;
    return conn;
  }

  /** Paused work should probe now: one cheap call that ends the pause if the allocation is back. */
  async probeLimit(): Promise<void> {
    await this.call('limit-probe', (conn) => conn.request(`/services/data/v${this.config.apiVersion}/`));
  }

  /** Runs one REST call with limit bookkeeping. Throws LimitExceededError while writes are paused. */
  async call<T>(operation: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
    // While paused, one call per probe interval goes through: it ends the pause as soon as Salesforce
    // accepts calls again (Sforce-Limit-Info below the allocation), instead of waiting the whole backoff.
    const probing = this.limits.isPaused() && this.limits.takeProbe();
    if (this.limits.isPaused() && !probing) throw new LimitExceededError(new Date(this.limits.nextProbeAt));
    let conn: Connection;
    try {
      conn = await this.connection();
    } catch (err) {
      this.health.failed(err);
      throw err;
    }
    this.metrics?.salesforceCalls.inc({ operation });
    try {
      const result = await fn(conn);
      this.health.succeeded();
      if (probing) {
        this.limits.resume();
        this.logger.info('Salesforce accepts calls again: the limit pause ended early');
      }
      return result;
    } catch (err) {
      this.health.failed(err);
      if (errorCode(err) === 'REQUEST_LIMIT_EXCEEDED') {
        const until = this.limits.pause();
        this.logger.warn({ until }, 'Salesforce REQUEST_LIMIT_EXCEEDED: pausing writes');
        throw new LimitExceededError(until);
      }
      throw err;
    } finally {
      this.limits.observe(conn.limitInfo);
    }
  }

  /** SOQL query returning every record (following nextRecordsUrl). */
  async query<T extends Record<string, unknown>>(soql: string, operation = 'query'): Promise<T[]> {
    return await this.call(operation, async (conn) => {
      const result = await conn.query<T>(soql, { autoFetch: true, maxFetch: 50_000 });
      return result.records as T[];
    });
  }

  /**
   * Readiness: does Salesforce answer the integration user? The outcome of the last real call says so when it is
   * recent; otherwise (idle, or failing) one cheap authenticated call, the resource list of the API version,
   * tells. A spent API allocation is not an outage: Salesforce answers, and work waits for the limit pause.
   */
  async check(trustMs: number, now = Date.now()): Promise<void> {
    const known = this.health.verdict(now, trustMs);
    if (known === 'ok') return;
    try {
      await this.call('readiness', (conn) => conn.request(`/services/data/v${this.config.apiVersion}/`));
    } catch (err) {
      if (err instanceof LimitExceededError) return;
      throw err;
    }
  }
}

/** Quotes a value for a SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
