/**
 * The service account's row (table graph_service_account, migration 102): msal-node's token cache sealed
 * with the SecretBox, its version for compare-and-set writes, and what the last renewals said.
 */
import type { Pool } from '../../store/database.ts';
import type { SecretBox } from '../secret-box.ts';
import type { SignInFailure } from './sign-in-failure.ts';

export interface AccountRow {
  username: string;
  cacheJson: string;
  version: number;
  signedInAt: Date;
  lastRefreshAt: Date | null;
  lastFailure: string | null;
  lastFailureCode: string | null;
  lastFailureAt: Date | null;
}

/** The sealed cache is bound to its row: copied into another account's row it does not open. */
const boundTo = (accountKey: string) => `graph_service_account:${accountKey}`;

export class AccountRows {
  constructor(
    private readonly pool: Pool,
    private readonly box: SecretBox,
    readonly accountKey: string,
  ) {}

  async load(): Promise<AccountRow | undefined> {
    const { rows } = await this.pool.query<{
      username: string;
      cache_sealed: string;
      version: string;
      signed_in_at: Date;
      last_refresh_at: Date | null;
      last_failure: string | null;
      last_failure_code: string | null;
      last_failure_at: Date | null;
    }>('SELECT * FROM graph_service_account WHERE account_key = $1', [this.accountKey]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      username: r.username,
      cacheJson: this.box.open(r.cache_sealed, boundTo(this.accountKey)),
      version: Number(r.version),
      signedInAt: r.signed_in_at,
      lastRefreshAt: r.last_refresh_at,
      lastFailure: r.last_failure,
      lastFailureCode: r.last_failure_code,
      lastFailureAt: r.last_failure_at,
    };
  }

  /**
   * A renewal's cache, written only if nobody wrote since `expectedVersion` was read. Losing the race is
   * harmless: Entra ID does not revoke a refresh token when it is redeemed
   * (https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens), so the other replica's cache
   * is as good as ours, and a fresh sign-in written meanwhile is never overwritten by an older grant.
   */
  async saveIfUnchanged(cacheJson: string, expectedVersion: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE graph_service_account SET cache_sealed = $2, version = version + 1, updated_at = now()
        WHERE account_key = $1 AND version = $3`,
      [this.accountKey, this.box.seal(cacheJson, boundTo(this.accountKey)), expectedVersion],
    );
    return (rowCount ?? 0) > 0;
  }

  /** A sign-in from the CLI: replaces whatever was there and clears the failure. */
  async replace(username: string, cacheJson: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO graph_service_account (account_key, username, cache_sealed, signed_in_at, last_refresh_at)
       VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (account_key) DO UPDATE SET username = EXCLUDED.username,
         cache_sealed = EXCLUDED.cache_sealed, version = graph_service_account.version + 1,
         signed_in_at = now(), last_refresh_at = now(), last_failure = NULL, last_failure_code = NULL,
         last_failure_at = NULL, updated_at = now()`,
      [this.accountKey, username, this.box.seal(cacheJson, boundTo(this.accountKey))],
    );
  }

  async recordRefresh(): Promise<void> {
    await this.pool.query(
      `UPDATE graph_service_account SET last_refresh_at = now(), last_failure = NULL, last_failure_code = NULL,
              last_failure_at = NULL WHERE account_key = $1`,
      [this.accountKey],
    );
  }

  async recordFailure(failure: SignInFailure): Promise<void> {
    await this.pool.query(
      `UPDATE graph_service_account SET last_failure = $2, last_failure_code = $3, last_failure_at = now()
        WHERE account_key = $1`,
      [this.accountKey, failure.reason.slice(0, 1000), failure.code.slice(0, 64)],
    );
  }
}
