import type { GraphEmulator } from '@teams-bridge/emulators/graph/index.ts';
import { cardMarker } from '../callout-service/src/outbound/card.ts';
import type { TaskSeen } from './books.ts';

const MARKER = /teams-bridge-[0-9a-f]{32}/;

/**
 * The handoff cards the bot posted in the chaos channel, read as Teams users see them (the Graph stand-in's
 * channel messages, author `from.application`), counted by the card's idempotency marker (card.ts
 * `cardMarker`, the root container's id): one message per handoff key is a card, two are a duplicate.
 */
export class CardWatch {
  /** By marker: how many bot messages carry it and when the first appeared. */
  readonly seen = new Map<string, TaskSeen>();
  /** Message id of the first card seen for each marker (the link written back must name it). */
  readonly messageIds = new Map<string, string[]>();
  private readonly known = new Set<string>();

  constructor(
    private readonly graph: GraphEmulator,
    private readonly channel: { teamId: string; channelId: string },
  ) {}

  static marker(idempotencyKey: string): string {
    return cardMarker(idempotencyKey);
  }

  scan(): void {
    const now = Date.now();
    for (const m of this.graph.control.messages(this.channel)) {
      if (this.known.has(m.id) || !m.from.application) continue;
      this.known.add(m.id);
      for (const a of m.attachments) {
        const marker = MARKER.exec(String(a.content ?? ''))?.[0];
        if (!marker) continue;
        const s = this.seen.get(marker);
        if (s) s.count++;
        else this.seen.set(marker, { count: 1, firstSeen: now });
        this.messageIds.set(marker, [...(this.messageIds.get(marker) ?? []), m.id]);
        break;
      }
    }
  }
}
