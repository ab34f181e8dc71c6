/**
 * Signing keys and tokens. Access tokens are RS256 JWTs shaped like Graph's v1 access tokens (issuer
 * https://sts.windows.net/{tenant}/, audience https://graph.microsoft.com); the same keys sign the
 * validationTokens of rich notifications and are published at the JWKS URL.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, decodeProtectedHeader } from 'jose';
import type { JWK, JWTPayload, CryptoKey } from 'jose';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** The resource a bot asks Entra for to call the Bot Framework connector (`{serviceUrl}/v3/...`). */
export const BOT_FRAMEWORK_RESOURCE = 'https://api.botframework.com';
/** The app id Graph's change-tracking service puts in validationTokens (appid/azp). */
export const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

export interface AccessTokenClaims extends JWTPayload {
  tid: string;
  appid: string;
  idtyp: 'app' | 'user';
  oid?: string;
  roles?: string[];
  scp?: string;
  upn?: string;
}

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replace(/-/g, '').slice(0, 27);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, publicKey, publicJwk };
}

export type TokenCheck =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'expired' | 'invalid' };

export class TokenService {
  /** Ids of tokens issued so far, and of those made to count as expired (the "token expiry" fault). */
  private issued = new Set<string>();
  private expired = new Set<string>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly tenantId: string,
    public lifetimeSeconds: number,
  ) {}

  get jwks() {
    return { keys: [this.keys.publicJwk] };
  }

  expireAllIssuedTokens(): void {
    for (const jti of this.issued) this.expired.add(jti);
    this.issued.clear();
  }

  async issueAccessToken(
    claims: Omit<AccessTokenClaims, 'tid' | 'iss' | 'aud'>,
    audience: string = GRAPH_RESOURCE,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    this.issued.add(jti);
    const token = await new SignJWT({ ...claims, tid: this.tenantId, ver: '1.0', uti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(`https://sts.windows.net/${this.tenantId}/`)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + this.lifetimeSeconds)
      .setJti(jti)
      .sign(this.keys.privateKey);
    return { token, expiresIn: this.lifetimeSeconds };
  }

  async signIdToken(claims: JWTPayload, issuer: string, audience: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, tid: this.tenantId, ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + this.lifetimeSeconds)
      .sign(this.keys.privateKey);
  }

  /** The JWT Graph adds to rich notifications (`validationTokens`), one per app and tenant in a batch. */
  async signValidationToken(appId: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      appid: CHANGE_TRACKING_APP_ID,
      azp: CHANGE_TRACKING_APP_ID,
      appidacr: '2',
      idp: `https://sts.windows.net/${this.tenantId}/`,
      tid: this.tenantId,
      oid: randomUUID(),
      sub: randomUUID(),
      ver: '1.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(`https://sts.windows.net/${this.tenantId}/`)
      .setAudience(appId)
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + 3600)
      .sign(this.keys.privateKey);
  }

  /** A Graph token (default) or, with `audience`, a token for another resource such as the Bot Framework. */
  async verifyAccessToken(
    token: string,
    audience: string[] = [GRAPH_RESOURCE, GRAPH_APP_ID],
  ): Promise<TokenCheck> {
    try {
      decodeProtectedHeader(token);
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        issuer: `https://sts.windows.net/${this.tenantId}/`,
        audience,
        algorithms: ['RS256'],
        clockTolerance: 0,
      });
      if (payload.jti && this.expired.has(payload.jti)) return { ok: false, reason: 'expired' };
      return { ok: true, claims: payload as AccessTokenClaims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
    }
  }
}
