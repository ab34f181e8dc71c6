import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import type { TrafficKind } from './kind.ts';
import type { CalloutSigner } from '@teams-bridge/emulators/salesforce/named-credential.ts';
import { v1BadHeaders, v1Headers } from './v1-auth.ts';

export type HostileKind =
  | 'wrong-client-state'
  | 'unknown-subscription'
  | 'malformed-json'
  | 'not-a-notification'
  | 'oversized-body'
  | 'v1-bad-auth'
  | 'v1-replayed-auth';

export interface HostileResult {
  kind: HostileKind;
  status: number;
  /** The answer said why (an error body), or, for notifications Graph must see accepted, 202 and no job. */
  reasonGiven: boolean;
  rejected: boolean;
  /** For a replay: how the first use of the token was answered (a replay is judged only after a 2xx). */
  firstStatus?: number;
}

const KINDS: HostileKind[] = [
  'wrong-client-state',
  'unknown-subscription',
  'malformed-json',
  'not-a-notification',
  'v1-bad-auth',
  'v1-replayed-auth',
  'wrong-client-state',
  'unknown-subscription',
  'oversized-body',
];

/**
 * Requests from someone who can reach the service but holds no valid token, sent through the balancer among
 * the good traffic. Forged notifications are answered 202 (Graph retries anything else) and must create no
 * job: their rejection is counted per reason in `teams_bridge_notifications_rejected_total`, which the
 * run reads from the replicas; everything else must be refused with a status and a reason.
 */
export class HostileTraffic implements TrafficKind {
  readonly name = 'hostile requests';
  readonly results: HostileResult[] = [];
  private n = 0;
  private inFlight = new Set<Promise<void>>();
  private resume: Promise<void> | undefined;

  constructor(
    private readonly baseUrl: () => string,
    private readonly graph: GraphEmulator,
    private readonly signer: CalloutSigner,
    readonly rate: number,
  ) {}

  async tick(): Promise<void> {
    await this.resume;
    const kind = KINDS[this.n++ % KINDS.length]!;
    const unit = this.send(kind).then(
      (result) => void this.results.push(result),
      () => void this.results.push({ kind, status: 0, reasonGiven: false, rejected: true }),
    );
    this.inFlight.add(unit);
    await unit;
    this.inFlight.delete(unit);
  }

  /**
   * Holds new hostile requests back and waits for those in flight while `during` runs: a replica's rejection
   * counter can then be read just before it is killed without a forged request landing in between (the
   * kill itself still hits the good traffic mid-flight). Held requests are sent afterwards, none dropped.
   */
  async paused<T>(during: () => Promise<T>): Promise<T> {
    let release!: () => void;
    this.resume = new Promise((r) => (release = r));
    try {
      await Promise.all(this.inFlight);
      return await during();
    } finally {
      release();
      this.resume = undefined;
    }
  }

  private async send(kind: HostileKind): Promise<HostileResult> {
    const base = this.baseUrl();
    const sub = this.graph.control.subscriptions()[0];
    const notification = (subscriptionId: string, clientState: string) =>
      JSON.stringify({
        value: [
          {
            subscriptionId,
            changeType: 'created',
            clientState,
            tenantId: 'forged',
            resource: `teams('x')/channels('y')/messages('${Date.now()}')`,
            resourceData: { id: '1' },
          },
        ],
      });
    const webhook = async (body: string | Buffer) =>
      await fetch(`${base}/graph/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    const withReason = async (res: Response) => {
      const text = await res.text();
      return res.status >= 400 && /"(message|error)"/.test(text);
    };
    switch (kind) {
      case 'wrong-client-state': {
        const res = await webhook(notification(sub?.id ?? 'none', 'guessed-client-state'));
        await res.arrayBuffer();
        return { kind, status: res.status, reasonGiven: res.status === 202, rejected: true };
      }
      case 'unknown-subscription': {
        const res = await webhook(notification(`forged-${'x'.repeat(500)}-${this.n}`, 'x'));
        await res.arrayBuffer();
        return { kind, status: res.status, reasonGiven: res.status === 202, rejected: true };
      }
      case 'malformed-json':
      case 'not-a-notification':
      case 'oversized-body': {
        const body =
          kind === 'malformed-json'
            ? '{"value": [ {"subscriptionId": '
            : kind === 'not-a-notification'
              ? JSON.stringify({ hello: 'world' })
              : Buffer.alloc(1_200_000, 'a');
        const res = await webhook(body);
        return { kind, status: res.status, reasonGiven: await withReason(res), rejected: res.status >= 400 };
      }
      case 'v1-bad-auth': {
        const res = await fetch(`${base}/v1/status`, {
          headers: await v1BadHeaders(this.signer),
          signal: AbortSignal.timeout(30_000),
        });
        return { kind, status: res.status, reasonGiven: await withReason(res), rejected: res.status === 401 };
      }
      case 'v1-replayed-auth': {
        // A request Salesforce really signed, sent again by whoever captured it.
        const headers = await v1Headers(this.signer);
        const first = await fetch(`${base}/v1/status`, { headers, signal: AbortSignal.timeout(30_000) });
        await first.arrayBuffer();
        const replay = await fetch(`${base}/v1/status`, { headers, signal: AbortSignal.timeout(30_000) });
        return {
          kind,
          status: replay.status,
          reasonGiven: await withReason(replay),
          rejected: replay.status === 401,
          firstStatus: first.status,
        };
      }
    }
  }
}
