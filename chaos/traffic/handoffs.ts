import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import type { ExpectedItem, TrafficKind } from './kind.ts';
import { v1Headers } from './v1-auth.ts';

/**
 * Opportunity handoffs as the package produces them: an Opportunity moves to the handoff stage
 * (Teams_Bridge_Setting__mdt.Handoff_Stage__c) and the trigger's item goes to `POST /v1/outbound` through the
 * balancer as the Queueable (TeamsOutboundCalloutJob) sends it: `{ items: [...] }`, the JWT of the Named
 * Credential, the key `OpportunityHandoff:<id>:<previous stage>:<previous LastModifiedDate>`. Every fifth
 * tick moves two Opportunities in one transaction, so one batch carries two items. A transient failure (no
 * answer, timeout, 408/425/429/500/502/503/504, a 2xx that is not JSON) is retried with the same batch, the same keys,
 * after the Queueable's delays (1, 2, 5, 10 minutes, here on the run's compressed clock), at most 5
 * attempts; a batch that gives up (or is refused) is what the org would record as a Teams_Outbound_Failure__c.
 *
 * Which Opportunity: a channel links to one record only (Teams_Channel_Link__c.Channel_Id__c is unique), so
 * every fourth handoff moves the Opportunity linked to the chaos channel back a stage and forward again (its
 * card follows the link); the others are new Opportunities without a link, whose cards go to the pipeline
 * channel, which the run makes the chaos channel too (OUTBOUND_PIPELINE_TEAM_ID / _CHANNEL_ID).
 */
export interface HandoffSent {
  key: string;
  opportunityId: string;
  sentAt: number;
}

interface Batch {
  items: OutboundItem[];
  attempt: number;
}

interface OutboundItem {
  idempotencyKey: string;
  kind: 'OpportunityHandoff';
  recordId: string;
  payload: Record<string, unknown>;
}

/** TeamsOutboundCalloutJob.MAX_ATTEMPTS and DELAY_MINUTES. */
const MAX_ATTEMPTS = 5;
const DELAY_MINUTES = [1, 2, 5, 10];
/** TeamsBridgeServiceClient.TRANSIENT_STATUSES (and TIMEOUT_MS below). */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);
const CALLOUT_TIMEOUT_MS = 20_000;

export class HandoffTraffic implements TrafficKind {
  readonly name = 'Opportunity handoffs';
  readonly sent: HandoffSent[] = [];
  /** Batches the Queueable gave up on or the service refused (Teams_Outbound_Failure__c in the org). */
  readonly failed: { keys: string[]; reason: string }[] = [];
  /** Callouts made again after a transient failure, and items the service answered as duplicates. */
  retries = 0;
  duplicatesAnswered = 0;
  private readonly jobs = new Set<Promise<void>>();
  private readonly recent: Batch[] = [];
  private readonly stage: string;
  private n = 0;

  constructor(
    private readonly sf: SalesforceEmulator,
    private readonly baseUrl: () => string,
    /** The Opportunity the chaos channel's Teams_Channel_Link__c names. */
    private readonly linkedOpportunityId: string,
    readonly rate: number,
    /** Milliseconds of the run's clock per minute of the Queueable's delays. */
    private readonly msPerMinute: number,
  ) {
    this.stage = handoffStage(sf);
  }

  async tick(): Promise<void> {
    const i = this.n++;
    if (i % 4 === 3) this.handoff([{ linked: true }]);
    else if (i % 5 === 4) this.handoff([{ name: `Chaos handoff ${i}a` }, { name: `Chaos handoff ${i}b` }]);
    else this.handoff([{ name: `Chaos handoff ${i}` }]);
    await Promise.resolve();
  }

  /** Opportunities of the run's own choosing (the NUL and markup fault), moved to the stage in one transaction. */
  handoff(opportunities: { name?: string; nextStep?: string; linked?: boolean }[]): HandoffSent[] {
    const items = opportunities.map((o) =>
      this.moveToHandoffStage(
        o.linked ? this.linkedOpportunityId : this.create(o.name ?? 'Chaos handoff', o.nextStep),
      ),
    );
    const sentAt = Date.now();
    const sent = items.map((item) => ({ key: item.idempotencyKey, opportunityId: item.recordId, sentAt }));
    this.sent.push(...sent);
    this.enqueue({ items, attempt: 1 });
    return sent;
  }

  /** The same batches again (a trigger re-run, a retried outbound failure): the same keys, duplicates. */
  replayRecent(count: number): void {
    for (const batch of this.recent.slice(-count)) this.enqueue({ items: batch.items, attempt: 1 });
  }

  /** Resolves when every Queueable job has delivered or given up. */
  async drain(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  expected(): ExpectedItem[] {
    return this.sent.map((s) => ({ key: s.key, unit: s.opportunityId, sentAt: s.sentAt }));
  }

  private create(name: string, nextStep = 'Kick-off call with the delivery team'): string {
    const [id] = this.sf.control.seed('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2027-03-31',
      Amount: 48_000 + (this.n % 7) * 1_000,
      NextStep: nextStep,
    });
    return id!;
  }

  private moveToHandoffStage(id: string): OutboundItem {
    const sf = this.sf;
    if (sf.control.record(id)!.StageName === this.stage)
      sf.control.update('Opportunity', id, { StageName: 'Prospecting' });
    const before = sf.control.record(id)!;
    sf.control.update('Opportunity', id, { StageName: this.stage });
    const after = sf.control.record(id)!;
    const owner = sf.control.record(String(after.OwnerId))!;
    return {
      idempotencyKey: `OpportunityHandoff:${id}:${String(before.StageName)}:${String(before.LastModifiedDate)}`,
      kind: 'OpportunityHandoff',
      recordId: id!,
      payload: {
        name: String(after.Name),
        amount: after.Amount as number,
        currencyIsoCode: 'USD',
        closeDate: String(after.CloseDate),
        stageName: String(after.StageName),
        nextStep: (after.NextStep as string | null) ?? null,
        ownerId: String(after.OwnerId),
        ownerName: String(owner.Name),
        ownerEmail: String(owner.Email),
        recordUrl: `${sf.instanceUrl}/lightning/r/Opportunity/${id}/view`,
        accountName: null,
      },
    };
  }

  private enqueue(batch: Batch): void {
    this.recent.push(batch);
    if (this.recent.length > 20) this.recent.shift();
    const job = this.run(batch);
    this.jobs.add(job);
    void job.finally(() => this.jobs.delete(job));
  }

  /** One Queueable chain: attempt, and on a transient failure the next attempt after its delay. */
  private async run(batch: Batch): Promise<void> {
    for (let attempt = batch.attempt; ; attempt++) {
      const outcome = await this.callout(batch.items);
      if (outcome === 'delivered') return;
      if (outcome !== 'transient' || attempt >= MAX_ATTEMPTS) {
        this.failed.push({
          keys: batch.items.map((i) => i.idempotencyKey),
          reason: `attempt ${attempt}: ${outcome === 'transient' ? 'still failing' : outcome}`,
        });
        return;
      }
      this.retries++;
      const minutes = DELAY_MINUTES[Math.min(attempt, DELAY_MINUTES.length) - 1]!;
      await new Promise((r) => setTimeout(r, minutes * this.msPerMinute));
    }
  }

  private async callout(items: OutboundItem[]): Promise<'delivered' | 'transient' | string> {
    try {
      const res = await fetch(`${this.baseUrl()}/v1/outbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await v1Headers(this.sf.calloutSigner)) },
        body: JSON.stringify({ items }),
        signal: AbortSignal.timeout(CALLOUT_TIMEOUT_MS),
      });
      const text = await res.text();
      if (TRANSIENT.has(res.status)) return 'transient';
      if (res.status >= 300) return `${res.status} ${text.slice(0, 200)}`;
      let body: { duplicates?: number };
      try {
        body = JSON.parse(text) as { duplicates?: number };
      } catch {
        return 'transient';
      }
      this.duplicatesAnswered += body.duplicates ?? 0;
      return 'delivered';
    } catch {
      return 'transient';
    }
  }
}

function handoffStage(sf: SalesforceEmulator): string {
  const rows = sf.control.query(
    "SELECT Handoff_Stage__c FROM Teams_Bridge_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1",
  ).records;
  const stage = rows[0]?.Handoff_Stage__c;
  if (typeof stage !== 'string' || !stage) throw new Error('the package sets no Handoff_Stage__c');
  return stage;
}
