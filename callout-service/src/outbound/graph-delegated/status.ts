/**
 * What readiness and the admin page say about the service account. A refresh token lasts 90 days without
 * use and is replaced on every renewal (https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens),
 * so the expiry is estimated from the last successful renewal (else the sign-in).
 */
import type { AccountRow } from './account-row.ts';
import { notSignedIn, SIGN_IN_COMMAND } from './sign-in-failure.ts';

export const REFRESH_TOKEN_INACTIVITY_DAYS = 90;
const DAY_MS = 24 * 3600_000;

export interface ServiceAccountStatus {
  /** false: posting in `graph` mode cannot work now (items wait). */
  ok: boolean;
  state: 'not-signed-in' | 'failing' | 'expiring' | 'ok';
  username: string | null;
  signedInAt: string | null;
  lastRefreshAt: string | null;
  /** Estimated: 90 days after the last renewal. */
  refreshTokenExpiresAt: string | null;
  /** What is wrong or about to be, and what to do; null when all is well. */
  reason: string | null;
  failureCode: string | null;
  /** Outbound items waiting for the account to work again. */
  waitingItems: number;
}

export function serviceAccountStatus(
  row: AccountRow | undefined,
  options: { now: Date; warnDays: number; waitingItems: number },
): ServiceAccountStatus {
  if (!row) {
    return {
      ok: false,
      state: 'not-signed-in',
      username: null,
      signedInAt: null,
      lastRefreshAt: null,
      refreshTokenExpiresAt: null,
      reason: notSignedIn().reason,
      failureCode: 'not_signed_in',
      waitingItems: options.waitingItems,
    };
  }
  const lastGood = row.lastRefreshAt ?? row.signedInAt;
  const expiresAt = new Date(lastGood.getTime() + REFRESH_TOKEN_INACTIVITY_DAYS * DAY_MS);
  const base = {
    username: row.username,
    signedInAt: row.signedInAt.toISOString(),
    lastRefreshAt: row.lastRefreshAt?.toISOString() ?? null,
    refreshTokenExpiresAt: expiresAt.toISOString(),
    waitingItems: options.waitingItems,
  };
  if (row.lastFailure && row.lastFailureAt && row.lastFailureAt >= lastGood) {
    return {
      ...base,
      ok: false,
      state: 'failing',
      reason: row.lastFailure,
      failureCode: row.lastFailureCode,
    };
  }
  const daysLeft = Math.floor((expiresAt.getTime() - options.now.getTime()) / DAY_MS);
  if (daysLeft <= options.warnDays) {
    return {
      ...base,
      ok: true,
      state: 'expiring',
      reason:
        daysLeft < 0
          ? `the refresh token has not been used for over ${REFRESH_TOKEN_INACTIVITY_DAYS} days and has likely expired: run \`${SIGN_IN_COMMAND}\``
          : `the refresh token expires in ${daysLeft} day(s) without use (${expiresAt.toISOString().slice(0, 10)}): post through a graph channel or run \`${SIGN_IN_COMMAND}\` before then`,
      failureCode: null,
    };
  }
  return { ...base, ok: true, state: 'ok', reason: null, failureCode: null };
}
