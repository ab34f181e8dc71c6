import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from '@prometheus-io/client';

/**
 * One @prometheus-io/client (formerly prom-client) registry per service instance (tests run several instances in one process).
 * Inbound counters live here; other parts add their gauges to `registry`.
 */
export interface Metrics {
  registry: Registry;
  notificationsReceived: Counter<'kind'>;
  notificationsRejected: Counter<'reason'>;
  jobsQueued: Counter<'queue'>;
  jobsDone: Counter<'outcome'>;
  jobsFailed: Counter<'reason'>;
  jobsDead: Counter<'queue'>;
  tasksWritten: Counter<'result'>;
  endToEndLatency: Histogram<'rule_kind'>;
  webhookDuration: Histogram<'route'>;
  salesforceApiUsage: Gauge<'kind'>;
  salesforceCalls: Counter<'operation'>;
  graphCalls: Counter<'operation'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: 'teams_bridge_' });
  const registers = [registry];
  return {
    registry,
    notificationsReceived: new Counter({
      name: 'teams_bridge_notifications_received_total',
      help: 'Graph change notifications received (before validation)',
      labelNames: ['kind'],
      registers,
    }),
    notificationsRejected: new Counter({
      name: 'teams_bridge_notifications_rejected_total',
      help: 'Graph change notifications discarded, by reason',
      labelNames: ['reason'],
      registers,
    }),
    jobsQueued: new Counter({
      name: 'teams_bridge_jobs_queued_total',
      help: 'Jobs written to the queue',
      labelNames: ['queue'],
      registers,
    }),
    jobsDone: new Counter({
      name: 'teams_bridge_jobs_done_total',
      help: 'Jobs completed, by outcome (tasks, no-match, duplicate, unknown-channel, skipped)',
      labelNames: ['outcome'],
      registers,
    }),
    jobsFailed: new Counter({
      name: 'teams_bridge_jobs_failed_total',
      help: 'Job attempts that failed and will be retried (or dead-lettered)',
      labelNames: ['reason'],
      registers,
    }),
    jobsDead: new Counter({
      name: 'teams_bridge_jobs_dead_total',
      help: 'Jobs that failed for good and were kept as dead letters',
      labelNames: ['queue'],
      registers,
    }),
    tasksWritten: new Counter({
      name: 'teams_bridge_tasks_written_total',
      help: 'Task upserts confirmed by Salesforce (created or updated)',
      labelNames: ['result'],
      registers,
    }),
    endToEndLatency: new Histogram({
      name: 'teams_bridge_end_to_end_latency_seconds',
      help: 'From the notification reaching the webhook to the Task confirmed by Salesforce',
      labelNames: ['rule_kind'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
      registers,
    }),
    webhookDuration: new Histogram({
      name: 'teams_bridge_webhook_duration_seconds',
      help: 'Time to answer a Graph webhook request',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    salesforceApiUsage: new Gauge({
      name: 'teams_bridge_salesforce_api_usage',
      help: 'Salesforce daily API requests as reported by Sforce-Limit-Info (kind=used|limit|ratio)',
      labelNames: ['kind'],
      registers,
    }),
    salesforceCalls: new Counter({
      name: 'teams_bridge_salesforce_calls_total',
      help: 'Salesforce REST calls made by the service',
      labelNames: ['operation'],
      registers,
    }),
    graphCalls: new Counter({
      name: 'teams_bridge_graph_calls_total',
      help: 'Microsoft Graph calls made by the service',
      labelNames: ['operation'],
      registers,
    }),
  };
}
