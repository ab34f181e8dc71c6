import type { Answer } from './processes/balancer.ts';
import type { ExpectedItem } from './traffic/kind.ts';

/** One row of the closing table: what happened to the traffic sent while a fault (or none) was on. */
export interface Row {
  fault: string;
  messages: number;
  tasks: number;
  handoffs: number;
  cards: number;
  /** Handoffs whose Opportunity holds the Teams link of its card (Teams_Message_Url__c). */
  links: number;
  /** Tasks and cards missing at the end (a Task per expected key, a card per handoff). */
  lost: number;
  duplicated: number;
  recoverSeconds: number;
  p99WebhookMs: number;
  readiness: string;
}

export interface Window {
  name: string;
  start: number;
  end: number;
}

/** What the handoffs came to: expected card markers, the cards seen by marker, the links written back. */
export interface CardBooks {
  expected: ExpectedItem[];
  seen: Map<string, TaskSeen>;
  linked: Set<string>;
}

export interface TaskSeen {
  count: number;
  firstSeen: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Books for the traffic sent within one window. */
export function rowFor(
  window: Window,
  expected: ExpectedItem[],
  seen: Map<string, TaskSeen>,
  answers: Answer[],
  readiness: { judged: number; correct: number },
  sent: { sentAt: number }[],
  cardBooks: CardBooks,
): Row {
  const inWindow = (at: number) => at >= window.start && at < window.end;
  let lost = 0;
  let duplicated = 0;
  let lastSeen = 0;
  const tally = (items: ExpectedItem[], found: Map<string, TaskSeen>) => {
    let present = 0;
    for (const e of items) {
      const s = found.get(e.key);
      if (!s) {
        lost++;
        continue;
      }
      present++;
      duplicated += s.count - 1;
      lastSeen = Math.max(lastSeen, s.firstSeen);
    }
    return present;
  };
  const tasks = tally(
    expected.filter((e) => inWindow(e.sentAt)),
    seen,
  );
  const handoffs = cardBooks.expected.filter((e) => inWindow(e.sentAt));
  const cards = tally(handoffs, cardBooks.seen);
  const webhook = answers.filter((a) => a.at >= window.start && a.at < window.end).map((a) => a.ms);
  return {
    fault: window.name,
    messages: sent.filter((m) => inWindow(m.sentAt)).length,
    tasks,
    handoffs: handoffs.length,
    cards,
    links: handoffs.filter((h) => cardBooks.linked.has(h.key)).length,
    lost,
    duplicated,
    recoverSeconds: Math.max(0, Math.round((lastSeen - window.end) / 100) / 10),
    p99WebhookMs: percentile(webhook, 99),
    readiness:
      readiness.judged === 0
        ? 'n/a'
        : readiness.correct === readiness.judged
          ? `yes (${readiness.judged})`
          : `NO ${readiness.correct}/${readiness.judged}`,
  };
}

export function printTable(rows: Row[], write: (line: string) => void): void {
  const head = [
    'fault',
    'messages',
    'Tasks',
    'handoffs',
    'cards',
    'links',
    'lost',
    'duplicated',
    'recover s',
    'p99 webhook ms',
    'readiness correct',
  ];
  const cells = rows.map((r) => [
    r.fault,
    String(r.messages),
    String(r.tasks),
    String(r.handoffs),
    String(r.cards),
    String(r.links),
    String(r.lost),
    String(r.duplicated),
    String(r.recoverSeconds),
    String(r.p99WebhookMs),
    r.readiness,
  ]);
  write(`| ${head.join(' | ')} |`);
  write(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const c of cells) write(`| ${c.join(' | ')} |`);
}
