import { Router } from 'express';
import type { TokenCredential } from '@azure/identity';
import type { Pool } from '../store/database.ts';

export interface CheckResult {
  ok: boolean;
  /** What failed, without secrets. */
  error?: string;
  ms: number;
}

export interface Readiness {
  ready: boolean;
  database: CheckResult;
  graph: CheckResult;
  salesforce: CheckResult;
  checkedAt: string;
}

export interface ReadinessChecks {
  database(): Promise<void>;
  graph(): Promise<void>;
  salesforce(): Promise<void>;
}

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
    return {
      ok: false,
      error: (err as Error).message.split('\n')[0]!.slice(0, 300),
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The three dependencies a replica needs to do its work: PostgreSQL, a Graph token, a Salesforce session. */
export function serviceChecks(deps: {
  pool: Pool;
  graphCredential: TokenCredential;
  graphScope: string;
  salesforce: { check(): Promise<void> };
}): ReadinessChecks {
  return {
    database: async () => {
      await deps.pool.query('SELECT 1');
    },
    graph: async () => {
      const token = await deps.graphCredential.getToken(deps.graphScope);
      if (!token) throw new Error('Entra ID returned no token');
    },
    salesforce: () => deps.salesforce.check(),
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
  ) {}

  check(now = Date.now()): Promise<Readiness> {
    if (this.last && now - this.last.at < this.cacheMs) return this.last.value;
    const value = (async () => {
      const [database, graph, salesforce] = await Promise.all([
        timed(this.checks.database),
        timed(this.checks.graph),
        timed(this.checks.salesforce),
      ]);
      return {
        ready: database.ok && graph.ok && salesforce.ok,
        database,
        graph,
        salesforce,
        checkedAt: new Date().toISOString(),
      };
    })();
    this.last = { at: now, value };
    return value;
  }
}

/**
 * GET /healthz: the process answers (liveness), with the Node.js version it runs on.
 * GET /readyz: 200 when every dependency works, else 503.
 */
export function healthRouter(probe: ReadinessProbe): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', node: process.versions.node });
  });
  router.get('/readyz', async (_req, res, next) => {
    try {
      const r = await probe.check();
      res.status(r.ready ? 200 : 503).json(r);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
