/**
 * The delegated service account the `graph` posting mode posts as (Graph's channel-message POST takes
 * delegated ChannelMessage.Send only; application permissions are for migration imports:
 * https://learn.microsoft.com/en-us/graph/api/channel-post-messages). Signed in once with the device code
 * flow from the CLI; afterwards every replica renews silently from the shared PostgreSQL cache.
 */
import { PublicClientApplication } from '@azure/msal-node';
import type { Pool } from '../../store/database.ts';
import type { SecretBox } from '../secret-box.ts';
import { AccountRows } from './account-row.ts';
import { PostgresCachePlugin } from './pg-cache-plugin.ts';
import { classifySignInFailure, notSignedIn, ServiceAccountError } from './sign-in-failure.ts';
import { serviceAccountStatus, type ServiceAccountStatus } from './status.ts';

/**
 * Graph's permission by its short name (Entra ID takes unprefixed scopes as Graph's): the token response
 * names granted Graph scopes that way, and MSAL finds a cached token only under the scopes it asked for.
 */
export const CHANNEL_MESSAGE_SEND = 'ChannelMessage.Send';

export interface ServiceAccountSettings {
  tenantId: string;
  /** A public-client app registration ("Allow public client flows") consented for ChannelMessage.Send. */
  clientId: string;
  authorityHost: string;
  /** Readiness warns this many days before the refresh token's 90-day inactivity expiry. */
  warnDays: number;
  accountKey?: string;
}

/** The prefix of an item's last_error while it waits for the service account (found again after sign-in). */
export const WAITING_PREFIX = 'Graph service account: ';

export class GraphServiceAccount {
  readonly rows: AccountRows;
  private readonly app: PublicClientApplication;
  private readonly auth: { clientId: string; authority: string; knownAuthorities: string[] };
  private pending: Promise<string> | undefined;

  constructor(
    private readonly pool: Pool,
    box: SecretBox,
    private readonly settings: ServiceAccountSettings,
  ) {
    this.rows = new AccountRows(pool, box, settings.accountKey ?? 'default');
    const authority = `${settings.authorityHost.replace(/\/+$/, '')}/${settings.tenantId}`;
    // knownAuthorities: trust the configured host (national clouds, the local stand-in) as given.
    this.auth = { clientId: settings.clientId, authority, knownAuthorities: [new URL(authority).host] };
    this.app = new PublicClientApplication({
      auth: this.auth,
      cache: { cachePlugin: new PostgresCachePlugin(this.rows) },
    });
  }

  /** The device code flow: `onPrompt` gets Entra's "open the page and enter the code" message. */
  async signIn(onPrompt: (message: string) => void): Promise<{ username: string }> {
    // A fresh cache: the stored one (perhaps another account's) is replaced, never merged.
    const app = new PublicClientApplication({ auth: this.auth });
    const result = await app.acquireTokenByDeviceCode({
      scopes: [CHANNEL_MESSAGE_SEND],
      deviceCodeCallback: (response) => onPrompt(response.message),
    });
    if (!result?.account) throw new Error('Entra ID completed the sign-in without an account');
    await this.rows.replace(result.account.username, app.getTokenCache().serialize());
    return { username: result.account.username };
  }

  /**
   * A Graph access token for the account, renewed silently when due. One renewal at a time per process;
   * `forceRefresh` after Graph answered 401. Failures are recorded for readiness and thrown classified.
   */
  accessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    if (this.pending && !options.forceRefresh) return this.pending;
    const attempt = this.renew(options.forceRefresh ?? false).finally(() => {
      if (this.pending === attempt) this.pending = undefined;
    });
    this.pending = attempt;
    return attempt;
  }

  private async renew(forceRefresh: boolean): Promise<string> {
    const accounts = await this.app.getAllAccounts();
    const account = accounts[0];
    if (!account) throw new ServiceAccountError(notSignedIn());
    try {
      const result = await this.app.acquireTokenSilent({
        account,
        scopes: [CHANNEL_MESSAGE_SEND],
        forceRefresh,
      });
      if (!result.fromCache) await this.rows.recordRefresh();
      return result.accessToken;
    } catch (err) {
      const failure = classifySignInFailure(err);
      if (failure.kind !== 'transient') await this.rows.recordFailure(failure);
      throw new ServiceAccountError(failure);
    }
  }

  /** Where the account stands, for readiness and the admin page. */
  async status(now = new Date()): Promise<ServiceAccountStatus> {
    const [row, waiting] = await Promise.all([this.rows.load(), this.waitingItems()]);
    return serviceAccountStatus(row, { now, warnDays: this.settings.warnDays, waitingItems: waiting });
  }

  /**
   * Readiness: renews when the cached access token is due (at most hourly, since MSAL keeps it until
   * then), so a password reset or a new policy shows here before a post needs the token. A failure
   * recorded within the last minute is not retried on every probe.
   */
  async probe(now = new Date()): Promise<ServiceAccountStatus> {
    const row = await this.rows.load();
    const recentFailure = row?.lastFailureAt && now.getTime() - row.lastFailureAt.getTime() < 60_000;
    if (row && !recentFailure) await this.accessToken().catch(() => undefined);
    return this.status(now);
  }

  /** Items parked while the account could not sign in, put back to be posted now. */
  async wakeWaitingItems(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE outbound_items SET next_attempt_at = now()
        WHERE status IN ('queued', 'posting') AND starts_with(last_error, $1)`,
      [WAITING_PREFIX],
    );
    return rowCount ?? 0;
  }

  private async waitingItems(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbound_items
        WHERE status IN ('queued', 'posting') AND starts_with(last_error, $1)`,
      [WAITING_PREFIX],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
