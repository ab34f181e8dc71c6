import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type RequestHandler } from 'express';

export const TIMESTAMP_HEADER = 'x-teams-bridge-timestamp';
export const SIGNATURE_HEADER = 'x-teams-bridge-signature';
/** Largest tolerated clock difference between Salesforce and the service. */
export const MAX_SKEW_SECONDS = 300;

/** `v1=<hex HMAC-SHA256 of timestamp + "." + raw body>` (what the Apex TeamsRequestSigner sends). */
export function signRequest(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `v1=${mac.digest('hex')}`;
}

/** Headers for a signed request (tests, the sandbox and scripts use them as Salesforce does). */
export function signedHeaders(secret: string, body = '', now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    'X-Teams-Bridge-Timestamp': timestamp,
    'X-Teams-Bridge-Signature': signRequest(secret, timestamp, body),
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received (the signature covers them). */
    rawBody?: Buffer;
  }
}

function reject(res: Response, code: string, message: string): void {
  res.status(401).json({ error: { code, message } });
}

/**
 * Reads the raw body (up to `limit`), then checks the signature over exactly those bytes with a constant-time
 * compare and refuses timestamps more than 300 s off. A valid JSON body is parsed into `req.body`.
 * Without a configured secret every /v1 request gets 503 saying which variable to set.
 */
export function verifySignature(secret: string | undefined, limit: string): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit });
  const check = (req: Request, res: Response, next: NextFunction): void => {
    if (!secret) {
      res.status(503).json({
        error: {
          code: 'not_configured',
          message:
            'The service has no signing secret: set TEAMS_BRIDGE_SIGNING_SECRET (the same value as the SigningSecret of the Teams_Bridge_Signer principal in Salesforce).',
        },
      });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    req.rawBody = body;
    const timestamp = req.get(TIMESTAMP_HEADER);
    const signature = req.get(SIGNATURE_HEADER);
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
      reject(
        res,
        'missing_timestamp',
        'Send X-Teams-Bridge-Timestamp with the current time in Unix seconds (for example 1767225600).',
      );
      return;
    }
    const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (skew > MAX_SKEW_SECONDS) {
      reject(
        res,
        'stale_timestamp',
        `X-Teams-Bridge-Timestamp is ${Math.round(skew)} s away from the service clock (at most ${MAX_SKEW_SECONDS} s allowed): sign each request when sending it and check the clocks.`,
      );
      return;
    }
    if (!signature || !/^v1=[0-9a-f]{64}$/i.test(signature)) {
      reject(
        res,
        'missing_signature',
        'Send X-Teams-Bridge-Signature: v1=<hex HMAC-SHA256 of timestamp + "." + raw body> keyed with the shared signing secret.',
      );
      return;
    }
    const expected = Buffer.from(signRequest(secret, timestamp, body).slice(3), 'hex');
    const received = Buffer.from(signature.slice(3), 'hex');
    if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
      reject(
        res,
        'bad_signature',
        'X-Teams-Bridge-Signature does not match: sign timestamp + "." + the exact body bytes sent, with the same secret as TEAMS_BRIDGE_SIGNING_SECRET.',
      );
      return;
    }
    if (body.length > 0) {
      try {
        req.body = JSON.parse(body.toString('utf8')) as unknown;
      } catch (err) {
        res.status(400).json({
          error: {
            code: 'malformed_json',
            message: `request body is not valid JSON: ${(err as Error).message}`,
          },
        });
        return;
      }
    } else req.body = undefined;
    next();
  };
  return [raw, check];
}
