import { SignJWT, importPKCS8 } from 'jose';
import { createPrivateKey } from 'node:crypto';
import type { Config } from '../config.ts';

export interface SalesforceToken {
  accessToken: string;
  instanceUrl: string;
}

/** An OAuth error from the token endpoint, e.g. invalid_grant or invalid_client_id. */
export class SalesforceAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`Salesforce token request failed (${status} ${error}): ${description}`);
    this.name = 'SalesforceAuthError';
  }
}

async function jwtAssertion(sf: Config['salesforce']): Promise<string> {
  if (!sf.privateKey || !sf.username) throw new Error('SF_PRIVATE_KEY and SF_USERNAME are required for JWT');
  // importPKCS8 wants PKCS#8; accept PKCS#1 ("BEGIN RSA PRIVATE KEY") too by converting through node:crypto.
  const pkcs8 = createPrivateKey(sf.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = await importPKCS8(pkcs8, 'RS256');
  return await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(sf.clientId)
    .setSubject(sf.username)
    .setAudience(sf.jwtAudience)
    .setExpirationTime('3m')
    .sign(key);
}

/** OAuth 2.0 JWT bearer flow or client credentials flow against `SF_LOGIN_URL`, as configured. */
export async function requestSalesforceToken(sf: Config['salesforce']): Promise<SalesforceToken> {
  const params =
    sf.authFlow === 'jwt'
      ? new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: await jwtAssertion(sf),
        })
      : new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sf.clientId,
          client_secret: sf.clientSecret ?? '',
        });
  const response = await fetch(`${sf.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: params,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { error: 'invalid_response', error_description: text.slice(0, 200) };
  }
  if (!response.ok || typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') {
    throw new SalesforceAuthError(
      String(body.error ?? 'invalid_response'),
      String(body.error_description ?? 'no access_token in the answer'),
      response.status,
    );
  }
  return { accessToken: body.access_token, instanceUrl: body.instance_url };
}
