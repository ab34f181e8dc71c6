/**
 * Secrets the service keeps in PostgreSQL (a channel's Workflows webhook URL, whose `sig` lets anyone post)
 * are sealed with AES-256-GCM under OUTBOUND_SECRET_KEY: `v1.<iv>.<tag>.<ciphertext>` (base64url). The
 * row's own key is bound as additional data, so a sealed value copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBoxError extends Error {}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** `raw`: 32 bytes, base64 (e.g. `openssl rand -base64 32`). */
  static fromBase64(raw: string, variable: string): SecretBox {
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32) {
      throw new SecretBoxError(`${variable} must be 32 bytes in base64 (openssl rand -base64 32)`);
    }
    return new SecretBox(key);
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new SecretBoxError('not a sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('the sealed value does not open with this key (OUTBOUND_SECRET_KEY changed?)');
    }
  }
}
