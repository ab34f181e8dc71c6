/**
 * Why the service account's silent token renewal failed, in words an admin can act on. Entra ID puts the
 * AADSTS code in the error description (msal-node's `errorMessage`); the codes are Microsoft's:
 * https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes and
 * https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50173-grant-expired-revoked
 * A transient failure (no answer, 5xx, throttled) is not a sign-in problem: the item is simply retried.
 */
import { describeFailure } from '../../ops/health.ts';

export const SIGN_IN_COMMAND = 'npm run service-account:sign-in';

export type SignInFailureKind =
  | 'not-signed-in'
  | 'password-reset'
  | 'mfa-required'
  | 'conditional-access'
  | 'refresh-expired'
  | 'consent-missing'
  | 'account-gone'
  | 'rejected'
  | 'transient';

export interface SignInFailure {
  kind: SignInFailureKind;
  /** `AADSTS50173` or the OAuth/MSAL error code. */
  code: string;
  reason: string;
}

export class ServiceAccountError extends Error {
  constructor(readonly failure: SignInFailure) {
    super(failure.reason);
  }
}

const again = `run \`${SIGN_IN_COMMAND}\` again`;

export const notSignedIn = (): SignInFailure => ({
  kind: 'not-signed-in',
  code: 'not_signed_in',
  reason: `no Graph service account is signed in: run \`${SIGN_IN_COMMAND}\``,
});

export function classifySignInFailure(err: unknown): SignInFailure {
  const e = err as { errorCode?: string; errorMessage?: string; subError?: string; message?: string };
  const text = `${e?.errorMessage ?? ''} ${e?.message ?? ''}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const oauth = e?.errorCode ?? '';
  const code = aadsts ? `AADSTS${aadsts}` : oauth || 'unknown';
  const failure = (kind: SignInFailureKind, reason: string): SignInFailure => ({ kind, code, reason });
  switch (aadsts) {
    case '50173':
    case '50133':
    case '50055':
      return failure(
        'password-reset',
        `the service account's password was reset or its sessions revoked (${code}): ${again}`,
      );
    case '50076':
    case '50079':
    case '50074':
      return failure(
        'mfa-required',
        `MFA is now required for the service account (${code}): ${again} and complete MFA in the browser, or exclude the account from the MFA policy`,
      );
    case '53003':
    case '53000':
    case '53001':
      return failure(
        'conditional-access',
        `Conditional Access blocks the service account (${code}): a tenant admin must exclude it from the policy (or allow this location/device), then ${again}`,
      );
    case '700082':
    case '70008':
    case '700084':
      return failure(
        'refresh-expired',
        `the service account's refresh token expired after 90 days without use (${code}): ${again}`,
      );
    case '65001':
      return failure(
        'consent-missing',
        `consent for the app's delegated permissions is missing (${code}): grant admin consent for ChannelMessage.Send, then ${again}`,
      );
    case '50034':
    case '50057':
      return failure(
        'account-gone',
        `the service account is deleted or disabled (${code}): ${again} with an active account`,
      );
    default:
      break;
  }
  if (oauth === 'no_tokens_found' || oauth === 'no_account_found') return notSignedIn();
  if (/invalid_grant|interaction_required|consent_required|login_required/.test(`${oauth} ${text}`)) {
    return failure('rejected', `Entra ID refused to renew the service account's token (${code}): ${again}`);
  }
  return failure(
    'transient',
    `Entra ID could not renew the service account's token now (${describeFailure(err)}): trying again`,
  );
}
