import { Router } from 'express';
import type { Pool } from '../store/database.ts';
import type { ServiceAccountStatus } from '../outbound/graph-delegated/status.ts';

export interface CheckResult {
  ok: boolean;
  /** What failed, without secrets. */
  error?: string;
  ms: number;
}

/**
 * Where posting as the bot would fail: linked teams without the Teams app (by name where known, else id).
 * Reported, never gating: every replica sees the same teams, so taking replicas out of the load balancer for
 * one team would stop all work for every other team and the inbound direction, and fix nothing.
 */
export interface TeamsAppDetail {
  ok: boolean;
  /** False until the first survey of linked teams ran (or when it could not be read). */
  checked: boolean;
  teamsWithoutApp: string[];
  error?: string;
}

export interface Readiness {
  ready: boolean;
  database: CheckResult;
  entra: CheckResult;
  graph: CheckResult;
  salesforce: CheckResult;
  /**
   * Only when something posts as the Graph service account. Not part of `ready`: a replica taken out of
   * rotation does not sign the account in again, and everything else still works; it says what to do.
   */
  graphServiceAccount?: ServiceAccountStatus & { ms: number };
  /** Detail that does not decide `ready`; named in `degraded` when not ok. */
  teamsApp?: TeamsAppDetail;
  degraded: string[];
  checkedAt: string;
}

/** Checks reported beside the dependencies, each answering undefined when it does not apply. */
export interface OptionalChecks {
  graphServiceAccount?: () => Promise<ServiceAccountStatus | undefined>;
  teamsApp?: () => Promise<TeamsAppDetail>;
}

export const DEPENDENCIES = ['database', 'entra', 'graph', 'salesforce'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export type ReadinessChecks = Record<Dependency, () => Promise<void>>;

const CHECK_TIMEOUT_MS = 5_000;

async function timed(check: () => Promise<void>): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: describeFailure(err), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What failed, in words an operator can act on, without hosts, ports, URLs or secrets (readiness answers are
 * unauthenticated): the HTTP status, the error code, or the first line of the message with addresses removed.
 */
export function describeFailure(err: unknown): string {
  const e = err as { statusCode?: unknown; status?: unknown; code?: unknown; errorCode?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : e?.status;
  if (typeof status === 'number' && status >= 400) return `answered HTTP ${status}`;
  const code = typeof e?.errorCode === 'string' ? e.errorCode : typeof e?.code === 'string' ? e.code : '';
  const message = ((err as Error)?.message ?? String(err)).split('\n')[0]!;
  const cleaned = message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\[?[0-9a-f:.]*:[0-9a-f:.]*\]?:\d+/gi, '<address>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<address>')
    .replace(/\b[\w-]+(\.[\w-]+)+:\d+\b/g, '<address>')
    .slice(0, 200);
  return code && !cleaned.includes(code) ? `${code}: ${cleaned}` : cleaned;
}

/**
 * The dependencies a replica needs for its work, each probed for real: PostgreSQL (SELECT 1), Entra ID (its
 * OpenID metadata: a token in the cache says nothing about whether a new one can be had), Graph (the
 * subscriptions list, a call the service makes anyway) and Salesforce (a recent successful call, else a
 * cheap authenticated call).
 */
export function serviceChecks(deps: {
  pool: Pool;
  entraMetadataUrl: string;
  graph: { probe(): Promise<void> };
  salesforce: { check(trustMs: number): Promise<void> };
  salesforceTrustMs: number;
}): ReadinessChecks {
  return {
    database: async () => {
      await deps.pool.query('SELECT 1');
    },
    entra: async () => {
      const res = await fetch(deps.entraMetadataUrl, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      await res.arrayBuffer();
      if (!res.ok) throw Object.assign(new Error(`Entra ID answered ${res.status}`), { status: res.status });
    },
    graph: () => deps.graph.probe(),
    salesforce: () => deps.salesforce.check(deps.salesforceTrustMs),
  };
}

/**
 * Runs the checks in parallel, each bounded by a timeout. Results are kept for `cacheMs` so that a load
 * balancer probing every second does not turn into token requests every second.
 */
export class ReadinessProbe {
  private last: { at: number; value: Promise<Readiness> } | undefined;

  constructor(
    private readonly checks: ReadinessChecks,
    private readonly cacheMs = 5_000,
    private readonly optional: OptionalChecks = {},
  ) {}

  private async serviceAccount(): Promise<Readiness['graphServiceAccount']> {
    const check = this.optional.graphServiceAccount;
    if (!check) return undefined;
    const started = Date.now();
    let status: ServiceAccountStatus | undefined;
    const result = await timed(async () => {
      status = await check();
    });
    if (result.ok) return status ? { ...status, ms: result.ms } : undefined;
    return {
      ok: false,
      state: 'failing',
      username: null,
      signedInAt: null,
      lastRefreshAt: null,
      refreshTokenExpiresAt: null,
      reason: `the service account could not be checked: ${result.error ?? 'failed'}`,
      failureCode: null,
      waitingItems: 0,
      ms: Date.now() - started,
    };
  }

  private async teamsApp(): Promise<TeamsAppDetail | undefined> {
    const detail = this.optional.teamsApp;
    if (!detail) return undefined;
    let value: TeamsAppDetail | undefined;
    const result = await timed(async () => {
      value = await detail();
    });
    return result.ok && value
      ? value
      : { ok: false, checked: false, teamsWithoutApp: [], error: result.error ?? 'not answered' };
  }

  check(now = Date.now()): Promise<Readiness> {
    if (this.last && now - this.last.at < this.cacheMs) return this.last.value;
    const value = (async () => {
      const [results, graphServiceAccount, teamsApp] = await Promise.all([
        Promise.all(DEPENDENCIES.map((name) => timed(this.checks[name]))),
        this.serviceAccount(),
        this.teamsApp(),
      ]);
      const byName = Object.fromEntries(DEPENDENCIES.map((name, i) => [name, results[i]!])) as Record<
        Dependency,
        CheckResult
      >;
      return {
        ready: results.every((r) => r.ok),
        ...byName,
        ...(graphServiceAccount ? { graphServiceAccount } : {}),
        ...(teamsApp ? { teamsApp } : {}),
        degraded: teamsApp && !teamsApp.ok ? ['teamsApp'] : [],
        checkedAt: new Date().toISOString(),
      };
    })();
    this.last = { at: now, value };
    return value;
  }
}

/**
 * GET /healthz: the process answers (liveness), with the Node.js version it runs on.
 * GET /readyz: 200 when every dependency works, else 503 with `down` naming the failing ones; with
 * `graphServiceAccount` when something posts as the Graph service account; `degraded` names detail that is
 * wrong without making the replica unready (linked teams without the Teams app).
 */
export function healthRouter(probe: ReadinessProbe): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', node: process.versions.node });
  });
  router.get('/readyz', async (_req, res, next) => {
    try {
      const r = await probe.check();
      const down = DEPENDENCIES.filter((name) => !r[name].ok);
      // Unauthenticated: the account's name stays for the authenticated /v1/status.
      const account = r.graphServiceAccount && { ...r.graphServiceAccount, username: undefined };
      res
        .status(r.ready ? 200 : 503)
        .json({ ...r, ...(account ? { graphServiceAccount: account } : {}), down });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
