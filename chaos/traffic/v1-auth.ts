import type { CalloutSigner } from '@teams-bridge/emulators/salesforce/named-credential.ts';

/**
 * How the chaos run authenticates to `/v1` as Salesforce does: the JWT the Named Credential mints for each
 * callout, signed by the stand-in org's certificate that the replicas trust.
 */
export function v1Headers(signer: CalloutSigner): Promise<Record<string, string>> {
  return signer.authorization();
}

/** A well-formed token from the right key that names another issuer: refused with a reason. */
export function v1BadHeaders(signer: CalloutSigner): Promise<Record<string, string>> {
  return signer.authorization({ issuer: 'someone-else' });
}
