import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { generate } from 'selfsigned';

/** The claims the package's JWT external credential (Teams_Bridge_Service) puts in every callout token. */
export const CALLOUT_ISSUER = 'teams-bridge-salesforce';
export const CALLOUT_AUDIENCE = 'teams-bridge-service';

export interface CalloutTokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds until exp; the external credential's default is two minutes. */
  lifetimeSeconds?: number;
  /** Seconds to shift iat/exp by (a clock that is off, an old token). */
  ageSeconds?: number;
  /** The token id; null leaves jti out (the documented default claims have none). */
  jti?: string | null;
  alg?: 'RS256' | 'RS512';
}

/**
 * The org certificate a JWT external credential signs callouts with, and the minting the Named Credential does
 * for each callout: `Authorization: Bearer <JWT>` with alg RS256, kid, typ JWT, iss/aud as configured, iat, nbf
 * and exp two minutes later (Salesforce Help, "Set Up JWT Claims for External Credentials").
 */
let generated: ReturnType<typeof generate> | undefined;

export class CalloutSigner {
  private constructor(
    readonly certificatePem: string,
    private readonly privateKeyPem: string,
  ) {}

  static async create(): Promise<CalloutSigner> {
    // One key per process, like the connected app's: generating RSA keys takes a noticeable part of a second.
    generated ??= generate([{ name: 'commonName', value: 'Teams_Bridge_Service_Signing (stand-in org)' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 365 * 86_400_000),
    });
    const pems = await generated;
    return new CalloutSigner(pems.cert, pems.private);
  }

  /** A token as the Named Credential mints it for one callout. */
  async mint(options: CalloutTokenOptions = {}): Promise<string> {
    const alg = options.alg ?? 'RS256';
    const key = await importPKCS8(this.privateKeyPem, alg);
    const now = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
    const jwt = new SignJWT(options.jti === null ? {} : { jti: options.jti ?? randomUUID() })
      .setProtectedHeader({ alg, typ: 'JWT', kid: 'Teams_Bridge_Service_Signing' })
      .setIssuer(options.issuer ?? CALLOUT_ISSUER)
      .setAudience(options.audience ?? CALLOUT_AUDIENCE)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (options.lifetimeSeconds ?? 120));
    return jwt.sign(key);
  }

  /** The header the Named Credential adds. */
  async authorization(options: CalloutTokenOptions = {}): Promise<{ Authorization: string }> {
    return { Authorization: `Bearer ${await this.mint(options)}` };
  }
}
