/**
 * Rich notifications (includeResourceData), encrypted as Microsoft Graph does: the resource JSON with
 * AES-256-CBC (PKCS7) under a random 32-byte key whose first 16 bytes are the IV; the key encrypted with
 * RSA-OAEP (SHA-1) for the subscription's certificate; an HMAC-SHA256 of the encrypted bytes under the key.
 */
import {
  X509Certificate,
  createCipheriv,
  createHmac,
  publicEncrypt,
  randomBytes,
  constants,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badRequest } from './errors.ts';

export interface EncryptionCertificate {
  publicKey: KeyObject;
  thumbprint: string;
}

/** Accepts the base64 DER Graph documents, or PEM; refuses anything that is not an RSA certificate. */
export function parseEncryptionCertificate(value: string): EncryptionCertificate {
  let certificate: X509Certificate;
  try {
    const text = value.trim();
    certificate = text.startsWith('-----BEGIN')
      ? new X509Certificate(text)
      : new X509Certificate(Buffer.from(text, 'base64'));
  } catch {
    throw badRequest('encryptionCertificate must be a base64-encoded X.509 certificate (DER or PEM).');
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw badRequest('encryptionCertificate must carry an RSA public key.');
  }
  if (Date.parse(certificate.validTo) < Date.now()) throw badRequest('encryptionCertificate has expired.');
  return {
    publicKey: certificate.publicKey,
    thumbprint: certificate.fingerprint.replace(/:/g, '').toUpperCase(),
  };
}

export function encryptResource(resource: object, certificate: EncryptionCertificate, certificateId: string) {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(JSON.stringify(resource), 'utf8'), cipher.final()]);
  const dataKey = publicEncrypt(
    { key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    key,
  );
  return {
    data: data.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    dataKey: dataKey.toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: certificate.thumbprint,
  };
}
