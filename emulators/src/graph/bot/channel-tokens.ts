/**
 * The Bot Framework's side of inbound authentication: its own signing keys, the OpenID metadata the SDK reads
 * (`/v1/.well-known/openidconfiguration`, keys at `/v1/.well-known/keys`), and the JWT the connector puts on
 * every activity it delivers to a bot: issuer https://api.botframework.com, audience the bot's app id, and
 * the `serviceurl` claim, which must equal the activity's serviceUrl.
 */
import { SignJWT } from 'jose';
import { createSigningKeys, type SigningKeys } from '../tokens.ts';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export class ChannelTokens {
  private constructor(private readonly keys: SigningKeys) {}

  static async create(): Promise<ChannelTokens> {
    return new ChannelTokens(await createSigningKeys());
  }

  get jwks() {
    // The real keys carry the channels they are endorsed for.
    return { keys: [{ ...this.keys.publicJwk, endorsements: ['msteams'] }] };
  }

  metadata(prefixUrl: string) {
    return {
      issuer: BOT_FRAMEWORK_ISSUER,
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: `${prefixUrl}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  /** `lifetimeSeconds` < 0 makes an already expired token (tests of stale authentication). */
  async sign(botAppId: string, serviceUrl: string, lifetimeSeconds = 3600): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: serviceUrl })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setIssuer(BOT_FRAMEWORK_ISSUER)
      .setAudience(botAppId)
      .setIssuedAt(now - 60)
      .setNotBefore(now - 60)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.keys.privateKey);
  }
}
