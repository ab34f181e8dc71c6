/** Near-identical action items (the same commitment repeated, or said again in other words) become one. */
import type { ActionItem } from './action-items.ts';

const STOP = new Set([
  'the',
  'a',
  'an',
  'to',
  'you',
  'i',
  'we',
  'will',
  'ill',
  'well',
  'and',
  'of',
  'for',
  'that',
  'it',
  'this',
  'by',
  'on',
  'with',
  'our',
  'your',
  'me',
  'us',
]);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f'’]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w && !STOP.has(w))
      // A crude stem: "sends"/"sending"/"sent" are the same commitment as "send".
      .map((w) => w.replace(/(?:ing|ed|es|s)$/, '')),
  );
}

/** Share of words in common (Jaccard), 0..1. */
export function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return common / (x.size + y.size - common);
}

const SAME = 0.6;

/** Keeps the first of each group of items with the same owner and similar wording; a due date is kept. */
export function mergeNearIdentical(items: readonly ActionItem[]): ActionItem[] {
  const kept: ActionItem[] = [];
  for (const item of items) {
    const ownerKey = (i: ActionItem) => (i.owner === 'speaker' ? i.speaker : i.owner);
    const twin = kept.find((k) => ownerKey(k) === ownerKey(item) && similarity(k.text, item.text) >= SAME);
    if (!twin) kept.push({ ...item });
    else if (!twin.due && item.due) twin.due = item.due;
  }
  return kept;
}
