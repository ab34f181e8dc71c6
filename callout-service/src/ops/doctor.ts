import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import pg from 'pg';
import type { Config } from '../config.ts';
import { graphStatus } from '../graph/client.ts';
import { SalesforceAuthError, requestSalesforceToken } from '../salesforce/auth.ts';
import { Connection } from 'jsforce';
import { transcriptChecks } from '../transcripts/doctor-checks.ts';

export interface CheckOutcome {
  name: string;
  ok: boolean;
  /** What was found (no secrets). */
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

/** Application permissions the service needs, and a call that proves each. */
export const GRAPH_PERMISSIONS = [
  { permission: 'Team.ReadBasic.All', why: 'list teams for channel linking' },
  { permission: 'Channel.ReadBasic.All', why: 'list channels for channel linking' },
  { permission: 'ChannelMessage.Read.All', why: 'subscribe to and read channel messages' },
  { permission: 'User.Read.All', why: 'resolve senders to their email for user mapping' },
] as const;

const firstLine = (err: unknown) =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);

/** Entra ID token errors, by their AADSTS code, to what the admin should do. */
export function graphTokenFix(message: string, config: Config['graph']): string {
  if (/AADSTS7000215|AADSTS7000222|invalid_client/i.test(message))
    return 'The client secret is wrong or expired: create a new one under the app registration\'s "Certificates & secrets" and set GRAPH_CLIENT_SECRET.';
  if (/AADSTS700016|unauthorized_client/i.test(message))
    return `No application ${config.clientId} in tenant ${config.tenantId}: check GRAPH_CLIENT_ID and GRAPH_TENANT_ID (a multi-tenant app must first be consented in this tenant).`;
  if (/AADSTS90002|AADSTS900023|tenant/i.test(message))
    return 'The tenant was not found: set GRAPH_TENANT_ID to the Directory (tenant) ID of your Entra ID tenant.';
  if (/ENOTFOUND|ECONNREFUSED|certificate|self-signed|ETIMEDOUT|endpoints_resolution/i.test(message))
    return `Entra ID at ${config.authorityHost} cannot be reached: check GRAPH_AUTHORITY_HOST, the proxy and that its TLS certificate is trusted (NODE_EXTRA_CA_CERTS).`;
  return 'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET against the Entra app registration.';
}

/** Salesforce OAuth errors to what the admin should do. */
export function salesforceTokenFix(err: unknown, config: Config['salesforce']): string {
  const code = err instanceof SalesforceAuthError ? err.error : '';
  const text = `${code} ${firstLine(err)}`;
  if (/invalid_client_id/i.test(text))
    return `Salesforce does not know the connected app ${config.clientId.slice(0, 8)}...: a new connected app can take up to 10 minutes to propagate, so wait and run doctor again; if it persists, set SF_CLIENT_ID to the app's consumer key.`;
  if (/ip restricted|IP_RESTRICTED|restricted ip/i.test(text))
    return "Login refused because of an IP restriction: in the connected app's OAuth policies set IP Relaxation to 'Relax IP restrictions', or add this server's address to the integration user's profile Login IP Ranges (or the org's Network Access).";
  if (/authentication failure|INVALID_LOGIN/i.test(text))
    return `INVALID_LOGIN (authentication failure): check that ${config.username ?? 'the integration user'} exists, is active and is not locked out, and that SF_LOGIN_URL (${config.loginUrl}) is the org's login or My Domain URL.`;
  if (/approved this consumer|user hasn't approved/i.test(text))
    return `${config.username ?? 'The integration user'} is not pre-authorized: set the connected app's Permitted Users to "Admin approved users are pre-authorized" and assign it the Teams_Bridge_Integration permission set (or a profile allowed on the app).`;
  if (/audience|invalid assertion|signature|invalid_grant/i.test(text))
    return 'The JWT assertion was refused: upload the certificate matching SF_PRIVATE_KEY to the connected app, and use https://login.salesforce.com, https://test.salesforce.com or the My Domain URL as SF_LOGIN_URL.';
  if (/invalid_client|client secret/i.test(text))
    return 'The consumer secret is wrong: copy it from the connected app into SF_CLIENT_SECRET.';
  return `Check SF_LOGIN_URL (${config.loginUrl}), SF_CLIENT_ID and the ${config.authFlow === 'jwt' ? 'SF_USERNAME / SF_PRIVATE_KEY' : 'SF_CLIENT_SECRET'} settings.`;
}

function tokenRoles(token: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      roles?: unknown;
    };
    return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * Checks every credential and Graph permission the service depends on, with a live call each, and says how to
 * fix each failure. Nothing is changed anywhere.
 */
export async function runDoctor(config: Config): Promise<CheckOutcome[]> {
  const results: CheckOutcome[] = [];
  const add = (r: CheckOutcome) => results.push(r);

  // --- database ---
  if (config.database.url) {
    const client = new pg.Client({ connectionString: config.database.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      add({ name: 'PostgreSQL', ok: true, detail: 'DATABASE_URL answers' });
    } catch (err) {
      add({
        name: 'PostgreSQL',
        ok: false,
        detail: firstLine(err),
        fix: 'Check DATABASE_URL (host, port, user, password, database) and that the server accepts connections from here.',
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  } else {
    add({ name: 'PostgreSQL', ok: true, detail: 'no DATABASE_URL: an embedded PostgreSQL runs in DATA_DIR' });
  }

  // --- Graph token and permissions ---
  const credential = new ClientSecretCredential(
    config.graph.tenantId,
    config.graph.clientId,
    config.graph.clientSecret,
    { authorityHost: config.graph.authorityHost, disableInstanceDiscovery: true },
  );
  let token: string | undefined;
  try {
    token = (await credential.getToken(config.graph.scope))?.token;
    add({
      name: 'Graph token',
      ok: true,
      detail: `app ${config.graph.clientId} got a token from ${config.graph.authorityHost}`,
    });
  } catch (err) {
    add({
      name: 'Graph token',
      ok: false,
      detail: firstLine(err),
      fix: graphTokenFix(firstLine(err), config.graph),
    });
  }
  if (token) {
    const roles = tokenRoles(token);
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [config.graph.scope] }),
      baseUrl: `${config.graph.baseUrl}/`,
      customHosts: new Set([new URL(config.graph.baseUrl).hostname]),
    });
    let teamId: string | undefined;
    let channelId: string | undefined;
    const probes: Record<string, () => Promise<string>> = {
      'Team.ReadBasic.All': async () => {
        const r = (await client.api('/teams').top(1).get()) as { value: { id: string }[] };
        teamId = r.value[0]?.id;
        return `${r.value.length ? 'teams are readable' : 'no team visible'}`;
      },
      'Channel.ReadBasic.All': async () => {
        if (!teamId) return 'not tried: no team to list channels of';
        const r = (await client.api(`/teams/${encodeURIComponent(teamId)}/channels`).get()) as {
          value: { id: string }[];
        };
        channelId = r.value[0]?.id;
        return `${r.value.length} channel(s) in the first team`;
      },
      'ChannelMessage.Read.All': async () => {
        if (!teamId || !channelId) return 'not tried: no channel to read';
        await client
          .api(`/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`)
          .top(1)
          .get();
        return 'channel messages are readable';
      },
      'User.Read.All': async () => {
        await client.api('/users').top(1).select('id').get();
        return 'users are readable';
      },
    };
    for (const { permission, why } of GRAPH_PERMISSIONS) {
      const consentFix = `Grant admin consent for ${permission} (Application): Entra admin center > App registrations > ${config.graph.clientId} > API permissions > add ${permission} > "Grant admin consent". Needed to ${why}.`;
      try {
        const detail = await probes[permission]!();
        const inToken = roles.includes(permission);
        add({
          name: `Graph permission ${permission}`,
          ok: true,
          detail: inToken
            ? detail
            : `${detail} (not in the token's roles: granted through another permission)`,
        });
      } catch (err) {
        const status = graphStatus(err);
        const code = (err as { code?: string }).code;
        add({
          name: `Graph permission ${permission}`,
          ok: false,
          detail: `${status ?? ''} ${code ?? ''} ${firstLine(err)}`.trim(),
          fix:
            status === 403 || code === 'Authorization_RequestDenied'
              ? consentFix
              : `Graph answered ${status ?? 'with an error'}: check GRAPH_BASE_URL (${config.graph.baseUrl}).`,
        });
      }
    }
    for (const outcome of await transcriptChecks(client, config, roles)) add(outcome);
  }

  // --- Salesforce session and the package's objects ---
  try {
    const session = await requestSalesforceToken(config.salesforce);
    add({
      name: 'Salesforce login',
      ok: true,
      detail: `${config.salesforce.authFlow} flow as ${config.salesforce.username ?? 'the run-as user'} at ${session.instanceUrl}`,
    });
    const conn = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: config.salesforce.apiVersion,
    });
    for (const [name, soql] of [
      ['Salesforce package objects', 'SELECT Id FROM Teams_Channel_Link__c LIMIT 1'],
      ['Salesforce Task fields', 'SELECT Id, Teams_Message_Id__c, Teams_Message_Url__c FROM Task LIMIT 1'],
    ] as const) {
      try {
        await conn.query(soql);
        add({ name, ok: true, detail: 'readable by the integration user' });
      } catch (err) {
        add({
          name,
          ok: false,
          detail: firstLine(err),
          fix: 'Deploy the Teams Bridge package (force-app) to this org and assign the Teams_Bridge_Integration permission set to the integration user.',
        });
      }
    }
  } catch (err) {
    add({
      name: 'Salesforce login',
      ok: false,
      detail: firstLine(err),
      fix: salesforceTokenFix(err, config.salesforce),
    });
  }

  // --- what Graph and Salesforce call back ---
  const base = config.publicBaseUrl;
  add(
    base && base.startsWith('https://')
      ? { name: 'Public URL', ok: true, detail: `Graph will call ${base}/graph/notifications` }
      : {
          name: 'Public URL',
          ok: false,
          detail: base ? `${base} is not https` : 'PUBLIC_BASE_URL is not set',
          fix: 'Set PUBLIC_BASE_URL to the https address where Graph reaches this service (Graph only calls https webhooks).',
        },
  );
  add(
    config.api.signingSecret
      ? { name: 'Signing secret', ok: true, detail: 'TEAMS_BRIDGE_SIGNING_SECRET is set' }
      : {
          name: 'Signing secret',
          ok: false,
          detail: 'TEAMS_BRIDGE_SIGNING_SECRET is not set: the /v1 API Salesforce calls answers 503',
          fix: 'Generate a secret of 32+ characters, set it as TEAMS_BRIDGE_SIGNING_SECRET and as the SigningSecret of the Teams_Bridge_Signer principal in Salesforce.',
        },
  );
  return results;
}

/** The report as text: one line per check, the fix under each failure. */
export function formatDoctor(results: CheckOutcome[]): string {
  const lines = results.map(
    (r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.detail}${r.fix ? `\n      fix: ${r.fix}` : ''}`,
  );
  const failed = results.filter((r) => !r.ok).length;
  lines.push('', failed ? `${failed} check(s) failed.` : 'Everything checks out.');
  return `${lines.join('\n')}\n`;
}
