import { signedHeaders } from '../../callout-service/src/routes/v1/signature.ts';

/**
 * How the chaos run authenticates to `/v1` as Salesforce does: today the HMAC signature of main. When the
 * JWT external credential replaces it, only this file changes.
 */
export function v1Headers(secret: string, body = ''): Record<string, string> {
  return signedHeaders(secret, body);
}

export function v1BadHeaders(): Record<string, string> {
  return signedHeaders('not-the-secret-but-32-characters-long', '');
}
