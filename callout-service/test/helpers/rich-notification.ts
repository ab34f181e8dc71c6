import {
  createCipheriv,
  createHmac,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  constants,
} from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet, type JWTVerifyGetKey } from 'jose';

/** The certificate key pair Graph encrypts rich notifications for (ours). */
export function encryptionKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Encrypts a resource the way Graph documents it (RSA-OAEP key, AES-256-CBC, HMAC-SHA256 signature). */
export function encryptLikeGraph(resource: unknown, publicKeyPem: string) {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  return {
    data: data.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    dataKey: publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING }, key).toString(
      'base64',
    ),
    encryptionCertificateId: 'cert-1',
    encryptionCertificateThumbprint: 'ABCDEF',
  };
}

/** A token issuer standing in for Microsoft's: signs validation tokens, publishes its JWKS. */
export async function tokenIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwks: JWTVerifyGetKey = createLocalJWKSet({ keys: [jwk] });
  return {
    jwks,
    jwksDocument: { keys: [jwk] },
    sign: (claims: { iss: string; aud: string; expiresIn?: string }) =>
      new SignJWT({ azp: '0bf30f3b-4a52-48df-9a82-234910c4a086' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '1h')
        .sign(privateKey),
  };
}
