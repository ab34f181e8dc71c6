/**
 * Sends change and lifecycle notifications the way Graph does: asynchronously, batched per endpoint,
 * retried with exponential backoff on 5xx and timeouts within a bounded window, with per-endpoint slow/drop
 * state, and with the drop/duplicate faults applied.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context.ts';
import { shouldApply } from './faults.ts';

export type DeliveryKind = 'change' | 'lifecycle';

export interface PendingNotification {
  kind: DeliveryKind;
  url: string;
  appId: string;
  /** One item of the `value` array. */
  item: Record<string, unknown>;
  /** Rich notifications carry validationTokens. */
  rich: boolean;
}

export interface DeliveryRecord {
  id: string;
  at: string;
  kind: DeliveryKind | 'validation';
  url: string;
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'failed' | 'rejected' | 'dropped';
  status?: number;
  error?: string;
  durationMs?: number;
  reason?: string;
  /** The JSON body posted (the `value` array and any validationTokens). */
  body?: { value: Record<string, unknown>[]; validationTokens?: string[] };
  duplicate?: boolean;
}

export type EndpointState = 'normal' | 'slow' | 'drop';

interface Queue {
  items: PendingNotification[];
  timer?: NodeJS.Timeout;
  inFlight: boolean;
}

export class Notifier {
  private queues = new Map<string, Queue>();
  private samples = new Map<string, { at: number; slow: boolean }[]>();
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<unknown>>();
  readonly deliveries: DeliveryRecord[] = [];
  private closed = false;

  constructor(private readonly ctx: EmulatorContext) {}

  private record(entry: Omit<DeliveryRecord, 'id' | 'at'>): void {
    this.deliveries.push({ id: randomUUID(), at: new Date().toISOString(), ...entry });
    if (this.deliveries.length > 2000) this.deliveries.splice(0, this.deliveries.length - 2000);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  endpointState(url: string): { state: EndpointState; samples: number; slowShare: number } {
    const options = this.ctx.options.delivery;
    const cutoff = Date.now() - options.stateWindowMs;
    const recent = (this.samples.get(url) ?? []).filter((s) => s.at >= cutoff);
    this.samples.set(url, recent);
    const slow = recent.filter((s) => s.slow).length;
    const share = recent.length === 0 ? 0 : slow / recent.length;
    let state: EndpointState = 'normal';
    if (recent.length >= options.minSamples) {
      if (share > options.dropShare) state = 'drop';
      else if (share > options.slowShare) state = 'slow';
    }
    return { state, samples: recent.length, slowShare: share };
  }

  endpointStates(): Record<string, ReturnType<Notifier['endpointState']>> {
    return Object.fromEntries([...this.samples.keys()].map((url) => [url, this.endpointState(url)]));
  }

  enqueue(notification: PendingNotification): void {
    if (this.closed) return;
    const faults = this.ctx.faults;
    if (
      notification.kind === 'change' &&
      shouldApply(faults, 'dropNextNotifications', 'dropNotificationRate')
    ) {
      this.record({
        kind: notification.kind,
        url: notification.url,
        attempt: 0,
        outcome: 'dropped',
        reason: 'fault: dropped notification',
        body: { value: [notification.item] },
      });
      return;
    }
    const { state } = this.endpointState(notification.url);
    if (state === 'drop') {
      this.record({
        kind: notification.kind,
        url: notification.url,
        attempt: 0,
        outcome: 'dropped',
        reason: 'endpoint in drop state (too many slow answers)',
        body: { value: [notification.item] },
      });
      return;
    }
    const key = `${notification.kind}|${notification.url}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { items: [], inFlight: false }));
    queue.items.push(notification);
    this.schedule(
      key,
      queue,
      state === 'slow' ? this.ctx.options.delivery.slowDelayMs : this.ctx.options.delivery.batchWindowMs,
    );
  }

  private schedule(key: string, queue: Queue, delayMs: number): void {
    if (queue.timer || queue.inFlight) return;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      this.timers.delete(timer);
      this.flush(key, queue).catch((error: Error) => {
        const [kind, url] = key.split('|') as [DeliveryKind, string];
        this.record({
          kind,
          url,
          attempt: 0,
          outcome: 'failed',
          reason: `could not build the notification: ${error.message}`,
        });
      });
    }, delayMs);
    const timer = queue.timer;
    timer.unref();
    this.timers.add(timer);
  }

  private async flush(key: string, queue: Queue): Promise<void> {
    if (this.closed || queue.items.length === 0) return;
    const batch = queue.items.splice(0, this.ctx.options.delivery.maxBatchSize);
    queue.inFlight = true;
    try {
      const body = await this.buildBody(batch);
      const duplicate =
        batch[0]!.kind === 'change' &&
        shouldApply(this.ctx.faults, 'duplicateNextNotifications', 'duplicateNotificationRate');
      const sends = [this.send(batch[0]!.kind, batch[0]!.url, body, 1, Date.now(), false)];
      if (duplicate) sends.push(this.send(batch[0]!.kind, batch[0]!.url, body, 1, Date.now(), true));
      await Promise.all(sends);
    } finally {
      queue.inFlight = false;
      // Whatever queued up meanwhile goes out together in the next POST.
      if (queue.items.length > 0) this.schedule(key, queue, this.ctx.options.delivery.batchWindowMs);
    }
  }

  private async buildBody(batch: PendingNotification[]) {
    const body: { value: Record<string, unknown>[]; validationTokens?: string[] } = {
      value: batch.map((n) => n.item),
    };
    const richApps = [...new Set(batch.filter((n) => n.rich).map((n) => n.appId))];
    if (richApps.length > 0)
      body.validationTokens = await Promise.all(
        richApps.map((appId) => this.ctx.tokens.signValidationToken(appId)),
      );
    return body;
  }

  private send(
    kind: DeliveryKind,
    url: string,
    body: DeliveryRecord['body'],
    attempt: number,
    firstAt: number,
    duplicate: boolean,
  ): Promise<void> {
    const task = this.attempt(kind, url, body, attempt, firstAt, duplicate);
    this.inFlight.add(task);
    return task.finally(() => this.inFlight.delete(task));
  }

  private async attempt(
    kind: DeliveryKind,
    url: string,
    body: DeliveryRecord['body'],
    attempt: number,
    firstAt: number,
    duplicate: boolean,
  ) {
    const options = this.ctx.options.delivery;
    const started = Date.now();
    let status: number | undefined;
    let error: string | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.status;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      const name = (caught as Error).name;
      error =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${options.timeoutMs} ms`
          : (caught as Error).message;
    }
    const durationMs = Date.now() - started;
    if (this.closed) return;
    const samples = this.samples.get(url) ?? [];
    samples.push({ at: Date.now(), slow: error !== undefined || durationMs > options.slowThresholdMs });
    this.samples.set(url, samples);

    if (status !== undefined && status >= 200 && status < 300) {
      this.record({ kind, url, attempt, outcome: 'delivered', status, durationMs, body, duplicate });
      return;
    }
    const retryable = error !== undefined || status === 429 || (status !== undefined && status >= 500);
    if (!retryable) {
      this.record({
        kind,
        url,
        attempt,
        outcome: 'rejected',
        status,
        durationMs,
        body,
        duplicate,
        reason: `endpoint answered ${status}; not retried`,
      });
      return;
    }
    const backoff = Math.min(options.retryInitialDelayMs * 2 ** (attempt - 1), options.retryMaxDelayMs);
    const delay = Math.max(backoff, retryAfterMs ?? 0);
    if (Date.now() + delay - firstAt > options.retryWindowMs) {
      this.record({
        kind,
        url,
        attempt,
        outcome: 'failed',
        status,
        error,
        durationMs,
        body,
        duplicate,
        reason: 'retry window exhausted; notification lost',
      });
      return;
    }
    this.record({
      kind,
      url,
      attempt,
      outcome: 'retrying',
      status,
      error,
      durationMs,
      body,
      duplicate,
      reason: `retry in ${delay} ms`,
    });
    this.later(delay, () => void this.send(kind, url, body, attempt + 1, firstAt, duplicate));
  }

  /** The subscription handshake: POST ?validationToken=..., expecting 200 text/plain echoing the token in time. */
  async validate(url: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    const started = Date.now();
    const fail = (code: string, message: string, status?: number) => {
      this.record({
        kind: 'validation',
        url,
        attempt: 1,
        outcome: 'rejected',
        status,
        durationMs: Date.now() - started,
        reason: message,
      });
      return { ok: false as const, code, message };
    };
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: '',
        signal: AbortSignal.timeout(this.ctx.options.validationTimeoutMs),
      });
      const text = await response.text();
      if (response.status !== 200) {
        return fail(
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
          response.status,
        );
      }
      const type = response.headers.get('content-type') ?? '';
      if (text !== token || !type.toLowerCase().startsWith('text/plain')) {
        return fail(
          'ValidationError',
          'Subscription validation request failed. Response must exactly match validationToken query parameter.',
          response.status,
        );
      }
      this.record({
        kind: 'validation',
        url,
        attempt: 1,
        outcome: 'delivered',
        status: 200,
        durationMs: Date.now() - started,
      });
      return { ok: true };
    } catch (caught) {
      const name = (caught as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return fail('InvalidRequest', 'Subscription validation request timed out.');
      return fail(
        'ValidationError',
        `Subscription validation request failed. Notification endpoint could not be reached: ${(caught as Error).message}.`,
      );
    }
  }

  /** Waits until nothing is queued or in flight (retries scheduled for later are not waited for). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.queues.values()].some((q) => q.items.length > 0 || q.inFlight || q.timer);
      if (!busy && this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const queue of this.queues.values()) {
      if (queue.timer) clearTimeout(queue.timer);
    }
    this.queues.clear();
    this.samples.clear();
    this.deliveries.length = 0;
  }

  close(): void {
    this.closed = true;
    this.reset();
  }
}
