/**
 * `npm run emulators`: starts the Microsoft Graph / Entra ID stand-in and the Salesforce stand-in, prints
 * their endpoints and writes `.sandbox/connection.json` so scripts and other tools can connect.
 *
 *   --graph-port N / GRAPH_EMULATOR_PORT, --salesforce-port N / SALESFORCE_EMULATOR_PORT (default: any free port)
 *   --connection-file PATH (default: <repo>/.sandbox/connection.json)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startGraphEmulator } from './graph/index.ts';
import { startSalesforceEmulator } from './salesforce/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function port(name: string, value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, not '${value}'.`);
  }
  return parsed;
}

const { values } = parseArgs({
  options: {
    'graph-port': { type: 'string' },
    'salesforce-port': { type: 'string' },
    'connection-file': { type: 'string' },
  },
});
const connectionFile = resolve(values['connection-file'] ?? join(repoRoot, '.sandbox', 'connection.json'));

const started = Date.now();
const [graph, salesforce] = await Promise.all([
  startGraphEmulator({
    port: port('--graph-port', values['graph-port'] ?? process.env.GRAPH_EMULATOR_PORT),
    log: (line) => console.log(`[graph] ${line}`),
  }),
  startSalesforceEmulator({
    port: port('--salesforce-port', values['salesforce-port'] ?? process.env.SALESFORCE_EMULATOR_PORT),
    projectDir: repoRoot,
  }),
]);

const connection = {
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
    loginUrl: salesforce.loginUrl,
    instanceUrl: salesforce.instanceUrl,
    clientId: salesforce.clientId,
    clientSecret: salesforce.clientSecret,
    username: salesforce.username,
    apiVersion: salesforce.apiVersion,
    controlUrl: salesforce.controlUrl,
    adminUser: { username: salesforce.adminUser.username, password: salesforce.adminUser.password },
  },
};
const written = JSON.stringify(connection, null, 2) + '\n';
mkdirSync(dirname(connectionFile), { recursive: true });
// It holds client secrets and demo passwords: readable by the owner only.
writeFileSync(connectionFile, written, { mode: 0o600 });

console.log(`Stand-ins ready in ${Date.now() - started} ms.
  Microsoft Graph   ${graph.baseUrl}/v1.0
  Entra ID          ${graph.authorityHost}/${graph.tenantId}/oauth2/v2.0/token
  Graph control     ${graph.controlUrl}
  Salesforce login  ${salesforce.loginUrl}
  Salesforce API    ${salesforce.instanceUrl}/services/data/v${salesforce.apiVersion}
  Salesforce control ${salesforce.controlUrl}
  Connection details (secrets included): ${connectionFile}
  Trust the Graph certificate with NODE_EXTRA_CA_CERTS=${graph.caFile}
Press Ctrl+C to stop.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the stand-ins.`);
  await Promise.allSettled([graph.close(), salesforce.close()]);
  try {
    // Only remove the file if another run has not replaced it meanwhile.
    if (readFileSync(connectionFile, 'utf8') === written) rmSync(connectionFile);
  } catch {
    // already gone
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
