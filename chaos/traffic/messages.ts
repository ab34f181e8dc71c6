import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { taskKey } from '../../callout-service/src/inbound/idempotency-key.ts';
import type { ExpectedItem, TrafficKind } from './kind.ts';

/**
 * Channel messages and replies in the linked channel, with a known share matching the package's rules:
 * 3 in 10 carry a deal-desk keyword (critical rule), 2 in 10 a competitor (non-critical), 1 in 10 both, the
 * rest nothing. 4 in 10 are replies to a recent root. Each message's expected Task keys are known up front.
 */
const DEAL = 'Deal_Desk_Keywords';
const COMPETITOR = 'Competitor_Mentions';
const SHAPES: { text: string; rules: string[] }[] = [
  { text: 'can we get a <b>discount</b> on the renewal?', rules: [DEAL] },
  { text: 'this needs a <i>legal review</i> first', rules: [DEAL] },
  { text: 'send the MSA redline today', rules: [DEAL] },
  { text: 'Globex called the buyer again', rules: [COMPETITOR] },
  { text: 'they compared us with Initech', rules: [COMPETITOR] },
  { text: 'Acme Corp offered a discount', rules: [DEAL, COMPETITOR] },
  { text: 'lunch at noon?', rules: [] },
  { text: 'see the attached deck', rules: [] },
  { text: 'thanks, all good', rules: [] },
  { text: 'call moved to 3pm', rules: [] },
];

export interface PostedMessage {
  id: string;
  replyToId: string | null;
  sentAt: number;
  rules: string[];
}

export class MessageTraffic implements TrafficKind {
  readonly name = 'channel messages';
  readonly posted: PostedMessage[] = [];
  private readonly roots: string[] = [];
  private n = 0;

  constructor(
    private readonly graph: GraphEmulator,
    private readonly channel: { teamId: string; channelId: string },
    private readonly authors: string[],
    readonly rate: number,
  ) {}

  async tick(): Promise<void> {
    const i = this.n++;
    const shape = SHAPES[(i * 7) % SHAPES.length]!;
    const replyTo =
      i % 10 < 4 && this.roots.length > 0
        ? this.roots[this.roots.length - 1 - (i % Math.min(5, this.roots.length))]
        : undefined;
    this.post(`<p>#${i} ${shape.text}</p>`, shape.rules, replyTo);
  }

  /** A message of the run's own choosing (the NUL and markup fault), with its expected rules. */
  post(content: string, rules: string[], replyToId?: string): PostedMessage {
    const m = this.graph.control.postMessage({
      ...this.channel,
      from: this.authors[this.n % this.authors.length]!,
      content,
      ...(replyToId ? { replyToId } : {}),
    });
    if (!replyToId) this.roots.push(m.id);
    const posted = { id: m.id, replyToId: replyToId ?? null, sentAt: Date.now(), rules };
    this.posted.push(posted);
    return posted;
  }

  expected(): ExpectedItem[] {
    return this.posted.flatMap((m) =>
      m.rules.map((rule) => ({
        key: taskKey(this.channel.teamId, this.channel.channelId, m.id, rule),
        unit: m.id,
        sentAt: m.sentAt,
      })),
    );
  }
}
