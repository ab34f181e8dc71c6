import { ClientSecretCredential } from '@azure/identity';
import type { Config } from '../config.ts';
import { RenewableCredential } from './renewable-credential.ts';

/**
 * The app-only credential for Graph. `disableInstanceDiscovery` lets the same code talk to a sovereign cloud or
 * to the local stand-in (which serves the Entra endpoints itself); the authority must be https.
 */
export function createGraphCredential(graph: Config['graph']): ClientSecretCredential {
  return new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret, {
    authorityHost: graph.authorityHost,
    disableInstanceDiscovery: true,
  });
}

/** The same, renewable: the Graph adapter drops the cached token when Graph answers 401. */
export function createRenewableGraphCredential(graph: Config['graph']): RenewableCredential {
  return new RenewableCredential(() => createGraphCredential(graph));
}
