import { createPublicKey, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { userByUsername } from './context.ts';
import { CalloutSigner } from './named-credential.ts';
import {
  ADMIN_PERMISSIONS,
  INTEGRATION_PERMISSION_SET,
  UserPermissions,
  permissionSetUserPermissions,
} from './user-permissions.ts';
import type { OrgContext } from './context.ts';
import { noFaults } from './context.ts';
import { controlRouter, createControl } from './control.ts';
import type { SalesforceControl } from './control.ts';
import { DEMO_ADMIN, DEMO_INTEGRATION_USERNAME, demoOrg } from './demo-org.ts';
import type { SeedPlan } from './demo-org.ts';
import { Dml } from './dml.ts';
import { createApp } from './http-server.ts';
import { to18 } from './ids.ts';
import { OrgData } from './org-data.ts';
import type { SObjectRecord } from './org-data.ts';
import { buildSchema } from './schema/build-schema.ts';
import { SessionStore } from './sessions.ts';
import { LATEST_VERSION } from './versions.ts';

export type { SalesforceControl } from './control.ts';
export type { SeedPlan } from './demo-org.ts';
export { SchemaLoadError } from './schema/project-metadata.ts';

export interface SalesforceEmulatorOptions {
  port?: number;
  host?: string;
  /** A Salesforce DX project (sfdx-project.json, force-app/): its custom objects, fields and metadata. */
  projectDir?: string;
  clientId?: string;
  clientSecret?: string;
  /** The connected app's certificate and its private key (PEM); generated when absent. */
  certificatePem?: string;
  privateKeyPem?: string;
  /** Session timeout after the last use, in seconds (default 7200, a connected app's 2 hours). */
  sessionLifetimeSeconds?: number;
  /** Daily API request allocation (default 100000). */
  dailyApiRequests?: number;
  /** The records to start with (default: the demo org); `{ records: [], passwords: {} }` for an empty org. */
  seed?: SeedPlan;
  /** The username JWT bearer tokens are minted for in `username`, and client_credentials run as. */
  integrationUsername?: string;
}

export interface SalesforceEmulator {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  /** The integration user (JWT bearer `sub`, client credentials "run as"). */
  username: string;
  privateKeyPem: string;
  certificatePem: string;
  /** The org certificate the Teams_Bridge_Service JWT external credential signs callouts with. */
  calloutSigner: CalloutSigner;
  adminUser: { username: string; password: string };
  orgId: string;
  apiVersion: string;
  controlUrl: string;
  control: SalesforceControl;
  close(): Promise<void>;
}

let generated: Promise<{ cert: string; key: string }> | undefined;

/** One connected-app certificate per process: RSA key generation is the slowest part of a start. */
function connectedAppCertificate(): Promise<{ cert: string; key: string }> {
  generated ??= generate([{ name: 'commonName', value: 'Teams Bridge connected app (stand-in)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
  }).then((r) => ({ cert: r.cert, key: r.private }));
  return generated;
}

function applySeed(ctx: OrgContext, plan: SeedPlan, control: SalesforceControl): void {
  const refs = new Map<string, string>();
  const resolve = (fields: SObjectRecord): SObjectRecord =>
    Object.fromEntries(
      Object.entries(fields).map(([k, v]) => {
        if (typeof v === 'string' && v.startsWith('@')) {
          const id = refs.get(v.slice(1));
          if (!id) throw new Error(`seed: reference ${v} names no earlier record`);
          return [k, id];
        }
        return [k, v];
      }),
    );
  for (const r of plan.records) {
    const [id] = control.seed(r.sobject, resolve(r.fields));
    if (r.ref) refs.set(r.ref, id!);
  }
  for (const [username, password] of Object.entries(plan.passwords))
    ctx.passwords.set(username.toLowerCase(), password);
}

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const schema = buildSchema(options.projectDir === undefined ? undefined : path.resolve(options.projectDir));
  const data = new OrgData(schema);
  const certificate =
    options.certificatePem && options.privateKeyPem
      ? { cert: options.certificatePem, key: options.privateKeyPem }
      : await connectedAppCertificate();
  const orgId = to18('00D5g00000TBRDG');
  const ctx: OrgContext = {
    orgId,
    loginUrl: '',
    instanceUrl: '',
    app: {
      clientId: options.clientId ?? `3MVG9${randomBytes(30).toString('base64url').replace(/[-_]/g, 'A')}`,
      clientSecret: options.clientSecret ?? randomBytes(32).toString('hex').toUpperCase(),
      certificatePem: certificate.cert,
      publicKey: createPublicKey(certificate.cert),
      runAsUsername: options.integrationUsername ?? DEMO_INTEGRATION_USERNAME,
    },
    data,
    dml: new Dml(data),
    sessions: new SessionStore(orgId, (options.sessionLifetimeSeconds ?? 7200) * 1000),
    permissions: new UserPermissions(),
    limits: { dailyApiRequests: options.dailyApiRequests ?? 100_000, used: 0 },
    faults: noFaults(),
    requestLog: [],
    cursors: new Map(),
    passwords: new Map(),
    apiVersion: LATEST_VERSION,
  };
  const plan = options.seed ?? demoOrg();
  // The integration user has exactly the integration permission set (of the project, when it has one); the
  // demo admin has what the System Administrator profile gives.
  const integrationPermissions = permissionSetUserPermissions(
    options.projectDir === undefined ? undefined : path.resolve(options.projectDir),
    INTEGRATION_PERMISSION_SET,
  ) ?? ['ApiEnabled'];
  const seedOrg = (): void => {
    applySeed(ctx, plan, control);
    const admin = userByUsername(ctx, DEMO_ADMIN.username);
    if (admin) ctx.permissions.set(String(admin.Id), ADMIN_PERMISSIONS);
    const integration = userByUsername(ctx, ctx.app.runAsUsername!);
    if (integration) ctx.permissions.set(String(integration.Id), integrationPermissions);
  };
  const control: SalesforceControl = createControl(ctx, seedOrg, {
    dailyApiRequests: ctx.limits.dailyApiRequests,
  });
  seedOrg();

  const calloutSigner = await CalloutSigner.create();
  const router = controlRouter(control);
  // What the Named Credential would add to a callout: tools outside this process ask the org for one.
  router.post('/callout-token', (req, res, next) => {
    const options = (req.body ?? {}) as { issuer?: string; audience?: string; lifetimeSeconds?: number };
    calloutSigner.authorization(options).then((headers) => res.json(headers), next);
  });
  const app = createApp(ctx, router);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5000;
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.loginUrl = base;
  ctx.instanceUrl = base;
  const adminPassword = plan.passwords[DEMO_ADMIN.username];
  return {
    loginUrl: base,
    instanceUrl: base,
    clientId: ctx.app.clientId,
    clientSecret: ctx.app.clientSecret,
    username: ctx.app.runAsUsername!,
    privateKeyPem: certificate.key,
    certificatePem: certificate.cert,
    calloutSigner,
    adminUser: { username: adminPassword ? DEMO_ADMIN.username : '', password: adminPassword ?? '' },
    orgId,
    apiVersion: LATEST_VERSION,
    controlUrl: `${base}/_control`,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
