import type { SalesforceEmulator } from '@teams-bridge/emulators/salesforce/index.ts';
import type { ExpectedItem, TrafficKind } from './kind.ts';
import { v1Headers } from './v1-auth.ts';

/**
 * Opportunity handoffs as the package produces them: each tick creates an Opportunity linked to the chaos
 * channel (a Teams_Channel_Link__c, as the linking component writes it) and moves it to the handoff stage
 * (Teams_Bridge_Setting__mdt.Handoff_Stage__c); the trigger's item goes to `POST /v1/outbound` through the
 * balancer as the Queueable (TeamsOutboundCalloutJob) sends it: `{ items: [...] }`, the JWT of the Named
 * Credential, the key `OpportunityHandoff:<id>:<previous stage>:<previous LastModifiedDate>`. Every fifth
 * tick moves two Opportunities in one transaction, so one batch carries two items. A transient failure (no
 * answer, timeout, 408/425/429/500/502/503/504, a 2xx that is not JSON) is retried with the same batch, the same keys,
 * after the Queueable's delays (1, 2, 5, 10 minutes, here on the run's compressed clock), at most 5
 * attempts; a batch that gives up (or is refused) is what the org would record as a Teams_Outbound_Failure__c.
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
    private readonly channel: { teamId: string; teamName: string; channelId: string; channelName: string },
    readonly rate: number,
    /** Milliseconds of the run's clock per minute of the Queueable's delays. */
    private readonly msPerMinute: number,
  ) {
    this.stage = handoffStage(sf);
  }

  async tick(): Promise<void> {
    const i = this.n++;
    const names = i % 5 === 4 ? [`Chaos handoff ${i}a`, `Chaos handoff ${i}b`] : [`Chaos handoff ${i}`];
    this.handoff(names.map((name) => ({ name })));
    await Promise.resolve();
  }

  /** Opportunities of the run's own choosing (the NUL and markup fault), moved to the stage in one transaction. */
  handoff(opportunities: { name: string; nextStep?: string }[]): HandoffSent[] {
    const items = opportunities.map((o) => this.moveToHandoffStage(o.name, o.nextStep));
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

  private moveToHandoffStage(name: string, nextStep = 'Kick-off call with the delivery team'): OutboundItem {
    const sf = this.sf;
    const owner = sf.control.query(
      `SELECT Id, Name, Email FROM User WHERE Username = '${sf.adminUser.username}' LIMIT 1`,
    ).records[0]!;
    const [id] = sf.control.seed('Opportunity', {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2027-03-31',
      Amount: 48_000 + (this.n % 7) * 1_000,
      NextStep: nextStep,
      OwnerId: owner.Id,
    });
    sf.control.seed('Teams_Channel_Link__c', {
      Name: this.channel.channelName,
      Opportunity__c: id,
      Team_Id__c: this.channel.teamId,
      Team_Name__c: this.channel.teamName,
      Channel_Id__c: this.channel.channelId,
      Channel_Name__c: this.channel.channelName,
      Web_Url__c: `https://teams.microsoft.com/l/channel/${encodeURIComponent(this.channel.channelId)}/chaos`,
      Status__c: 'Active',
    });
    const before = sf.control.record(id!)!;
    sf.control.update('Opportunity', id!, { StageName: this.stage });
    const after = sf.control.record(id!)!;
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
        ownerId: String(owner.Id),
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
