import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import type { Balancer } from './processes/balancer.ts';
import type { PostgresProcess } from './processes/postgres.ts';
import type { Replica } from './processes/replica.ts';
import type { HandoffTraffic } from './traffic/handoffs.ts';
import type { HostileTraffic } from './traffic/hostile.ts';
import type { MessageTraffic } from './traffic/messages.ts';

/** The dependencies /readyz reports on (see callout-service/src/ops/health.ts). */
export type Dependency = 'database' | 'entra' | 'graph' | 'salesforce';

export interface FaultContext {
  graph: GraphEmulator;
  sf: SalesforceEmulator;
  postgres: PostgresProcess;
  replicas: Replica[];
  balancer: Balancer;
  messages: MessageTraffic;
  handoffs: HandoffTraffic;
  hostile: HostileTraffic;
  dailyApiRequests: number;
  /** Marks the moment a dependency goes down or comes back (readiness is judged against these). */
  markDown(dependency: Dependency, down: boolean): void;
  /** Notes a check a fault makes of its own (shown under the table; a failed one fails the run). */
  check(name: string, ok: boolean, detail?: string): void;
  /** Reads the replicas' counters now (before one is killed and its counters with it). */
  scrape(): Promise<void>;
}

export interface Fault {
  name: string;
  /** Runs the fault for about `ms` and undoes it; resolves once the fault is over. */
  run(ctx: FaultContext, ms: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const FAULTS: Record<string, Fault> = {
  'replica kill -9 + restart': {
    name: 'replica kill -9 + restart',
    async run(ctx, ms) {
      const victim = ctx.replicas[0]!;
      // Its rejection counter dies with it: read it last with no forged request in between.
      await ctx.hostile.paused(async () => {
        await ctx.scrape();
        await victim.kill9();
      });
      await sleep(Math.min(ms, 3000));
      await victim.start();
      await sleep(Math.max(0, ms - 3000));
    },
  },
  'PostgreSQL stopped': {
    name: 'PostgreSQL stopped',
    async run(ctx, ms) {
      ctx.markDown('database', true);
      await ctx.postgres.stop();
      await sleep(ms);
      await ctx.postgres.start();
      ctx.markDown('database', false);
    },
  },
  'Salesforce session expired': {
    name: 'Salesforce session expired',
    async run(ctx, ms) {
      ctx.sf.control.expireSessions();
      await sleep(ms);
    },
  },
  'API allocation at 85%': {
    name: 'API allocation at 85%',
    async run(ctx, ms) {
      ctx.sf.control.setLimits({ used: Math.round(ctx.dailyApiRequests * 0.85) });
      await sleep(ms);
      ctx.sf.control.setLimits({ used: 0 });
    },
  },
  'API allocation exhausted': {
    name: 'API allocation exhausted',
    async run(ctx, ms) {
      ctx.sf.control.exhaustApiLimit();
      await sleep(ms);
      ctx.sf.control.setLimits({ used: 0 });
    },
  },
  'Graph 429': {
    name: 'Graph 429',
    async run(ctx, ms) {
      ctx.markDown('graph', true);
      ctx.graph.control.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 2, target: 'graph' });
      await sleep(ms);
      ctx.graph.control.clearFaults();
      ctx.markDown('graph', false);
    },
  },
  'Graph 503': {
    name: 'Graph 503',
    async run(ctx, ms) {
      ctx.markDown('graph', true);
      ctx.graph.control.setFaults({ errorRate: 1, errorStatus: 503, retryAfterSeconds: 2, target: 'graph' });
      await sleep(ms);
      ctx.graph.control.clearFaults();
      ctx.markDown('graph', false);
    },
  },
  'Graph tokens invalidated': {
    name: 'Graph tokens invalidated',
    async run(ctx, ms) {
      ctx.graph.control.expireTokens();
      await sleep(ms);
    },
  },
  'subscription removed (lifecycle)': {
    name: 'subscription removed (lifecycle)',
    async run(ctx, ms) {
      const sub = ctx.graph.control.subscriptions()[0];
      if (sub) ctx.graph.control.triggerLifecycle({ subscriptionId: sub.id, event: 'subscriptionRemoved' });
      ctx.check('a subscription existed to remove (lifecycle)', !!sub);
      await sleep(ms);
    },
  },
  'subscription removed (silently)': {
    name: 'subscription removed (silently)',
    async run(ctx, ms) {
      const sub = ctx.graph.control.subscriptions()[0];
      if (sub) ctx.graph.control.removeSubscription({ subscriptionId: sub.id });
      ctx.check('a subscription existed to remove (silently)', !!sub);
      await sleep(ms);
    },
  },
  "endpoint in Graph's drop state": {
    name: "endpoint in Graph's drop state",
    async run(ctx, ms) {
      // Slow answers (above the stand-in's threshold) until Graph drops notifications for the endpoint.
      ctx.balancer.webhookDelayMs = 1500;
      const deadline = Date.now() + Math.max(ms, 30_000);
      let dropped = false;
      while (Date.now() < deadline && !dropped) {
        dropped = Object.values(ctx.graph.control.endpointStates()).some((s) => s.state === 'drop');
        await sleep(250);
      }
      ctx.balancer.webhookDelayMs = 0;
      ctx.check("the endpoint reached Graph's drop state", dropped);
      await sleep(ms);
    },
  },
  'duplicate + out-of-order deliveries': {
    name: 'duplicate + out-of-order deliveries',
    async run(ctx, ms) {
      ctx.graph.control.setFaults({ duplicateNotificationRate: 0.5 });
      // Earlier deliveries sent again, newest first: duplicates that arrive out of order.
      const earlier = ctx.graph.control
        .deliveries({ kind: 'change', outcome: 'delivered' })
        .slice(-30)
        .reverse();
      const url = `${ctx.balancer.url}/graph/notifications`;
      for (const d of earlier) {
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(d.body),
        }).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
      }
      // The Queueable's side: recent batches sent again with their keys (a trigger re-run, a retried failure).
      ctx.handoffs.replayRecent(10);
      await sleep(ms);
      ctx.graph.control.setFaults({ duplicateNotificationRate: 0 });
    },
  },
  'message with NUL and hostile markup': {
    name: 'message with NUL and hostile markup',
    async run(ctx, ms) {
      ctx.messages.post(
        '<p>discount\u0000 needed &lt;script&gt;alert(1)&lt;/script&gt;<img src=x onerror=alert(2)></p>',
        ['Deal_Desk_Keywords'],
      );
      const root = ctx.messages.post('<p>Globex \u0000<iframe src="javascript:alert(3)"></iframe></p>', [
        'Competitor_Mentions',
      ]);
      ctx.messages.post('legal review <script>alert(4)</script>\u0000', ['Deal_Desk_Keywords'], root.id);
      ctx.handoffs.handoff([
        {
          name: 'Chaos **handoff** \u0000<script>alert(5)</script>',
          nextStep: '[call](javascript:alert(6)) \u0000 <img src=x onerror=alert(7)>',
        },
      ]);
      await sleep(ms);
    },
  },
  'Bot Framework 429 (Retry-After)': {
    name: 'Bot Framework 429 (Retry-After)',
    async run(ctx, ms) {
      // Teams' per-thread limit squeezed to one post per 3 s: every other post is answered 429 with a
      // Retry-After, which the service must honour without spending attempts or posting twice.
      const since = new Date().toISOString();
      ctx.graph.control.setBotLimits({ perThread: [{ limit: 1, windowMs: 3_000 }] });
      await sleep(ms);
      ctx.graph.control.setBotLimits({ documented: true });
      const throttled = ctx.graph.control
        .requests({ pathContains: '/botframework/', since })
        .filter((r) => r.status === 429).length;
      ctx.check('the Bot Framework answered 429 during its fault', throttled > 0, `${throttled} answers`);
    },
  },
  'slow Salesforce (2 s per call)': {
    name: 'slow Salesforce (2 s per call)',
    async run(ctx, ms) {
      ctx.sf.control.setFaults({ latencyMs: 2000 });
      await sleep(ms);
      ctx.sf.control.setFaults({ latencyMs: 0 });
    },
  },
};

/** Faults run together in the second half: each name is a key of FAULTS. */
export const OVERLAPS: string[][] = [
  [
    'replica kill -9 + restart',
    'Graph 503',
    'slow Salesforce (2 s per call)',
    'Bot Framework 429 (Retry-After)',
  ],
  ['PostgreSQL stopped', 'API allocation at 85%', 'duplicate + out-of-order deliveries'],
  ['Graph tokens invalidated', 'subscription removed (silently)', 'Salesforce session expired'],
];
