import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A token credential whose cached token can be thrown away. MSAL (inside @azure/identity) hands out its cached
 * token until that token's own expiry, even after Graph refused it with 401 (revoked consent, rotated keys,
 * a token invalidated server-side): `renew()` replaces the inner credential, so the next call gets a token
 * from Entra ID instead of the refused one.
 */
export class RenewableCredential implements TokenCredential {
  private inner: TokenCredential;

  constructor(private readonly create: () => TokenCredential) {
    this.inner = create();
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return this.inner.getToken(scopes, options);
  }

  renew(): void {
    this.inner = this.create();
  }
}
