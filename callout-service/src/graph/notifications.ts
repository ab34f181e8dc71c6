import {
  createDecipheriv,
  createHmac,
  privateDecrypt,
  timingSafeEqual,
  constants,
  createHash,
} from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { GraphChatMessage } from './client.ts';

/** Shape of a change-notification POST body (resource and lifecycle notifications share it). */
export const encryptedContentSchema = z.object({
  data: z.string(),
  dataSignature: z.string(),
  dataKey: z.string(),
  encryptionCertificateId: z.string().optional(),
  encryptionCertificateThumbprint: z.string().optional(),
});

export const changeNotificationSchema = z.looseObject({
  subscriptionId: z.string().min(1),
  changeType: z.string().optional(),
  resource: z.string().optional(),
  resourceData: z.looseObject({ id: z.string().optional() }).nullish(),
  clientState: z.string().nullish(),
  tenantId: z.string().optional(),
  subscriptionExpirationDateTime: z.string().optional(),
  lifecycleEvent: z.string().optional(),
  encryptedContent: encryptedContentSchema.nullish(),
});

export const notificationBodySchema = z.object({
  value: z.array(changeNotificationSchema),
  validationTokens: z.array(z.string()).optional(),
});

export type ChangeNotification = z.infer<typeof changeNotificationSchema>;
export type EncryptedContent = z.infer<typeof encryptedContentSchema>;

/**
 * Constant-time comparison of the clientState Graph echoed with the secret stored for that subscription.
 * Hashing both sides first gives equal-length buffers, so the length of the secret does not leak either.
 */
export function clientStateMatches(received: string | null | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && received.length === expected.length;
}

export interface ChannelMessageRef {
  teamId: string;
  channelId: string;
  messageId: string;
  /** Set for a reply: the id of the thread's first message. */
  replyToId: string | null;
}

const ODATA_SEGMENT = /(teams|channels|messages|replies)\('([^']*)'\)/g;

/** Parses `teams('t')/channels('c')/messages('m')[/replies('r')]` or the slash form of the same path. */
export function parseChannelMessageResource(resource: string): ChannelMessageRef | undefined {
  const parts: Record<string, string> = {};
  if (resource.includes("('")) {
    for (const m of resource.matchAll(ODATA_SEGMENT)) parts[m[1]!] = decodeURIComponent(m[2]!);
  } else {
    const segments = resource.replace(/^\/+/, '').split('/');
    for (let i = 0; i + 1 < segments.length; i += 2)
      parts[segments[i]!] = decodeURIComponent(segments[i + 1]!);
  }
  const { teams, channels, messages, replies } = parts;
  if (!teams || !channels || !messages) return undefined;
  return replies
    ? { teamId: teams, channelId: channels, messageId: replies, replyToId: messages }
    : { teamId: teams, channelId: channels, messageId: messages, replyToId: null };
}

export class ValidationTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationTokenError';
  }
}

/**
 * Verifies the `validationTokens` of a rich-notification batch: each is a JWT signed by Microsoft (key from
 * the JWKS), issued by the tenant's issuer, for this app (audience = app id), not expired.
 */
export class ValidationTokenVerifier {
  private readonly jwks: JWTVerifyGetKey;

  constructor(
    jwksUrl: string,
    private readonly issuer: string,
    private readonly audience: string,
    jwks?: JWTVerifyGetKey,
  ) {
    this.jwks =
      jwks ?? createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 3_600_000 });
  }

  async verifyAll(tokens: string[] | undefined): Promise<void> {
    if (!tokens || tokens.length === 0) {
      throw new ValidationTokenError('rich notification without validationTokens');
    }
    for (const token of tokens) {
      try {
        await jwtVerify(token, this.jwks, { issuer: this.issuer, audience: this.audience });
      } catch (err) {
        throw new ValidationTokenError(`validation token rejected: ${(err as Error).message}`);
      }
    }
  }
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * Decrypts `encryptedContent` of a rich notification: the symmetric key is RSA-OAEP encrypted with our
 * certificate's public key; the data is signed with HMAC-SHA256 under that key and encrypted with AES-CBC
 * (PKCS7), IV = the first 16 bytes of the key.
 */
export function decryptNotificationContent(content: EncryptedContent, privateKeyPem: string): unknown {
  let key: Buffer;
  try {
    key = privateDecrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING },
      Buffer.from(content.dataKey, 'base64'),
    );
  } catch (err) {
    throw new DecryptionError(`cannot decrypt dataKey: ${(err as Error).message}`);
  }
  const data = Buffer.from(content.data, 'base64');
  const expected = createHmac('sha256', key).update(data).digest();
  const signature = Buffer.from(content.dataSignature, 'base64');
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new DecryptionError('dataSignature does not match the data (tampered or wrong key)');
  }
  const algorithm = key.length === 32 ? 'aes-256-cbc' : key.length === 24 ? 'aes-192-cbc' : 'aes-128-cbc';
  try {
    const decipher = createDecipheriv(algorithm, key, key.subarray(0, 16));
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch (err) {
    throw new DecryptionError(`cannot decrypt data: ${(err as Error).message}`);
  }
}

/** A decrypted payload is trusted only as far as it looks like a chat message. */
export function asChatMessage(value: unknown): GraphChatMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? (value as GraphChatMessage) : undefined;
}
