import type { KeyObject } from 'node:crypto';
import type { Dml } from './dml.ts';
import type { OrgData, SObjectRecord } from './org-data.ts';
import type { SessionStore } from './sessions.ts';
import type { UserPermissions } from './user-permissions.ts';

/** Faults injected through the control API. */
export interface Faults {
  /** Added to every REST and token call, in milliseconds. */
  latencyMs: number;
  /** Share (0..1) of REST calls answered with errorStatus. */
  errorRate: number;
  errorStatus: number;
  /** Seconds for a Retry-After header on injected errors (none when undefined). */
  retryAfterSeconds?: number;
  /** The next N REST calls fail with errorStatus, whatever errorRate says. */
  failNext: number;
  /** Token endpoint refusals: a login IP range that excludes the caller, or a failed login. */
  tokenEndpoint?: 'ip_restricted' | 'invalid_login';
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  userId?: string;
  /** Counted against the daily API allocation. */
  apiCall: boolean;
}

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  certificatePem: string;
  publicKey: KeyObject;
  /** The user client_credentials tokens run as ("Run As" on the connected app). */
  runAsUsername?: string;
}

export interface OrgContext {
  orgId: string;
  loginUrl: string;
  instanceUrl: string;
  app: ConnectedApp;
  data: OrgData;
  dml: Dml;
  sessions: SessionStore;
  /** System permissions of each user (View All Data, API Enabled...). */
  permissions: UserPermissions;
  limits: { dailyApiRequests: number; used: number };
  faults: Faults;
  requestLog: RequestLogEntry[];
  /** Remaining records of queries answered in batches, by cursor id. */
  cursors: Map<string, { records: SObjectRecord[]; totalSize: number; batchSize: number }>;
  /** Login passwords by lower-case username (the demo admin and any user seeded with one). */
  passwords: Map<string, string>;
  apiVersion: string;
}

export const noFaults = (): Faults => ({ latencyMs: 0, errorRate: 0, errorStatus: 503, failNext: 0 });

export function userByUsername(ctx: OrgContext, username: string): SObjectRecord | undefined {
  const user = ctx.data.object('User')!;
  const wanted = username.toLowerCase();
  return ctx.data.all(user).find((u) => String(u.Username).toLowerCase() === wanted);
}

export function userById(ctx: OrgContext, id: string): SObjectRecord | undefined {
  return ctx.data.table(ctx.data.object('User')!).get(id);
}
