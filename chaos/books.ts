import type { Answer } from './processes/balancer.ts';
import type { ExpectedItem } from './traffic/kind.ts';

/** One row of the closing table: what happened to the traffic sent while a fault (or none) was on. */
export interface Row {
  fault: string;
  messages: number;
  tasks: number;
  handoffs: number | '-';
  cards: number | '-';
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
): Row {
  const inWindow = (at: number) => at >= window.start && at < window.end;
  const mine = expected.filter((e) => inWindow(e.sentAt));
  let tasks = 0;
  let lost = 0;
  let duplicated = 0;
  let lastSeen = 0;
  for (const e of mine) {
    const s = seen.get(e.key);
    if (!s) {
      lost++;
      continue;
    }
    tasks++;
    duplicated += s.count - 1;
    lastSeen = Math.max(lastSeen, s.firstSeen);
  }
  const webhook = answers.filter((a) => a.at >= window.start && a.at < window.end).map((a) => a.ms);
  return {
    fault: window.name,
    messages: sent.filter((m) => inWindow(m.sentAt)).length,
    tasks,
    handoffs: '-',
    cards: '-',
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
