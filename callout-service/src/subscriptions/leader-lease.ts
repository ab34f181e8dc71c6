import pg from 'pg';
import type { Logger } from '../logger.ts';

/** The advisory-lock key the subscription manager's leader holds (any constant unique to this purpose). */
export const SUBSCRIPTION_LEADER_LOCK = 0x7eab_5b5c;

/**
 * Leadership among replicas through a PostgreSQL session-level advisory lock held on a dedicated connection.
 * PostgreSQL releases the lock when that connection ends, so a crashed or partitioned replica loses leadership
 * without anyone's help, and the next `tryAcquire` of another replica wins it. Before each piece of leader
 * work, `confirm()` checks the connection still answers: a leader whose connection died stops at once.
 */
export class LeaderLease {
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
    private readonly lockKey: number = SUBSCRIPTION_LEADER_LOCK,
  ) {}

  get isLeader(): boolean {
    return this.held;
  }

  /** Takes the lock if free. Returns whether this replica is the leader now. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return await this.confirm();
    try {
      const client = await this.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        this.lockKey,
      ]);
      this.held = rows[0]?.ok === true;
      if (this.held) this.logger.info('subscription manager: this replica is the leader');
      return this.held;
    } catch (err) {
      this.logger.warn({ err }, 'subscription manager: leader election failed');
      await this.drop();
      return false;
    }
  }

  /** True while the lock's connection is alive (and so the lock still ours). */
  async confirm(): Promise<boolean> {
    if (!this.held || !this.client) return false;
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch (err) {
      this.logger.warn({ err }, 'subscription manager: leader connection lost, stepping down');
      await this.drop();
      return false;
    }
  }

  async release(): Promise<void> {
    if (this.held && this.client) {
      await this.client.query('SELECT pg_advisory_unlock($1)', [this.lockKey]).catch(() => undefined);
    }
    await this.drop();
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (err) => {
      this.logger.warn({ err }, 'subscription manager: leader connection error');
      this.held = false;
      this.client = undefined;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    this.held = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
