/**
 * The `graphServiceAccount` readiness check: only when the default or some channel posts as the service
 * account; then whether it is signed in, whether its renewal fails (and why), and whether its refresh token
 * nears the 90-day inactivity expiry.
 */
import type { Pool } from '../../store/database.ts';
import { graphModeInUse } from '../channel-posting.ts';
import type { OutboundConfig } from '../outbound-config.ts';
import type { GraphServiceAccount } from './service-account.ts';
import type { ServiceAccountStatus } from './status.ts';

export async function serviceAccountReadiness(
  pool: Pool,
  config: OutboundConfig,
  account: GraphServiceAccount | undefined,
): Promise<ServiceAccountStatus | undefined> {
  if (!(await graphModeInUse(pool, config))) return undefined;
  if (!account) {
    return {
      ok: false,
      state: 'not-signed-in',
      username: null,
      signedInAt: null,
      lastRefreshAt: null,
      refreshTokenExpiresAt: null,
      reason: 'OUTBOUND_SECRET_KEY is not set: the service account token cache cannot be opened',
      failureCode: 'secret_key_missing',
      waitingItems: 0,
    };
  }
  return account.probe();
}
