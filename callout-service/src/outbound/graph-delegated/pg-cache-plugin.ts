/**
 * msal-node's token cache kept in PostgreSQL (ICachePlugin: beforeCacheAccess loads the row into MSAL's
 * cache, afterCacheAccess writes it back when `cacheHasChanged`,
 * https://learn.microsoft.com/en-us/entra/msal/javascript/node/caching). Every replica reads the row before
 * each access, so a sign-in or renewal on one replica is seen by all.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { AccountRows } from './account-row.ts';

export class PostgresCachePlugin implements ICachePlugin {
  /** The version read by the last beforeCacheAccess; 0: no row yet. */
  private loadedVersion = 0;

  constructor(private readonly rows: AccountRows) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const row = await this.rows.load();
    this.loadedVersion = row?.version ?? 0;
    context.tokenCache.deserialize(row?.cacheJson ?? '{}');
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    // The first write of a cache comes from the sign-in CLI (AccountRows.replace), never from a renewal.
    if (!context.cacheHasChanged || this.loadedVersion === 0) return;
    await this.rows.saveIfUnchanged(context.tokenCache.serialize(), this.loadedVersion);
  }
}
