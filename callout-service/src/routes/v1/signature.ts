import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { errors as joseErrors, importX509, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import type { TokenIdStore } from '../../store/token-ids.ts';

/** What the service needs to check the JWT Salesforce's Named Credential mints for every callout. */
export interface CallerAuthOptions {
  /** PEM of the org certificate the JWT external credential signs with (public: no secret here). */
  certificatePem: string | undefined;
  issuer: string;
  audience: string;
  /** Largest accepted exp - iat: the credential's tokens live two minutes by default. */
  maxLifetimeSeconds: number;
  /** Clock difference tolerated on exp / nbf / iat. */
  clockToleranceSeconds: number;
  tokenIds: TokenIdStore;
  /** Body size limit, applied only after the caller is authenticated. */
  bodyLimit: string;
}

/** The algorithms a JWT external credential signs with (Salesforce Help: JWT claims, alg). */
export const ALGORITHMS = ['RS256', 'RS512'];

function reject(res: Response, code: string, message: string): void {
  res.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
  res.status(401).json({ error: { code, message } });
}

/** The id a token is accepted once under: its `jti`, or (Salesforce does not always send one) its signature. */
export function tokenId(token: string, payload: JWTPayload): string {
  if (typeof payload.jti === 'string' && payload.jti.length > 0) return `jti:${payload.jti}`;
  return `sig:${createHash('sha256')
    .update(token.split('.')[2] ?? '')
    .digest('base64url')}`;
}

function explain(err: unknown, options: CallerAuthOptions): { code: string; message: string } {
  if (err instanceof joseErrors.JWTExpired)
    return { code: 'token_expired', message: 'The token has expired: Salesforce mints one per callout.' };
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iss')
      return {
        code: 'bad_issuer',
        message: `The token's iss must be "${options.issuer}" (the iss claim of the Teams_Bridge_Service external credential, or TEAMS_BRIDGE_JWT_ISSUER).`,
      };
    if (err.claim === 'aud')
      return {
        code: 'bad_audience',
        message: `The token's aud must be "${options.audience}" (the aud claim of the external credential, or TEAMS_BRIDGE_JWT_AUDIENCE).`,
      };
    return {
      code: 'bad_claims',
      message: `The token's ${err.claim} claim is not acceptable: ${err.reason}.`,
    };
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return {
      code: 'bad_signature',
      message:
        'The token is not signed by the configured certificate: export the certificate the Teams_Bridge_Service external credential signs with and set it as TEAMS_BRIDGE_JWT_CERTIFICATE.',
    };
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return { code: 'bad_algorithm', message: `The token must be signed with ${ALGORITHMS.join(' or ')}.` };
  return { code: 'malformed_token', message: 'The bearer token is not a valid JWT.' };
}

/**
 * Authenticates Salesforce before anything else happens: the `Authorization: Bearer <JWT>` the Named Credential
 * adds is verified with the org certificate's public key (RS256/RS512), `iss`, `aud`, `exp`, `iat` and a short
 * lifetime are checked, and its id is claimed in PostgreSQL so a replayed token is refused on every replica.
 * Only then is the body read (up to the limit) and parsed as JSON into `req.body`.
 * Without a configured certificate every /v1 request gets 503 saying what to set.
 */
export function verifyCaller(options: CallerAuthOptions): RequestHandler[] {
  // One certificate, imported once per algorithm a token names (RS256 by default, RS512 allowed).
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (alg: string): Promise<CryptoKey> => {
    if (!keys.has(alg)) keys.set(alg, importX509(options.certificatePem!, alg));
    return keys.get(alg)!;
  };
  const authenticate = (req: Request, res: Response, next: NextFunction): void => {
    if (!options.certificatePem) {
      res.status(503).json({
        error: {
          code: 'not_configured',
          message:
            'The service has no Salesforce certificate: set TEAMS_BRIDGE_JWT_CERTIFICATE to the PEM of the certificate the Teams_Bridge_Service external credential signs with (docs/install.md).',
        },
      });
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!match) {
      reject(
        res,
        'missing_token',
        'Send Authorization: Bearer <JWT> as the Teams_Bridge_Service Named Credential does (JWT external credential, "Generate Authorization Header" on).',
      );
      return;
    }
    const token = match[1]!;
    const verify = async (): Promise<void> => {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, (protectedHeader) => keyFor(protectedHeader.alg), {
          algorithms: ALGORITHMS,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: options.clockToleranceSeconds,
          requiredClaims: ['exp', 'iat'],
        }));
      } catch (err) {
        const { code, message } = explain(err, options);
        reject(res, code, message);
        return;
      }
      const lifetime = payload.exp! - payload.iat!;
      if (
        lifetime > options.maxLifetimeSeconds ||
        payload.iat! > Date.now() / 1000 + options.clockToleranceSeconds
      ) {
        reject(
          res,
          'token_lifetime',
          `The token lives ${lifetime} s: at most ${options.maxLifetimeSeconds} s are accepted (set a short Expiration on the external credential).`,
        );
        return;
      }
      const fresh = await options.tokenIds.claim(tokenId(token, payload), new Date(payload.exp! * 1000));
      if (!fresh) {
        reject(res, 'token_replayed', 'This token was already used: every callout needs a new one.');
        return;
      }
      next();
    };
    verify().catch(next);
  };
  const raw = express.raw({ type: () => true, limit: options.bodyLimit });
  const parse = (req: Request, res: Response, next: NextFunction): void => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0) {
      req.body = undefined;
      next();
      return;
    }
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
    next();
  };
  return [authenticate, raw, parse];
}
