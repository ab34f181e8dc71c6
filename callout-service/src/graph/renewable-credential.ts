import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/** A token is used until this long before it expires (or from when Entra ID says to refresh it). */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * A token credential whose cached token can be thrown away, and that hands the same token to every caller
 * until it is due for refresh.
 *
 * - MSAL (inside @azure/identity) hands out its cached token until that token's own expiry, even after Graph
 *   refused it with 401 (revoked consent, rotated keys, a token invalidated server-side): `renew()` replaces
 *   the inner credential, so the next call gets a token from Entra ID instead of the refused one.
 * - MSAL's cache lookup costs a few hundred microseconds of CPU per call (authority and cache-key parsing);
 *   at hundreds of Graph calls a second that competes with the webhook, so the token is kept here and
 *   concurrent callers share one request for a new one.
 */
export class RenewableCredential implements TokenCredential {
  private inner: TokenCredential;
  private readonly tokens = new Map<string, { token: AccessToken; refreshAt: number }>();
  private readonly pending = new Map<string, Promise<AccessToken | null>>();

  constructor(private readonly create: () => TokenCredential) {
    this.inner = create();
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    // A claims challenge (Continuous Access Evaluation) or another tenant always goes to MSAL.
    if (options?.claims || options?.tenantId) return this.inner.getToken(scopes, options);
    const key = Array.isArray(scopes) ? scopes.join(' ') : scopes;
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    let request = this.pending.get(key);
    if (!request) {
      const inner = this.inner;
      request = inner.getToken(scopes, options).then(
        (token) => {
          this.pending.delete(key);
          // A token fetched by a credential renewed meanwhile is not kept.
          if (token && inner === this.inner) this.tokens.set(key, { token, refreshAt: refreshAt(token) });
          return token;
        },
        (err: unknown) => {
          this.pending.delete(key);
          throw err;
        },
      );
      this.pending.set(key, request);
    }
    return request;
  }

  renew(): void {
    this.inner = this.create();
    this.tokens.clear();
    this.pending.clear();
  }
}

function refreshAt(token: AccessToken): number {
  const beforeExpiry = token.expiresOnTimestamp - REFRESH_BEFORE_EXPIRY_MS;
  return Math.min(token.refreshAfterTimestamp ?? beforeExpiry, beforeExpiry);
}
