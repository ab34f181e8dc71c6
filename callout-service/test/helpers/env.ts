import { generateKeyPairSync } from 'node:crypto';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A complete, valid environment (values are placeholders for unit tests). */
export function validEnv(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    GRAPH_TENANT_ID: '11111111-1111-1111-1111-111111111111',
    GRAPH_CLIENT_ID: '22222222-2222-2222-2222-222222222222',
    GRAPH_CLIENT_SECRET: 'graph-secret-value',
    SF_CLIENT_ID: 'sf-consumer-key',
    SF_USERNAME: 'integration@example.com',
    SF_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...over,
  };
}
