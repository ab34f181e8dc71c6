import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { startGraphEmulator, type GraphEmulator } from '../../../emulators/src/graph/index.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../../emulators/src/salesforce/index.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { startService, type RunningService, type StartOptions } from '../../src/main.ts';
import { loadOutboundConfig, type OutboundConfig } from '../../src/outbound/outbound-config.ts';
import { waitFor } from './wait.ts';
import { saveSubscription } from '../../src/store/subscriptions.ts';
import { taskKey } from '../../src/inbound/idempotency-key.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const SALES_TEAM = '7c1f2e3d-4b5a-4968-8776-a5b4c3d2e1f0';
export const DEAL_DESK = '19:dealdesk0a1b2c3d4e5f60718293a4b5@thread.tacv2';
export const USERS = {
  alex: 'a1b2c3d4-0001-4a5b-8c9d-000000000001',
  megan: 'a1b2c3d4-0002-4a5b-8c9d-000000000002',
  lee: 'a1b2c3d4-0003-4a5b-8c9d-000000000003',
};

export interface Stands {
  graph: GraphEmulator;
  sf: SalesforceEmulator;
  opportunityId: string;
  opportunityOwnerId: string;
  close(): Promise<void>;
}

/** Both stand-ins, the demo data, and a Salesforce channel link from the Deal Desk channel to the renewal. */
export async function startStandIns(): Promise<Stands> {
  const [graph, sf] = await Promise.all([
    startGraphEmulator({ port: 0, delivery: { batchWindowMs: 5, retryInitialDelayMs: 200 } }),
    startSalesforceEmulator({ port: 0, projectDir: repoRoot }),
  ]);
  const [opportunity] = sf.control.query(
    "SELECT Id, OwnerId FROM Opportunity WHERE Name LIKE 'Contoso%'",
  ).records;
  if (!opportunity) throw new Error('the Salesforce stand-in has no demo Opportunity');
  sf.control.seed('Teams_Channel_Link__c', {
    Name: 'Deal Desk',
    Opportunity__c: opportunity.Id,
    Team_Id__c: SALES_TEAM,
    Team_Name__c: 'Sales',
    Channel_Id__c: DEAL_DESK,
    Channel_Name__c: 'Deal Desk',
    Web_Url__c: 'https://teams.microsoft.com/l/channel/dealdesk',
    Status__c: 'Active',
  });
  return {
    graph,
    sf,
    opportunityId: String(opportunity.Id),
    opportunityOwnerId: String(opportunity.OwnerId),
    async close() {
      await Promise.all([graph.close(), sf.close()]);
    },
  };
}

/** Service configuration pointing at the stand-ins and the given database. */
export function serviceConfig(stands: Stands, databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig(serviceEnv(stands, databaseUrl, env));
}

/** The same as environment variables (for a service in a child process). */
export function serviceEnv(
  stands: Stands,
  databaseUrl: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    GRAPH_TENANT_ID: stands.graph.tenantId,
    GRAPH_CLIENT_ID: stands.graph.clientId,
    GRAPH_CLIENT_SECRET: stands.graph.clientSecret,
    GRAPH_AUTHORITY_HOST: stands.graph.authorityHost,
    GRAPH_BASE_URL: stands.graph.baseUrl,
    GRAPH_JWKS_URL: stands.graph.jwksUrl,
    SF_LOGIN_URL: stands.sf.loginUrl,
    SF_AUTH_FLOW: 'jwt',
    SF_CLIENT_ID: stands.sf.clientId,
    SF_USERNAME: stands.sf.username,
    SF_PRIVATE_KEY: stands.sf.privateKeyPem,
    SF_API_VERSION: stands.sf.apiVersion,
    TASK_FLUSH_DELAY_MS: '50',
    WORKER_POLL_MS: '200',
    JOB_RETRY_DELAY_SECONDS: '1',
    QUEUE_MAINTENANCE_SECONDS: '1',
    SF_LIMIT_BACKOFF_SECONDS: '2',
    // Tests subscribe explicitly (subscribe() below) unless they test the subscription manager itself.
    SUBSCRIPTIONS_ENABLED: 'false',
    ...env,
  };
}

export async function start(config: Config, options: StartOptions = {}): Promise<RunningService> {
  return await startService(config, options);
}

/**
 * A Graph subscription on a channel for the service's webhook (what the subscription manager does), with a
 * random clientState kept in the service's database.
 */
export async function subscribe(
  service: RunningService,
  options: { teamId?: string; channelId?: string; clientState?: string } = {},
): Promise<{ id: string; clientState: string }> {
  const teamId = options.teamId ?? SALES_TEAM;
  const channelId = options.channelId ?? DEAL_DESK;
  const clientState = options.clientState ?? randomBytes(24).toString('base64url');
  const resource = `/teams/${teamId}/channels/${channelId}/messages`;
  const created = (await service.context.graph.client.api('/subscriptions').post({
    changeType: 'created,updated',
    notificationUrl: `${service.url}/graph/notifications`,
    resource,
    // Under an hour: no lifecycleNotificationUrl needed (the lifecycle route is not under test here).
    expirationDateTime: new Date(Date.now() + 55 * 60_000).toISOString(),
    clientState,
  })) as { id: string; expirationDateTime: string };
  await saveSubscription(service.context.db.pool, {
    id: created.id,
    resource,
    teamId,
    channelId,
    channelLinkId: null,
    clientState,
    expiration: new Date(created.expirationDateTime),
  });
  return { id: created.id, clientState };
}

export interface TaskRow {
  Id: string;
  Subject: string;
  Description: string;
  WhatId: string;
  OwnerId: string;
  Priority: string;
  Status: string;
  ActivityDate: string;
  Teams_Message_Id__c: string;
  Teams_Message_Url__c: string | null;
}

export function tasks(stands: Stands): TaskRow[] {
  return stands.sf.control.records('Task') as unknown as TaskRow[];
}

/** Tasks written for one Teams message in the Deal Desk channel (by idempotency key), by rule. */
export function tasksFor(
  stands: Stands,
  messageId: string,
  rules = ['Deal_Desk_Keywords', 'Competitor_Mentions'],
) {
  const all = tasks(stands);
  return Object.fromEntries(
    rules.map((rule) => [
      rule,
      all.filter((t) => t.Teams_Message_Id__c === taskKey(SALES_TEAM, DEAL_DESK, messageId, rule)),
    ]),
  ) as Record<string, TaskRow[]>;
}

/** Posts a message in the Deal Desk channel as a Teams user; returns its id. */
export function post(
  stands: Stands,
  from: string,
  content: string,
  extra: { replyToId?: string } = {},
): string {
  return stands.graph.control.postMessage({
    teamId: SALES_TEAM,
    channelId: DEAL_DESK,
    from,
    content,
    ...extra,
  }).id;
}

export async function counter(
  metric: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> },
  labels: Record<string, string> = {},
) {
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

/**
 * Changes the Graph stand-in's throttle limits for one test (0 turns a limit off), put back when it ends:
 * for tests about something other than Graph's limits.
 */
export function throttleForTest(
  t: { after(fn: () => void): void },
  stands: Stands,
  limits: Parameters<Stands['graph']['control']['setThrottle']>[0],
): void {
  const before = stands.graph.control.setThrottle({});
  stands.graph.control.setThrottle(limits);
  t.after(() => stands.graph.control.setThrottle(before));
}

export { waitFor };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The outbound settings tests run with: the bot's stand-in endpoints, fast polling, no retry backoff. */
export function outboundTestConfig(stands: Stands, env: Record<string, string> = {}): OutboundConfig {
  return loadOutboundConfig({
    GRAPH_AUTHORITY_HOST: stands.graph.authorityHost,
    BOT_OPENID_METADATA_URL: stands.graph.botFramework.openIdMetadataUrl,
    BOT_SERVICE_URL: stands.graph.botFramework.serviceUrl,
    OUTBOUND_POLL_MS: '50',
    OUTBOUND_RETRY_BASE_SECONDS: '0',
    OUTBOUND_MAX_ATTEMPTS: '3',
    OUTBOUND_LEASE_SECONDS: '1',
    ...env,
  });
}

/**
 * A service for the Salesforce -> Teams tests: it trusts the stand-in org's callout JWT, posts with
 * `outboundTestConfig` (plus `outboundEnv`) unless `options.outbound` is given, and the Bot Framework stand-in
 * delivers the bot's activities to it.
 */
export async function startOutboundService(
  stands: Stands,
  databaseUrl: string,
  {
    env = {},
    outboundEnv = {},
    ...options
  }: StartOptions & {
    env?: Record<string, string>;
    outboundEnv?: Record<string, string>;
  } = {},
): Promise<RunningService> {
  const service = await start(
    serviceConfig(stands, databaseUrl, {
      TEAMS_BRIDGE_JWT_CERTIFICATE: stands.sf.calloutSigner.certificatePem,
      ...env,
    }),
    { ...options, outbound: options.outbound ?? outboundTestConfig(stands, outboundEnv) },
  );
  stands.graph.control.setBotEndpoint({ url: `${service.url}/api/messages` });
  return service;
}

/** A `/v1` call as the Named Credential makes it: a fresh callout JWT, and the body (if any) as JSON. */
export async function callout(
  stands: Stands,
  service: RunningService,
  method: 'get' | 'post' | 'put',
  path: string,
  body?: unknown,
): Promise<request.Response> {
  const agent = request(service.url);
  const req = agent[method](path).set(await stands.sf.calloutSigner.authorization());
  return body === undefined
    ? await req
    : await req.set('content-type', 'application/json').send(JSON.stringify(body));
}
