import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';

/** `.sandbox/connection.json`: how scripts and tools reach the stand-ins and the service (local secrets only). */
export function connectionInfo(
  graph: GraphEmulator,
  sf: SalesforceEmulator,
  service: { baseUrl: string; signingSecret: string },
  workbench: { recordPageUrl: string; setupUrl: string; buildMs: number; cached: boolean },
) {
  return {
    graph: {
      authorityHost: graph.authorityHost,
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
      baseUrl: graph.baseUrl,
      caFile: graph.caFile,
      jwksUrl: graph.jwksUrl,
      controlUrl: graph.controlUrl,
      demoUser: { username: graph.demoUser.username, password: graph.demoUser.password },
    },
    salesforce: {
      loginUrl: sf.loginUrl,
      instanceUrl: sf.instanceUrl,
      clientId: sf.clientId,
      clientSecret: sf.clientSecret,
      username: sf.username,
      apiVersion: sf.apiVersion,
      controlUrl: sf.controlUrl,
      adminUser: { username: sf.adminUser.username, password: sf.adminUser.password },
    },
    workbench: {
      /** Opens on the demo Opportunity's record page; `?as=rep` or `?as=no-access` switches the persona. */
      url: workbench.recordPageUrl,
      setupUrl: workbench.setupUrl,
      buildMs: workbench.buildMs,
      bundleFromCache: workbench.cached,
    },
    service: {
      baseUrl: service.baseUrl,
      notificationUrl: `${service.baseUrl}/graph/notifications`,
      lifecycleNotificationUrl: `${service.baseUrl}/graph/lifecycle`,
      /** Signs /v1 requests as Salesforce does (X-Teams-Bridge-Signature). */
      signingSecret: service.signingSecret,
    },
  };
}

export type ConnectionInfo = ReturnType<typeof connectionInfo>;

export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}
