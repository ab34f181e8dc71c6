import { randomBytes } from 'node:crypto';

// Access tokens expire after a period without use, like a Salesforce session (the connected app's
// timeout); refresh tokens live until revoked; authorization codes for a few minutes.

export interface Session {
  accessToken: string;
  userId: string;
  clientId: string;
  issuedAt: number;
  lastUsedAt: number;
}

interface RefreshGrant {
  userId: string;
  clientId: string;
}

const CODE_LIFETIME_MS = 15 * 60_000;

export class SessionStore {
  private sessions = new Map<string, Session>();
  private refreshTokens = new Map<string, RefreshGrant>();
  private codes = new Map<string, { userId: string; expiresAt: number }>();

  constructor(
    private readonly orgId: string,
    public lifetimeMs: number,
  ) {}

  create(userId: string, clientId: string): Session {
    const now = Date.now();
    const session = {
      accessToken: `${this.orgId}!AQ${randomBytes(48).toString('base64url')}`,
      userId,
      clientId,
      issuedAt: now,
      lastUsedAt: now,
    };
    this.sessions.set(session.accessToken, session);
    return session;
  }

  /** The live session for a bearer token (and marks it used), or undefined when unknown or timed out. */
  use(token: string): Session | undefined {
    const s = this.sessions.get(token);
    if (!s) return undefined;
    const now = Date.now();
    if (now - s.lastUsedAt >= this.lifetimeMs) {
      this.sessions.delete(token);
      return undefined;
    }
    s.lastUsedAt = now;
    return s;
  }

  issueRefreshToken(userId: string, clientId: string): string {
    const token = `5Aep${randomBytes(40).toString('base64url')}`;
    this.refreshTokens.set(token, { userId, clientId });
    return token;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }

  issueCode(userId: string): string {
    const code = `aPrx${randomBytes(30).toString('base64url')}`;
    this.codes.set(code, { userId, expiresAt: Date.now() + CODE_LIFETIME_MS });
    return code;
  }

  /** Authorization codes are single use. */
  redeemCode(code: string): string | undefined {
    const c = this.codes.get(code);
    this.codes.delete(code);
    return c && c.expiresAt > Date.now() ? c.userId : undefined;
  }

  /** Ends sessions now (all, or one user's); the next API call answers INVALID_SESSION_ID. */
  expire(userId?: string): number {
    let n = 0;
    for (const [token, s] of this.sessions) {
      if (userId === undefined || s.userId === userId) {
        this.sessions.delete(token);
        n++;
      }
    }
    return n;
  }

  /** Revokes refresh tokens (all, or one user's), like an admin revoking the connected app's access. */
  revoke(userId?: string): number {
    let n = 0;
    for (const [token, g] of this.refreshTokens) {
      if (userId === undefined || g.userId === userId) {
        this.refreshTokens.delete(token);
        n++;
      }
    }
    return n + this.expire(userId);
  }

  clear(): void {
    this.sessions.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }
}
